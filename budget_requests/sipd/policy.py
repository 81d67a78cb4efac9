"""Who exchanges files with SIPD and reconciles SP2D: BPKAD as Bendahara Umum Daerah.

The Kuasa BUD issues SP2D (Permendagri 77/2020), so BPKAD's finance officers — the Kepala BPKAD, the Kuasa BUD
and the finance analysts — choose export batches, import SP2D files and act on the reconciliation; the same
officers make envelopes (pagu) from the DPA. Recording an SP2D on a payment is still the payment service's own
check (only whoever acts for the Kuasa BUD position today). A refusal raises ``workflows.policy.Denied`` and is
recorded as ``sipd.denied``.
"""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.acting import Acting, positions_today
from workflows.models import PositionKind, User
from workflows.policy import Denied
from workflows.services.audit import audit_record

BPKAD_FINANCE_KINDS = frozenset({PositionKind.KEPALA_BPKAD, PositionKind.KUASA_BUD, PositionKind.ANALIS_BPKAD})
STREAM = "sipd"


def bpkad_acting(user: User) -> Acting | None:
    """The capacity in which ``user`` acts for BPKAD's finance today, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return next((a for a in positions_today(user) if a.position.kind in BPKAD_FINANCE_KINDS), None)


def may_exchange_with_sipd(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or bpkad_acting(user)))


def require_bpkad(user: User, *, attempted: str, request=None) -> str:
    """The capacity label of a BPKAD finance officer (empty for an administrator), or ``Denied`` — recorded."""
    acting = bpkad_acting(user)
    if acting is not None:
        return acting.capacity_label
    if getattr(user, "is_superuser", False):
        return ""
    record_denied(user, attempted, request=request)
    raise Denied("not_bpkad", _("Hanya pejabat keuangan BPKAD (Kepala BPKAD, Kuasa BUD, analis keuangan) yang "
                                "dapat melakukan ini."))


def record_denied(user: User, attempted: str, *, request=None) -> None:
    with transaction.atomic():
        audit_record(actor=user if getattr(user, "is_authenticated", False) else None, action="sipd.denied",
                     stream=STREAM, after={"attempted": attempted,
                                           "path": getattr(request, "path", "") if request else ""},
                     request=request)
