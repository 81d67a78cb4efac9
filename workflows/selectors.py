"""Reads of the shared engine that pages, exports and commands share."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Collection
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
                    newest_first: bool = False, limit: int | None = None, after_seq: int | None = None,
                    seqs: Collection[int] | None = None) -> list[PublishedSeal]:
    """The seals of the audit trail (optionally those sealed in ``[since, until)``, numbered after
    ``after_seq``, or numbered ``seqs``), one query."""
    qs = AuditEvent.objects.filter(stream=SEAL_STREAM)
    if seqs is not None:
        qs = qs.filter(seq__in=seqs)
    if since is not None:
        qs = qs.filter(occurred_at__gte=since)
    if until is not None:
        qs = qs.filter(occurred_at__lt=until)
    if after_seq is not None:
        qs = qs.filter(seq__gt=after_seq)
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


# Seals per page of the public download: an hourly seal makes ~8,800 a year, so the list is paged by seal number
# (keyset, not offset) and every page costs one indexed query however long the trail grows.
SEAL_PAGE_SIZE = 500


@dataclass(frozen=True)
class SealPage:
    """One page of the published seal list, oldest first; ``next_after`` is the ``after_seq`` of the next page
    (None on the last page)."""

    seals: list[PublishedSeal]
    next_after: int | None


def audit_seal_page(*, after_seq: int = 0, size: int | None = None) -> SealPage:
    """The seals numbered after ``after_seq``, at most ``size`` (``SEAL_PAGE_SIZE``) of them. One query: one row
    more than the page is read to know whether another page follows."""
    size = size or SEAL_PAGE_SIZE
    rows = audit_seal_list(after_seq=after_seq, limit=size + 1)
    more = len(rows) > size
    seals = rows[:size]
    return SealPage(seals=seals, next_after=seals[-1].seq if more else None)


def seal_list_json(seals: list[PublishedSeal], *, next_url: str | None = None) -> str:
    """``{"seals": [{"seq", "sealed_at", "count", "digest", "hash"}, …], "next": URL or null}`` — the file
    ``verify_audit --against`` reads (``next``: the following page of the download, if any)."""
    return json.dumps({"seals": [asdict(s) for s in seals], "next": next_url}, indent=1)


def seal_list_csv(seals: list[PublishedSeal]) -> str:
    """The same list as CSV with the header ``seq,sealed_at,count,digest,hash``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SEAL_LIST_FIELDS)
    for s in seals:
        writer.writerow([s.seq, s.sealed_at, s.count, s.digest, s.hash])
    return out.getvalue()
