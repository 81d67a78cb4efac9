"""Reads of the shared engine that pages, exports and commands share."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import asdict, dataclass

from django.db.models.fields.json import KT

from .models import SEAL_STREAM, AuditEvent

SEAL_LIST_FIELDS = ("seq", "sealed_at", "count", "digest", "hash")


@dataclass(frozen=True)
class PublishedSeal:
    """One seal of the audit trail as published outside the database.

    ``digest`` is the hash over the events the seal covers; ``hash`` is the seal event's own hash, which also
    chains to the previous seal, so the newest published ``hash`` vouches for every seal before it."""

    seq: int
    sealed_at: str  # ISO 8601, UTC
    count: int
    digest: str
    hash: str


def audit_seal_list(*, since: dt.datetime | None = None, until: dt.datetime | None = None,
                    newest_first: bool = False, limit: int | None = None) -> list[PublishedSeal]:
    """The seals of the audit trail (optionally those sealed in ``[since, until)``), one query."""
    qs = AuditEvent.objects.filter(stream=SEAL_STREAM)
    if since is not None:
        qs = qs.filter(occurred_at__gte=since)
    if until is not None:
        qs = qs.filter(occurred_at__lt=until)
    qs = qs.order_by("-seq" if newest_first else "seq").annotate(
        digest=KT("after__digest"), count=KT("after__count"),
    ).values_list("seq", "occurred_at", "count", "digest", "hash")
    if limit is not None:
        qs = qs[:limit]
    return [
        PublishedSeal(seq=seq, sealed_at=at.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
                      count=int(count or 0), digest=digest or "", hash=hash_)
        for seq, at, count, digest, hash_ in qs
    ]


def seal_list_json(seals: list[PublishedSeal]) -> str:
    """``{"seals": [{"seq", "sealed_at", "count", "digest", "hash"}, …]}`` — the file ``verify_audit --against``
    reads."""
    return json.dumps({"seals": [asdict(s) for s in seals]}, indent=1)


def seal_list_csv(seals: list[PublishedSeal]) -> str:
    """The same list as CSV with the header ``seq,sealed_at,count,digest,hash``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SEAL_LIST_FIELDS)
    for s in seals:
        writer.writerow([s.seq, s.sealed_at, s.count, s.digest, s.hash])
    return out.getvalue()
