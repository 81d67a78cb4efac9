"""Who may see and triage a complaint, composed from ``workflows.policy``.

* Triage (raise the repair request, close with a reason, send to another kelurahan): whoever acts today
  (definitif, Plh or Plt) for the position the triage task is addressed to — the kelurahan's operator, or
  Diskominfo's technician for complaints that matched no kelurahan — or for the position it was escalated to.
* Seeing a complaint: its kelurahan in the user's scope (a lurah or camat sees their own), city-wide offices
  everything, and the triage positions their own complaints (also those that matched nothing).
* The outbox page: anyone who sees complaints; a delivery is queued again by whoever may see its complaint.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.acting import Acting, acting_for, positions_today
from workflows.models import PositionKind, User
from workflows.policy import Denied, may_see_unit, visible_unit_paths

from .models import Complaint

# Positions that hold a triage queue (and so see the complaints addressed to them).
TRIAGE_KINDS = frozenset({PositionKind.OPERATOR_KELURAHAN, PositionKind.OPERATOR_KECAMATAN,
                          PositionKind.TEKNISI_DISKOMINFO})
# Who answers for an overdue triage, by the kind of the position it waits at: one level up, then the next.
ESCALATION_KINDS = {
    PositionKind.OPERATOR_KELURAHAN: (PositionKind.LURAH, PositionKind.CAMAT),
    PositionKind.OPERATOR_KECAMATAN: (PositionKind.SEKCAM, PositionKind.CAMAT),
    PositionKind.TEKNISI_DISKOMINFO: (PositionKind.KEPALA_DISKOMINFO, PositionKind.KEPALA_DISKOMINFO),
}


def triage_position_ids(complaint: Complaint) -> list[int]:
    return [pk for pk in (complaint.triage_position_id, complaint.escalated_to_id) if pk]


def authorize_triage(*, user: User, complaint: Complaint, at: dt.datetime | None = None) -> Acting:
    """The capacity in which ``user`` triages ``complaint`` now, or ``Denied``."""
    at = at or timezone.now()
    for position in (complaint.triage_position, complaint.escalated_to):
        if position is None:
            continue
        acting = acting_for(user, position, at)
        if acting is not None:
            return acting
    title = complaint.triage_position.title if complaint.triage_position_id else _("penelaah pengaduan")
    raise Denied("not_triage_officer", _("Pengaduan ini ditelaah oleh %(position)s.") % {"position": title})


def may_view_complaint(user: User, complaint: Complaint) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if visible_unit_paths(user) is None:
        return True
    if complaint.org_unit_id and may_see_unit(user, complaint.org_unit):
        return True
    ids = set(triage_position_ids(complaint))
    return any(a.position.pk in ids for a in positions_today(user))


def may_see_complaints(user: User) -> bool:
    """Whether the complaint list and the outbox page are for ``user`` (staff acting for some position)."""
    if not getattr(user, "is_authenticated", False):
        return False
    paths = visible_unit_paths(user)  # remembered for the request: the menu asks this of every flow
    return paths is None or bool(paths)
