"""Who may see finance figures and run what-if scenarios (composed from ``workflows.policy``).

* The dashboard, drill-down, exports, monthly reports and the finance API: BPKAD, Inspektorat, city
  leadership, camat/sekcam, lurah, bendahara/PPTK — each sees only their scope (``unit_scope_q``).
* What-if scenarios (copy, edit, replay): BPKAD finance officers and superusers.
* A refusal raises ``workflows.policy.Denied``; views answer 403 and record ``finance.denied``.
"""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.acting import positions_today
from workflows.models import PositionKind, User
from workflows.policy import Denied
from workflows.services.audit import audit_record

FINANCE_VIEWER_KINDS = frozenset({
    PositionKind.KEPALA_BPKAD, PositionKind.KUASA_BUD, PositionKind.ANALIS_BPKAD, PositionKind.INSPEKTUR,
    PositionKind.AUDITOR,
    PositionKind.WALI_KOTA, PositionKind.SEKDA, PositionKind.CAMAT, PositionKind.SEKCAM, PositionKind.LURAH,
    PositionKind.BENDAHARA, PositionKind.PPTK,
})
SCENARIO_KINDS = frozenset({PositionKind.KEPALA_BPKAD, PositionKind.ANALIS_BPKAD})


def _kinds(user: User) -> set[str]:
    if not hasattr(user, "_finance_kinds"):
        user._finance_kinds = {a.position.kind for a in positions_today(user)}
    return user._finance_kinds


def can_view_finance(user: User) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or _kinds(user) & FINANCE_VIEWER_KINDS)


def can_manage_scenarios(user: User) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or _kinds(user) & SCENARIO_KINDS)


def require_finance_viewer(user: User, *, request=None) -> None:
    if not can_view_finance(user):
        record_denied(user, "view", request=request)
        raise Denied("finance_not_allowed", _("Anda tidak berwenang melihat data keuangan."))


def require_scenario_manager(user: User, *, request=None) -> None:
    if not can_manage_scenarios(user):
        record_denied(user, "whatif", request=request)
        raise Denied("whatif_not_allowed", _("Hanya pejabat keuangan BPKAD yang dapat mengelola skenario."))


def record_denied(user: User, attempted: str, *, request=None) -> None:
    with transaction.atomic():
        audit_record(actor=user if getattr(user, "is_authenticated", False) else None, action="finance.denied",
                     stream="finance", after={"attempted": attempted,
                                              "path": getattr(request, "path", "") if request else ""},
                     request=request)
