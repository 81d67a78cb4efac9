"""The one place that answers "may this user do this here, now?".

viewflow and django-fsm do not enforce permissions when code calls them, so every view, API endpoint and
service that acts for a user goes through these checks. Apps compose them into their own rules
(``budget_requests`` adds the delegation limit); the primitives here are shared: acting capacity (Plh/Plt),
org-unit scope, four-eyes, and what a user may see.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from .acting import Acting, acting_for, positions_for, positions_today
from .models import OrgUnit, Position, PositionKind, User

# Positions whose holders see the whole city (finance, audit, legal, leadership).
CITY_WIDE_KINDS = frozenset({
    PositionKind.WALI_KOTA, PositionKind.SEKDA, PositionKind.KEPALA_BPKAD, PositionKind.ANALIS_BPKAD,
    PositionKind.INSPEKTUR, PositionKind.AUDITOR, PositionKind.KEPALA_DISKOMINFO,
    PositionKind.TEKNISI_DISKOMINFO, PositionKind.KABAG_HUKUM, PositionKind.PERANCANG, PositionKind.KUASA_BUD,
})


_VISIBLE_PATHS_ATTR = "_pamong_visible_unit_paths"


class Denied(PermissionDenied):
    """A refusal with a machine-readable code and an Indonesian message for the user."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class OutOfScope(Denied):
    """A record outside what the user may see: callers answer 404, the same as for a record that does not exist,
    before any message about the record's state (an outsider learns nothing, not even that it exists)."""

    def __init__(self):
        super().__init__("not_found", _("Data tidak ditemukan."))


def may_see_unit(user: User, unit: OrgUnit, *, owner_id: int | None = None) -> bool:
    """Whether ``user`` may see a record of ``unit`` (``owner_id``: the user who raised it, who always may)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if owner_id is not None and owner_id == user.pk:
        return True
    paths = visible_unit_paths(user)
    if paths is None:
        return True
    return any(unit.path == p or unit.path.startswith(p + "/") for p in paths)


def require_visible(user: User, unit: OrgUnit, *, owner_id: int | None = None) -> None:
    """Raise ``OutOfScope`` when ``user`` may not see a record of ``unit``: checked before anything else."""
    if not may_see_unit(user, unit, owner_id=owner_id):
        raise OutOfScope()


def require_acting(user: User, position: Position, at: dt.datetime | dt.date | None = None) -> Acting:
    """The capacity in which ``user`` acts for ``position`` now, or ``Denied``."""
    acting = acting_for(user, position, at)
    if acting is None:
        raise Denied(
            "not_acting_for_position",
            _("Anda tidak sedang menjabat atau bertindak sebagai %(position)s.") % {"position": position.title},
        )
    return acting


def require_in_unit(acting: Acting, unit: OrgUnit) -> None:
    """A unit head acts only inside their own unit (a camat in their kecamatan and its kelurahan)."""
    home = acting.position.org_unit
    if acting.position.kind in CITY_WIDE_KINDS:
        return
    if not unit.is_within(home):
        raise Denied(
            "outside_unit",
            _("%(position)s tidak berwenang atas %(unit)s.") % {"position": acting.position.title, "unit": unit},
        )


def require_four_eyes(user: User, involved_user_ids: Iterable[int]) -> None:
    """No one approves a document they raised or revised."""
    if user.pk in set(involved_user_ids):
        raise Denied(
            "four_eyes",
            _("Anda tidak boleh menyetujui dokumen yang Anda ajukan atau ubah sendiri (prinsip empat mata)."),
        )


def visible_unit_paths(user: User, at: dt.datetime | dt.date | None = None) -> list[str] | None:
    """Org-unit paths whose records ``user`` may see; None means the whole city.

    For "now" the answer is remembered on the user object for the length of one request, like the
    position permissions (``workflows.permissions.forget_cached_positions`` drops both).
    """
    if at is None and hasattr(user, _VISIBLE_PATHS_ATTR):
        return getattr(user, _VISIBLE_PATHS_ATTR)
    paths: list[str] | None = None if user.is_superuser else []
    if paths is not None:
        for acting in positions_today(user, at):
            if acting.position.kind in CITY_WIDE_KINDS:
                paths = None
                break
            paths.append(acting.position.org_unit.path)
    if at is None:
        setattr(user, _VISIBLE_PATHS_ATTR, paths)
    return paths


def unit_scope_q(user: User, field: str = "org_unit", at: dt.datetime | dt.date | None = None) -> Q:
    """A filter restricting a queryset to what ``user`` may see.

    ``field`` names the OrgUnit foreign key to filter on ("org_unit", "request__org_unit"); an empty
    ``field`` filters an OrgUnit queryset itself.
    """
    paths = visible_unit_paths(user, at)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    prefix = f"{field}__" if field else ""
    q = Q()
    for path in paths:
        q |= Q(**{f"{prefix}path": path}) | Q(**{f"{prefix}path__startswith": path + "/"})
    return q


POSITION_PERMISSION_PREFIX = "workflows.act_for_position_"


def task_position(task) -> Position | None:
    """The position a human task is addressed to (its ``owner_permission``), or None."""
    perm = getattr(task, "owner_permission", "") or ""
    if not perm.startswith(POSITION_PERMISSION_PREFIX):
        return None
    suffix = perm[len(POSITION_PERMISSION_PREFIX):]
    if not suffix.isdigit():
        return None
    return Position.objects.filter(pk=int(suffix)).select_related("org_unit").first()


def require_may_take_task(user: User, task) -> Acting | None:
    """May ``user`` take (be assigned) this open task? The capacity they act in, or ``Denied``.

    A task addressed to a position is taken by whoever holds or acts for it today; a task addressed to a
    person (``owner``) only by that person. viewflow's own check (``can_assign``) is not enough: it asks the
    permission backend only, while acting capacity is decided here.
    """
    if task.owner_id:
        if task.owner_id == user.pk:
            return None
        raise Denied("task_taken", _("Tugas ini sudah diambil orang lain."))
    position = task_position(task)
    if position is None:
        raise Denied("task_not_addressed", _("Tugas ini tidak ditujukan kepada jabatan Anda."))
    return require_acting(user, position)
