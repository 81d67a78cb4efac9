"""Writing and verifying the audit trail. The only code that creates ``AuditEvent`` rows.

Call ``audit_record`` inside the same ``transaction.atomic()`` block as the change it records, after taking
the lock on the changed document, so the event and the change commit or roll back together and events of one
stream are written one at a time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from contextlib import contextmanager
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
    from ..http import client_address

    meta = getattr(request, "META", {})
    return {
        "ip": client_address(request),
        "user_agent": meta.get("HTTP_USER_AGENT", "")[:300],
        "path": getattr(request, "path", ""),
        "method": getattr(request, "method", ""),
    }


_INSERT_PLANS: dict = {}


def insert_row(obj: models.Model) -> models.Model:
    """``obj.save(force_insert=True)`` for a new row of a plain model (auto primary key, no parent model),
    with the INSERT statement built once per model instead of by the ORM on every call: the audit trail and
    the ledger write one or more rows on every decision. Values go through each field's ``pre_save`` and
    ``get_db_prep_save`` as in ``save()``, ``pre_save``/``post_save`` are sent, and the new primary key is
    read back with ``RETURNING``. Backends that cannot return it fall back to ``save()``."""
    from django.db import connections, router
    from django.db.models.signals import post_save, pre_save

    model = type(obj)
    meta = model._meta
    alias = router.db_for_write(model, instance=obj)
    conn = connections[alias]
    key = (model, alias)
    plan = _INSERT_PLANS.get(key)
    if plan is None:
        if (not conn.features.can_return_columns_from_insert or meta.auto_field is None or meta.parents
                or meta.proxy):
            plan = False
        else:
            qn = conn.ops.quote_name
            fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
            plan = (fields, f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
                            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {qn(meta.auto_field.column)}")
        _INSERT_PLANS[key] = plan
    if plan is False or getattr(obj, meta.pk.attname) is not None:
        obj.save(force_insert=True, using=alias)
        return obj
    fields, sql = plan
    pre_save.send(sender=model, instance=obj, raw=False, using=alias, update_fields=None)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection=conn) for f in fields]
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        setattr(obj, meta.auto_field.attname, cursor.fetchone()[0])
    obj._state.adding = False
    obj._state.db = alias
    post_save.send(sender=model, instance=obj, created=True, update_fields=None, raw=False, using=alias)
    return obj


_UNKNOWN = object()


@contextmanager
def audit_batch(*streams: str) -> Iterator[None]:
    """Let one transaction look up the last events of several streams in one query.

    Use inside ``transaction.atomic()``, *after* locking the documents whose ``streams`` are named: the first
    ``audit_record`` inside the block (on any stream) fetches the heads of its own stream and of every named
    stream not yet fetched with one statement; a later append on a named stream then uses the head fetched
    for it instead of querying again. A head is used at most once (the next append on that stream queries
    as usual), so an event rolled back to a savepoint cannot leave a stale head behind. A head read for a
    named stream stays correct only because its document is locked: whoever else appends to that stream
    must take the same lock first.
    """
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit_batch must run inside the transaction that locks the documents")
    heads = getattr(conn, "_audit_heads", None)
    if heads is not None:  # nested: one shared table, so no block can hold a head another has outdated
        for s in streams:
            heads.setdefault(s, _UNKNOWN)
        yield
        return
    conn._audit_heads = {s: _UNKNOWN for s in streams}
    try:
        yield
    finally:
        conn._audit_heads = None


def _heads(streams: list[str]) -> dict[str, tuple[int, str]]:
    """``{stream: (seq, hash)}`` of the last event of each stream that has one, in one query.

    Plain SQL: this runs on every audited write, and building the equivalent ORM union costs several times
    the round trip. Each branch is an index lookup on the unique (stream, seq) index.
    """
    table = AuditEvent._meta.db_table
    one = f"SELECT * FROM (SELECT stream, seq, hash FROM {table} WHERE stream = %s ORDER BY seq DESC LIMIT 1) h{{}}"
    sql = " UNION ALL ".join(one.format(i) for i in range(len(streams)))
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(sql, list(streams))
        rows = cursor.fetchall()
    return {stream: (seq, hash_) for stream, seq, hash_ in rows}


def _last(stream: str) -> tuple[int, str] | None:
    pending = getattr(transaction.get_connection(), "_audit_heads", None)
    if pending is None:
        return _heads([stream]).get(stream)
    known = pending.pop(stream, _UNKNOWN)
    if known is not _UNKNOWN:
        return known
    wanted = [stream, *(s for s, v in pending.items() if v is _UNKNOWN)]
    found = _heads(wanted)
    for s in wanted[1:]:
        pending[s] = found.get(s)
    return found.get(stream)


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
    insert_row(event)
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
