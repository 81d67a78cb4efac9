"""Writing, sealing and verifying the audit trail. The only code that creates ``AuditEvent`` rows.

Call ``audit_record`` (or ``audit_record_many``) inside the same ``transaction.atomic()`` block as the change it
records, so the event and the change commit or roll back together. Each append locks its stream's head row
(``AuditStreamHead``, ``SELECT … FOR UPDATE``) until the transaction ends: appends to one stream are written one
at a time whoever writes them (a denial, an ``actor:`` event, an approval), and a concurrent writer waits for
the head instead of colliding on ``(stream, seq)``.

A seal (``audit_seal``, hourly from beat) covers, per stream, the ``seq`` range from the stream's previous seal
to its head as committed when the seal runs. An append still in flight holds its head locked and gets a later
``seq``, so it lands in the next seal whatever id PostgreSQL gave it. Each seal's digest and hash are published
(``audit_seal_list``; the public transparency page and the monthly report) so a rewrite of the table by a
database superuser can be shown with ``manage.py verify_audit --against FILE``.
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
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import SEAL_STREAM, AuditEvent, AuditStreamHead, AuditStreamSeal, User

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
    from ..http import client_address

    meta = getattr(request, "META", {})
    return {
        "ip": client_address(request),
        "user_agent": meta.get("HTTP_USER_AGENT", "")[:300],
        "path": getattr(request, "path", ""),
        "method": getattr(request, "method", ""),
    }


def _lock_heads(streams: list[str]) -> dict[str, AuditStreamHead]:
    """Lock the head rows of ``streams`` (created when missing) in one query, in stream order, so two writers
    locking overlapping sets cannot deadlock. Held until the transaction ends."""
    wanted = sorted(set(streams))
    locked = AuditStreamHead.objects.select_for_update().filter(stream__in=wanted).order_by("stream")
    heads = {h.stream: h for h in locked}
    missing = [s for s in wanted if s not in heads]
    if missing:
        # ON CONFLICT DO NOTHING: a concurrent first writer's row wins (we wait for its commit), then we lock it.
        AuditStreamHead.objects.bulk_create([AuditStreamHead(stream=s) for s in missing], ignore_conflicts=True)
        heads.update((h.stream, h) for h in locked.filter(stream__in=missing))
    return heads


def _event_fields(
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
) -> dict[str, Any]:
    if stream is None:
        stream = stream_for(obj) if obj is not None else f"actor:{actor.pk if actor else 'system'}"
    return dict(
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
    )


def _append(fields: list[dict[str, Any]], heads: dict[str, AuditStreamHead]) -> list[AuditEvent]:
    """Chain the events onto their locked heads, insert them, and move the heads forward."""
    now = timezone.now()
    events = []
    for f in fields:
        head = heads[f["stream"]]
        event = AuditEvent(seq=head.seq + 1, prev_hash=head.hash, occurred_at=now, **f)
        event.hash = compute_hash(event, canonical=True)
        head.seq, head.hash = event.seq, event.hash
        events.append(event)
    AuditEvent.objects.bulk_create(events)
    moved = list({f["stream"]: heads[f["stream"]] for f in fields}.values())
    if len(moved) == 1:
        moved[0].save(update_fields=["seq", "hash"])
    else:
        AuditStreamHead.objects.bulk_update(moved, ["seq", "hash"])
    return events


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")


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

    The stream defaults to the object's own ("app.model:pk"), or ``actor:<pk>`` without an object; pass
    ``stream`` to chain e.g. an envelope's ledger events together. Locks the stream's head until the
    transaction ends (three statements: lock, insert, head update).
    """
    _require_transaction()
    fields = _event_fields(actor=actor, action=action, obj=obj, capacity=capacity, before=before, after=after,
                           reason=reason, request=request, stream=stream)
    return _append([fields], _lock_heads([fields["stream"]]))[0]


def audit_record_many(entries: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append several events at once, in the given order: each entry holds ``audit_record``'s keyword
    arguments. The heads of all streams involved are locked in one query (in a fixed order, so concurrent
    callers cannot deadlock), the events inserted with one statement and the heads moved with one more.
    Events on the same stream are chained in list order."""
    _require_transaction()
    if not entries:
        return []
    fields = [_event_fields(**entry) for entry in entries]
    return _append(fields, _lock_heads([f["stream"] for f in fields]))


# --- seals ------------------------------------------------------------------------------------------------

SEAL_CHUNK = 200  # streams per query when reading the events a seal covers


def _stream_digest(hashes: list[str]) -> str:
    return hashlib.sha256("".join(hashes).encode("ascii")).hexdigest()


def seal_digest(per_stream: dict[str, tuple[int, int, str]]) -> str:
    """The digest a seal records: one line per stream (sorted by name in Python, not by the database's
    collation) with the first and last ``seq`` covered and the SHA-256 of the concatenated hashes of those
    events in ``seq`` order."""
    lines = [f"{s}\t{first}\t{last}\t{d}\n" for s, (first, last, d) in sorted(per_stream.items())]
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


@transaction.atomic
def audit_seal() -> AuditEvent | None:
    """Seal, per stream, the events committed since that stream's previous seal. None when nothing is new.

    Sealers run one at a time (the seal stream's head is locked). The range of a stream ends at its head as
    committed now; an append in flight holds that head and gets a later ``seq``: the next seal covers it.
    Sealing locks no stream head, so approvals never wait on it.
    """
    heads = _lock_heads([SEAL_STREAM])
    sealed = AuditStreamSeal.objects.filter(stream=OuterRef("stream")).values("seq")
    pending = list(
        AuditStreamHead.objects.exclude(stream=SEAL_STREAM)
        .annotate(sealed=Coalesce(Subquery(sealed), Value(0)))
        .filter(seq__gt=F("sealed"))
        .values_list("stream", "sealed", "seq")
    )
    if not pending:
        return None
    hashes: dict[str, list[str]] = {}
    for i in range(0, len(pending), SEAL_CHUNK):
        chunk = pending[i:i + SEAL_CHUNK]
        where = Q()
        for stream, done, through in chunk:
            where |= Q(stream=stream, seq__gt=done, seq__lte=through)
        for stream, _seq, hash_ in (AuditEvent.objects.filter(where).order_by("stream", "seq")
                                    .values_list("stream", "seq", "hash")):
            hashes.setdefault(stream, []).append(hash_)
    per_stream = {stream: (done + 1, through, _stream_digest(hashes.get(stream, [])))
                  for stream, done, through in pending}
    AuditStreamSeal.objects.bulk_create(
        [AuditStreamSeal(stream=stream, seq=through) for stream, _done, through in pending],
        update_conflicts=True, unique_fields=["stream"], update_fields=["seq"],
    )
    after = {
        "ranges": {stream: [first, last] for stream, (first, last, _d) in sorted(per_stream.items())},
        "count": sum(last - first + 1 for first, last, _d in per_stream.values()),
        "digest": seal_digest(per_stream),
    }
    fields = dict(stream=SEAL_STREAM, actor=None, actor_name="sistem", capacity="", action="audit.seal",
                  content_type=None, object_id="", object_repr="", before=None, after=_canonical(after),
                  reason="", origin={})
    return _append([fields], heads)[0]


# --- verification -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditBreak:
    event_id: int
    stream: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"event {self.event_id} (stream {self.stream}, #{self.seq}): {self.problem}"


# Event rows fetched per round trip and stream heads held at a time by the verification; seals are read, and their
# ranges checked, ``SEAL_CHUNK`` at a time. The check keeps one chunk of each in memory (plus the last sealed
# ``seq`` of each stream), whatever the number of events or seals.
VERIFY_CHUNK = 2000


def _seals() -> Iterator[AuditEvent]:
    """The seal events in ``seq`` order, streamed ``SEAL_CHUNK`` at a time (a seal's ranges make a wide row)."""
    return (AuditEvent.objects.filter(stream=SEAL_STREAM).only("id", "stream", "seq", "after").order_by("seq")
            .iterator(chunk_size=SEAL_CHUNK))


def _legacy_seal_breaks(seal: AuditEvent) -> Iterator[AuditBreak]:
    """Seals written before per-stream ranges covered an id range."""
    info = seal.after or {}
    digest, count = hashlib.sha256(), 0
    for hash_ in (AuditEvent.objects.filter(id__gte=info.get("from_id", 0), id__lte=info.get("through_id", -1))
                  .exclude(stream=SEAL_STREAM).order_by("id").values_list("hash", flat=True)
                  .iterator(chunk_size=VERIFY_CHUNK)):
        digest.update((("\n" if count else "") + hash_).encode("ascii"))  # the hashes joined by newlines
        count += 1
    if count != info.get("count") or digest.hexdigest() != info.get("digest"):
        yield AuditBreak(seal.id, seal.stream, seal.seq,
                         f"sealed events {info.get('from_id')}–{info.get('through_id')} were changed, "
                         "added or removed")


def _range_breaks() -> Iterator[AuditBreak]:
    """Each seal's range of a stream must start right after that stream's range in the previous seal covering it.
    Holds the last sealed ``seq`` of each stream (one number per stream), not the seals."""
    last_sealed: dict[str, int] = {}
    for seal in _seals():
        for stream, (first, last) in ((seal.after or {}).get("ranges") or {}).items():
            expected = last_sealed[stream] + 1 if stream in last_sealed else None
            if expected is not None and first != expected:
                yield AuditBreak(seal.id, seal.stream, seal.seq,
                                 f"seal range of stream {stream} starts at #{first}, expected #{expected}")
            last_sealed[stream] = last


class _HeadWindow:
    """Stream heads looked up in the walk's stream order, ``VERIFY_CHUNK`` at a time: the window starting at a
    stream is read with the database's own ordering of stream names, the same as the walk's."""

    def __init__(self) -> None:
        self.heads: dict[str, AuditStreamHead] = {}

    def get(self, stream: str) -> AuditStreamHead | None:
        if stream not in self.heads:
            rows = AuditStreamHead.objects.filter(stream__gte=stream).order_by("stream")[:VERIFY_CHUNK]
            self.heads = {h.stream: h for h in rows}
        return self.heads.get(stream)


def _chain_breaks() -> Iterator[AuditBreak]:
    """Walk every stream in ``seq`` order (one query, streamed): sequence, links, hashes, and the stream's head."""
    heads = _HeadWindow()

    def stream_end(last: AuditEvent) -> Iterator[AuditBreak]:
        head = heads.get(last.stream)
        if head is None:
            yield AuditBreak(last.id, last.stream, last.seq, "stream has no head row (written around the service)")
        elif head.seq > last.seq:
            yield AuditBreak(last.id, last.stream, last.seq,
                             f"newest events #{last.seq + 1}–#{head.seq} are missing "
                             f"(the stream head says #{head.seq})")
        elif head.seq != last.seq or head.hash != last.hash:
            yield AuditBreak(last.id, last.stream, last.seq,
                             f"the stream head (#{head.seq}) does not match its newest event")

    prev: AuditEvent | None = None
    for event in AuditEvent.objects.order_by("stream", "seq").iterator(chunk_size=VERIFY_CHUNK):
        if prev is not None and prev.stream != event.stream:
            yield from stream_end(prev)
            prev = None
        expected_seq = prev.seq + 1 if prev else 1
        if event.seq != expected_seq:
            yield AuditBreak(event.id, event.stream, event.seq, f"sequence gap: expected #{expected_seq}")
        if event.prev_hash != (prev.hash if prev else ""):
            yield AuditBreak(event.id, event.stream, event.seq, "previous-hash link does not match")
        if compute_hash(event) != event.hash:
            yield AuditBreak(event.id, event.stream, event.seq, "content does not match its hash")
        prev = event
    if prev is not None:
        yield from stream_end(prev)
    # Heads whose stream has no event left at all.
    emptied = (AuditStreamHead.objects.filter(seq__gt=0)
               .filter(~Exists(AuditEvent.objects.filter(stream=OuterRef("stream")))).order_by("pk"))
    for head in emptied.iterator(chunk_size=VERIFY_CHUNK):
        yield AuditBreak(0, head.stream, head.seq,
                         f"all events #1–#{head.seq} are missing (the stream head says #{head.seq})")


def _seal_digest_breaks() -> Iterator[AuditBreak]:
    """Recompute every seal's count and digest from the events its ranges cover, reading the events of
    ``SEAL_CHUNK`` ranges per query; several small seals share a query, a large seal takes several."""
    pending: list[tuple[AuditEvent, dict[str, list]]] = []  # (seal, stream -> [first, last, count, sha256])
    batched = 0

    def flush() -> Iterator[AuditBreak]:
        ranges = [(stream, acc) for _seal, found in pending for stream, acc in found.items()]
        for i in range(0, len(ranges), SEAL_CHUNK):
            chunk = ranges[i:i + SEAL_CHUNK]
            of_stream: dict[str, list[list]] = {}
            where = Q()
            for stream, acc in chunk:
                of_stream.setdefault(stream, []).append(acc)
                where |= Q(stream=stream, seq__gte=acc[0], seq__lte=acc[1])
            for stream, seq, hash_ in (AuditEvent.objects.filter(where).order_by("stream", "seq")
                                       .values_list("stream", "seq", "hash").iterator(chunk_size=VERIFY_CHUNK)):
                for acc in of_stream[stream]:  # overlapping ranges (a broken trail) each count the event
                    if acc[0] <= seq <= acc[1]:
                        acc[2] += 1
                        acc[3].update(hash_.encode("ascii"))
        for seal, found in pending:
            info = seal.after
            per_stream = {stream: (first, last, digest.hexdigest())
                          for stream, (first, last, _n, digest) in found.items()}
            count = sum(acc[2] for acc in found.values())
            if count != info.get("count") or seal_digest(per_stream) != info.get("digest"):
                changed = sorted(s for s, (first, last, n, _d) in found.items() if n != last - first + 1)
                detail = f" (streams with missing events: {', '.join(changed[:5])})" if changed else ""
                yield AuditBreak(seal.id, seal.stream, seal.seq,
                                 f"sealed events were changed, added or removed{detail}")
        pending.clear()

    for seal in _seals():
        info = seal.after or {}
        if "ranges" not in info:
            yield from flush()
            yield from _legacy_seal_breaks(seal)
            batched = 0
            continue
        found = {stream: [first, last, 0, hashlib.sha256()] for stream, (first, last) in info["ranges"].items()}
        pending.append((seal, found))
        batched += len(found)
        if batched >= SEAL_CHUNK:
            yield from flush()
            batched = 0
    yield from flush()


def _breaks() -> Iterator[AuditBreak]:
    """Seal ranges, then every stream's chain and head, then every seal's digest — each pass streamed, so the
    memory of the check does not grow with the number of events or seals."""
    yield from _range_breaks()
    yield from _chain_breaks()
    yield from _seal_digest_breaks()


def audit_breaks(limit: int | None = None) -> list[AuditBreak]:
    """Every broken link of the trail (the first ``limit`` of them), empty when every chain, head and seal
    holds."""
    out = []
    for brk in _breaks():
        out.append(brk)
        if limit is not None and len(out) >= limit:
            break
    return out


def audit_verify() -> AuditBreak | None:
    """The first broken link of the trail, or None when every chain, head and seal holds."""
    return next(_breaks(), None)
