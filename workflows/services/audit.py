"""Writing and verifying the audit trail. The only code that creates ``AuditEvent`` rows.

Call ``audit_record`` inside the same ``transaction.atomic()`` block as the change it records, after taking
the lock on the changed document, so the event and the change commit or roll back together and events of one
stream are written one at a time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterator

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from ..models import SEAL_STREAM, AuditEvent, User

HASHED_FIELDS = (
    "stream", "seq", "occurred_at", "actor_id", "actor_name", "capacity", "action", "content_type_id",
    "object_id", "object_repr", "before", "after", "reason", "origin", "prev_hash",
)


def _canonical(value: Any) -> Any:
    # JSON round trip so that what is hashed at write time equals what is read back from the database.
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True))


def compute_hash(event: AuditEvent, *, canonical: bool = False) -> str:
    """The event's hash. ``canonical=True``: ``before``/``after``/``origin`` already went through
    ``_canonical`` (as ``audit_record`` does), so the JSON round trip is not repeated — same hash."""
    payload = {name: getattr(event, name) for name in HASHED_FIELDS}
    payload["occurred_at"] = event.occurred_at.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    if not canonical:
        payload["before"] = _canonical(event.before)
        payload["after"] = _canonical(event.after)
        payload["origin"] = _canonical(event.origin)
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stream_for(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def request_origin(request) -> dict[str, str]:
    """Where an action came from: address, user agent, path (and the method), for the record."""
    if request is None:
        return {}
    meta = getattr(request, "META", {})
    return {
        "ip": meta.get("REMOTE_ADDR", ""),
        "user_agent": meta.get("HTTP_USER_AGENT", "")[:300],
        "path": getattr(request, "path", ""),
        "method": getattr(request, "method", ""),
    }


def _last(stream: str) -> tuple[int, str] | None:
    """(seq, hash) of the stream's newest event, or None. An index lookup on the unique (stream, seq) index."""
    return AuditEvent.objects.filter(stream=stream).order_by("-seq").values_list("seq", "hash").first()


def _append(*, stream: str, canonical: bool = False, **fields: Any) -> AuditEvent:
    last = _last(stream)
    event = AuditEvent(
        stream=stream,
        seq=(last[0] + 1) if last else 1,
        prev_hash=last[1] if last else "",
        occurred_at=timezone.now(),
        **fields,
    )
    event.hash = compute_hash(event, canonical=canonical)
    event.save(force_insert=True)
    return event


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    capacity: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    request=None,
    stream: str | None = None,
) -> AuditEvent:
    """Append one event. ``capacity`` is the label the actor acted in ("Plh. Camat Setu").

    The stream defaults to the object's own ("app.model:pk"); pass ``stream`` to chain e.g. an envelope's
    ledger events together.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    if stream is None:
        stream = stream_for(obj) if obj is not None else f"actor:{actor.pk if actor else 'system'}"
    return _append(
        stream=stream,
        actor=actor,
        actor_name=(actor.get_full_name() or actor.username) if actor else "sistem",
        capacity=capacity,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=_canonical(before),
        after=_canonical(after),
        reason=reason,
        origin=_canonical(request_origin(request)),
        canonical=True,
    )


def _seal_digest(hashes: list[str]) -> str:
    return hashlib.sha256("\n".join(hashes).encode("ascii")).hexdigest()


@transaction.atomic
def audit_seal() -> AuditEvent | None:
    """Seal every event written since the previous seal with one hash over them. None when nothing is new."""
    last_seal = (
        AuditEvent.objects.select_for_update().filter(stream=SEAL_STREAM).order_by("-seq").first()
    )
    since = last_seal.after["through_id"] if last_seal else 0
    rows = list(
        AuditEvent.objects.filter(id__gt=since).exclude(stream=SEAL_STREAM).order_by("id").values_list("id", "hash")
    )
    if not rows:
        return None
    return _append(
        stream=SEAL_STREAM,
        actor=None,
        actor_name="sistem",
        action="audit.seal",
        after={"from_id": rows[0][0], "through_id": rows[-1][0], "count": len(rows),
               "digest": _seal_digest([h for _id, h in rows])},
    )


@dataclass(frozen=True)
class AuditBreak:
    event_id: int
    stream: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"event {self.event_id} (stream {self.stream}, #{self.seq}): {self.problem}"


def _breaks() -> Iterator[AuditBreak]:
    last_by_stream: dict[str, AuditEvent] = {}
    seals: list[AuditEvent] = []
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        prev = last_by_stream.get(event.stream)
        expected_seq = prev.seq + 1 if prev else 1
        if event.seq != expected_seq:
            yield AuditBreak(event.id, event.stream, event.seq, f"sequence gap: expected #{expected_seq}")
        if event.prev_hash != (prev.hash if prev else ""):
            yield AuditBreak(event.id, event.stream, event.seq, "previous-hash link does not match")
        if compute_hash(event) != event.hash:
            yield AuditBreak(event.id, event.stream, event.seq, "content does not match its hash")
        last_by_stream[event.stream] = event
        if event.stream == SEAL_STREAM:
            seals.append(event)
    for seal in seals:
        info = seal.after or {}
        hashes = list(
            AuditEvent.objects.filter(id__gte=info.get("from_id", 0), id__lte=info.get("through_id", -1))
            .exclude(stream=SEAL_STREAM).order_by("id").values_list("hash", flat=True)
        )
        if len(hashes) != info.get("count") or _seal_digest(hashes) != info.get("digest"):
            yield AuditBreak(seal.id, seal.stream, seal.seq,
                             f"sealed events {info.get('from_id')}–{info.get('through_id')} were changed, "
                             "added or removed")


def audit_verify() -> AuditBreak | None:
    """The first broken link of the trail, or None when every chain and seal holds."""
    return next(_breaks(), None)
