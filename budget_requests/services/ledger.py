"""Envelopes and their append-only ledger. The only code that writes ``Envelope`` totals.

Every movement locks the envelope row (``select_for_update``, or the caller locked and loaded it), checks the
room, moves the running totals with an ``F()`` update, appends a ``LedgerEntry`` and an audit event on the
envelope's stream, all in the caller's transaction (each function opens ``transaction.atomic()``, which nests
as a savepoint). The database check constraint ``envelope_room_nonneg`` is the last line of defence if a caller
ever skipped the lock.
"""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from workflows.models import OrgUnit, User
from workflows.services.audit import audit_record

from ..codelist import code_list, validate_codes
from ..models import Envelope, LedgerEntry, LedgerKind, RepairRequest
from .common import clean_amount, rupiah
from .errors import RequestError
from .summaries import envelope_figure_add


MAX_ALLOCATION = 10**15  # Rp1.000 triliun: a sanity bound, not a policy


def _locked(envelope: Envelope) -> Envelope:
    return Envelope.objects.select_for_update().get(pk=envelope.pk)


def _totals(env: Envelope) -> dict:
    return {"allocated": env.allocated, "reserved": env.reserved, "paid": env.paid, "room": env.room}


def _sync(target: Envelope, source: Envelope) -> None:
    # Let the caller's object see the new totals without another query.
    if target is not source:
        target.allocated, target.reserved, target.paid = source.allocated, source.reserved, source.paid


def _move(env: Envelope, **deltas: int) -> None:
    """Add ``deltas`` to the locked envelope's totals, in the database (``F()``) and on ``env``."""
    try:  # no savepoint: the error ends the caller's transaction anyway
        Envelope.objects.filter(pk=env.pk).update(**{k: F(k) + v for k, v in deltas.items()})
    except IntegrityError as exc:  # only reachable if a caller bypassed the room check
        raise RequestError("insufficient_room", _("Sisa pagu tidak mencukupi.")) from exc
    for k, v in deltas.items():
        setattr(env, k, getattr(env, k) + v)


def _write(env: Envelope, *, kind: str, amount: int, actor: User | None, request_obj: RepairRequest | None,
           capacity: str = "", note: str = "", before: dict, request=None, audit_into: list | None = None,
           figures_into: list | None = None, **extra) -> LedgerEntry:
    """The ledger entry and the audit event of a movement already applied to ``env``. With ``audit_into`` the
    event (``audit_record``'s keyword arguments) is appended there for the caller to write with its own; with
    ``figures_into`` the envelope month for the summaries likewise (for the caller's ``figures_apply``)."""
    entry = LedgerEntry.objects.create(
        envelope=env, kind=kind, amount=amount, request=request_obj, actor=actor, capacity=capacity, note=note,
        room_after=env.room, **extra,
    )
    envelope_figure_add(entry=entry, into=figures_into)
    event = dict(
        actor=actor, action=f"envelope.{kind}", obj=env, capacity=capacity, before=before,
        after={**_totals(env), "entry": entry.pk, "amount": amount, "request": request_obj.pk if request_obj else None},
        reason=note, request=request,
    )
    if audit_into is None:
        audit_record(**event)
    else:
        audit_into.append(event)
    return entry


def envelope_create(*, actor: User | None, org_unit: OrgUnit, sub_kegiatan: str, account_code: str,
                    fiscal_year: int, name: str, request=None) -> Envelope:
    """A new envelope; its sub kegiatan and kode rekening must be in the shipped code list (``codelist``) and
    the sub kegiatan must be one the unit budgets under."""
    sub_kegiatan, account_code = validate_codes(org_unit=org_unit, sub_kegiatan=sub_kegiatan,
                                                account_code=account_code)
    with transaction.atomic():
        if Envelope.objects.filter(org_unit=org_unit, account_code=account_code, fiscal_year=fiscal_year).exists():
            raise RequestError(
                "duplicate", _("Pagu untuk unit, kode rekening dan tahun ini sudah ada."), "account_code"
            )
        env = Envelope.objects.create(org_unit=org_unit, sub_kegiatan=sub_kegiatan, account_code=account_code,
                                      code_list_version=code_list().version, fiscal_year=fiscal_year,
                                      name=(name or account_code).strip())
        audit_record(actor=actor, action="envelope.created", obj=env, request=request,
                     after={**_totals(env), "sub_kegiatan": sub_kegiatan, "account_code": account_code,
                            "code_list_version": env.code_list_version})
    return env


def envelope_allocate(*, envelope: Envelope, amount, actor: User | None, note: str = "", request=None) -> LedgerEntry:
    """Add ``amount`` to the envelope's allocation (pagu)."""
    amount = clean_amount(amount, maximum=MAX_ALLOCATION)
    with transaction.atomic():
        env = _locked(envelope)
        before = _totals(env)
        _move(env, allocated=amount)
        entry = _write(env, kind=LedgerKind.ALLOCATE, amount=amount, actor=actor, request_obj=None, note=note,
                       before=before, request=request)
    _sync(envelope, env)
    return entry


def envelope_reserve(*, envelope: Envelope, amount: int, request_obj: RepairRequest, actor: User | None,
                     capacity: str = "", request=None, savepoint: bool = True, locked: bool = False,
                     audit_into: list | None = None, figures_into: list | None = None) -> LedgerEntry:
    """Commit ``amount`` for an approved request; ``RequestError("insufficient_room")`` if it does not fit.

    ``savepoint=False`` (for a caller whose whole transaction fails with any error raised here, like the
    approval service) skips the savepoint round trips; a refusal then dooms the caller's transaction.
    ``locked=True``: the caller has locked and loaded ``envelope`` in this transaction. ``audit_into`` and
    ``figures_into``: see ``_write``.
    """
    amount = clean_amount(amount)
    with transaction.atomic(savepoint=savepoint):
        env = envelope if locked else _locked(envelope)
        if env.room < amount:
            raise RequestError(
                "insufficient_room",
                _("Sisa pagu %(envelope)s tidak mencukupi: tersedia Rp%(room)s, dibutuhkan Rp%(amount)s.")
                % {"envelope": env.name, "room": rupiah(env.room), "amount": rupiah(amount)},
                "amount",
            )
        before = _totals(env)
        _move(env, reserved=amount)
        entry = _write(env, kind=LedgerKind.RESERVE, amount=amount, actor=actor, request_obj=request_obj,
                       capacity=capacity, before=before, request=request, audit_into=audit_into,
                       figures_into=figures_into)
    _sync(envelope, env)
    return entry


def envelope_pay(*, envelope: Envelope, amount: int, request_obj: RepairRequest, actor: User | None, spp: str,
                 spm: str, sp2d: str, paid_on: dt.date, capacity: str = "", note: str = "", request=None) -> LedgerEntry:
    """Turn a reservation into spending: at the SP2D of an LS payment, or at a spend from UP (``note``: its
    evidence)."""
    amount = clean_amount(amount)
    with transaction.atomic(savepoint=False):
        env = _locked(envelope)
        if env.reserved < amount:
            raise RequestError("not_reserved", _("Tidak ada pencadangan yang cukup untuk dibayar pada pagu ini."))
        before = _totals(env)
        _move(env, reserved=-amount, paid=amount)
        entry = _write(env, kind=LedgerKind.PAY, amount=amount, actor=actor, request_obj=request_obj,
                       capacity=capacity, note=note, before=before, request=request, spp_number=spp, spm_number=spm,
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
        _move(env, reserved=-amount)
        entry = _write(env, kind=LedgerKind.RELEASE, amount=amount, actor=actor, request_obj=request_obj,
                       capacity=capacity, note=note, before=before, request=request)
    _sync(envelope, env)
    return entry
