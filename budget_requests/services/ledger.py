"""Envelopes and their append-only ledger. The only code that writes ``Envelope`` totals.

Every movement locks the envelope row (``select_for_update``; a reservation does lock, check and write in one
conditional ``UPDATE``), checks the room, updates the running totals,
appends a ``LedgerEntry`` and an audit event on the envelope's stream, all in the caller's transaction (each
function opens ``transaction.atomic()``, which nests as a savepoint). The database check constraint
``envelope_room_nonneg`` is the last line of defence if a caller ever skipped the lock.
"""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from workflows.models import OrgUnit, User
from workflows.services.audit import audit_record, insert_row

from ..models import Envelope, LedgerEntry, LedgerKind, RepairRequest
from .common import clean_amount, rupiah
from .errors import RequestError


MAX_ALLOCATION = 10**15  # Rp1.000 triliun: a sanity bound, not a policy


def _locked(envelope: Envelope) -> Envelope:
    return Envelope.objects.select_for_update().get(pk=envelope.pk)


def _totals(env: Envelope) -> dict:
    return {"allocated": env.allocated, "reserved": env.reserved, "paid": env.paid, "room": env.room}


def _sync(target: Envelope, source: Envelope) -> None:
    # Let the caller's object see the new totals without another query.
    if target is not source:
        target.allocated, target.reserved, target.paid = source.allocated, source.reserved, source.paid


def _reserve_row(envelope_id: int, amount: int) -> Envelope | None:
    """Reserve ``amount`` on the envelope in one statement, or None when it has no room for it.

    ``UPDATE … SET reserved = reserved + amount WHERE id = … AND room >= amount RETURNING …``: the UPDATE takes
    the same row lock as ``select_for_update`` (held to the end of the transaction) and PostgreSQL re-checks
    the room on the newest row version after waiting for a concurrent holder, so the check and the write are
    one atomic step — one round trip instead of a locking SELECT and an UPDATE. The check constraint
    ``envelope_room_nonneg`` still guards the row.
    """
    global _ENVELOPE_ROWS
    from .common import Rows

    if _ENVELOPE_ROWS is None:
        _ENVELOPE_ROWS = Rows(("", Envelope))
    rows = _ENVELOPE_ROWS
    sql = (f"UPDATE {Envelope._meta.db_table} SET reserved = reserved + %s "
           f"WHERE id = %s AND allocated - reserved - paid >= %s RETURNING {rows.columns}")
    found = rows.fetch(sql, [amount, envelope_id, amount])
    return found[0][0] if found else None


_ENVELOPE_ROWS = None


def _write(env: Envelope, *, kind: str, amount: int, actor: User | None, request_obj: RepairRequest | None,
           capacity: str = "", note: str = "", before: dict, request=None, saved: bool = False,
           **extra) -> LedgerEntry:
    if not saved:
        try:
            env.save(update_fields=["allocated", "reserved", "paid"])
        except IntegrityError as exc:  # only reachable if a caller bypassed the room check
            raise RequestError("insufficient_room", _("Sisa pagu tidak mencukupi.")) from exc
    entry = insert_row(LedgerEntry(
        envelope=env, kind=kind, amount=amount, request=request_obj, actor=actor, capacity=capacity, note=note,
        room_after=env.room, **extra,
    ))
    audit_record(
        actor=actor, action=f"envelope.{kind}", obj=env, capacity=capacity, before=before,
        after={**_totals(env), "entry": entry.pk, "amount": amount, "request": request_obj.pk if request_obj else None},
        reason=note, request=request,
    )
    return entry


def envelope_create(*, actor: User | None, org_unit: OrgUnit, account_code: str, fiscal_year: int, name: str,
                    request=None) -> Envelope:
    account_code = (account_code or "").strip()
    if not account_code:
        raise RequestError("required", _("Kode rekening wajib diisi."), "account_code")
    with transaction.atomic():
        if Envelope.objects.filter(org_unit=org_unit, account_code=account_code, fiscal_year=fiscal_year).exists():
            raise RequestError(
                "duplicate", _("Pagu untuk unit, kode rekening dan tahun ini sudah ada."), "account_code"
            )
        env = Envelope.objects.create(org_unit=org_unit, account_code=account_code, fiscal_year=fiscal_year,
                                      name=(name or account_code).strip())
        audit_record(actor=actor, action="envelope.created", obj=env, after=_totals(env), request=request)
    return env


def envelope_allocate(*, envelope: Envelope, amount, actor: User | None, note: str = "", request=None) -> LedgerEntry:
    """Add ``amount`` to the envelope's allocation (pagu)."""
    amount = clean_amount(amount, maximum=MAX_ALLOCATION)
    with transaction.atomic():
        env = _locked(envelope)
        before = _totals(env)
        env.allocated += amount
        entry = _write(env, kind=LedgerKind.ALLOCATE, amount=amount, actor=actor, request_obj=None, note=note,
                       before=before, request=request)
    _sync(envelope, env)
    return entry


def envelope_reserve(*, envelope: Envelope, amount: int, request_obj: RepairRequest, actor: User | None,
                     capacity: str = "", request=None, savepoint: bool = True) -> LedgerEntry:
    """Commit ``amount`` for an approved request; ``RequestError("insufficient_room")`` if it does not fit.

    ``savepoint=False`` (for a caller whose whole transaction fails with any error raised here, like the
    approval service) skips the savepoint round trips; a refusal then dooms the caller's transaction.
    """
    amount = clean_amount(amount)
    with transaction.atomic(savepoint=savepoint):
        env = _reserve_row(envelope.pk, amount)
        if env is None:
            current = Envelope.objects.get(pk=envelope.pk)
            raise RequestError(
                "insufficient_room",
                _("Sisa pagu %(envelope)s tidak mencukupi: tersedia Rp%(room)s, dibutuhkan Rp%(amount)s.")
                % {"envelope": current.name, "room": rupiah(current.room), "amount": rupiah(amount)},
                "amount",
            )
        before = {**_totals(env), "reserved": env.reserved - amount, "room": env.room + amount}
        entry = _write(env, kind=LedgerKind.RESERVE, amount=amount, actor=actor, request_obj=request_obj,
                       capacity=capacity, before=before, request=request, saved=True)
    _sync(envelope, env)
    return entry


def envelope_pay(*, envelope: Envelope, amount: int, request_obj: RepairRequest, actor: User | None, spp: str,
                 spm: str, sp2d: str, paid_on: dt.date, capacity: str = "", request=None) -> LedgerEntry:
    """Turn a reservation into spending (SPP → SPM → SP2D)."""
    amount = clean_amount(amount)
    with transaction.atomic(savepoint=False):
        env = _locked(envelope)
        if env.reserved < amount:
            raise RequestError("not_reserved", _("Tidak ada pencadangan yang cukup untuk dibayar pada pagu ini."))
        before = _totals(env)
        env.reserved -= amount
        env.paid += amount
        entry = _write(env, kind=LedgerKind.PAY, amount=amount, actor=actor, request_obj=request_obj,
                       capacity=capacity, before=before, request=request, spp_number=spp, spm_number=spm,
                       sp2d_number=sp2d, paid_on=paid_on)
    _sync(envelope, env)
    return entry


def envelope_release(*, envelope: Envelope, amount: int, request_obj: RepairRequest | None, actor: User | None,
                     note: str = "", capacity: str = "", request=None) -> LedgerEntry:
    """Give a reservation back (an approved request was cancelled)."""
    amount = clean_amount(amount)
    with transaction.atomic(savepoint=False):
        env = _locked(envelope)
        if env.reserved < amount:
            raise RequestError("not_reserved", _("Tidak ada pencadangan yang cukup untuk dilepas pada pagu ini."))
        before = _totals(env)
        env.reserved -= amount
        entry = _write(env, kind=LedgerKind.RELEASE, amount=amount, actor=actor, request_obj=request_obj,
                       capacity=capacity, note=note, before=before, request=request)
    _sync(envelope, env)
    return entry
