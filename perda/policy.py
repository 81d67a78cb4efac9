"""Who may act on a regulation's formation, composed from ``workflows.policy``.

Every formation/consultation service takes the already-checked ``Acting`` (the capacity is recorded on each
decision); views call these functions first and show the ``Denied`` message with a 403.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.utils.translation import gettext as _

from workflows.acting import Acting, positions_for, positions_today
from workflows.models import Position, PositionKind, User
from workflows.policy import Denied, require_acting

from .models import Formation, Regulation
from .states import AGREED_WITHDRAWAL, FREE_WITHDRAWAL, Stage

BAGIAN_HUKUM = (PositionKind.KABAG_HUKUM, PositionKind.PERANCANG)


def _acting_kinds(user: User, kinds: Iterable[str], at=None) -> list[Acting]:
    kinds = set(kinds)
    return [a for a in positions_for(user, at) if a.position.kind in kinds]


def _first(user: User, kinds: Iterable[str], message: str, code: str, at=None) -> Acting:
    found = sorted(_acting_kinds(user, kinds, at), key=lambda a: list(kinds).index(a.position.kind))
    if not found:
        raise Denied(code, message)
    return found[0]


def require_bagian_hukum(user: User, at=None) -> Acting:
    """Kabag Hukum or a perancang (definitif, Plt or Plh) — the ones who record outside parties' results."""
    return _first(user, BAGIAN_HUKUM, _("Hanya Bagian Hukum (Kabag Hukum atau perancang) yang dapat melakukan ini."),
                  "not_bagian_hukum", at)


def pemrakarsa_position(regulation: Regulation) -> Position | None:
    """The initiating office's pemrakarsa post (the task of revising a draft is addressed to it)."""
    return (
        Position.objects.filter(org_unit_id=regulation.pemrakarsa_id, kind=PositionKind.PEMRAKARSA, is_active=True)
        .order_by("pk").first()
    )


def position_of_kind(kind: str) -> Position | None:
    return Position.objects.filter(kind=kind, is_active=True).order_by("pk").first()


def require_may_draft(user: User, regulation: Regulation, at=None) -> Acting:
    """The pemrakarsa of the draft's office, or Bagian Hukum who coordinates the drafting."""
    position = pemrakarsa_position(regulation)
    if position is not None:
        for acting in positions_for(user, at):
            if acting.position.pk == position.pk:
                return acting
    try:
        return require_bagian_hukum(user, at)
    except Denied:
        raise Denied("not_pemrakarsa", _("Hanya pemrakarsa rancangan ini atau Bagian Hukum yang dapat mengajukannya."))


def require_may_edit(user: User, regulation: Regulation, at=None) -> str:
    """Whether ``user`` may change the draft's text and data; raises ``Denied``. Returns the capacity recorded in
    the audit trail: the draft's responsible drafter, the pemrakarsa post of its office or Bagian Hukum (with
    Plh/Plt), or an administrator."""
    if user.is_superuser:
        return ""
    if regulation.drafter_id == user.pk:
        return _("Perancang penanggung jawab")
    return require_may_draft(user, regulation, at).capacity_label


def require_may_start_draft(user: User, pemrakarsa, at=None) -> str:
    """Whether ``user`` may start a draft for the initiating office ``pemrakarsa``: any official holding a post
    (the pemrakarsa's own post and Bagian Hukum first, for the capacity recorded); raises ``Denied``."""
    if user.is_superuser:
        return ""
    actings = positions_for(user, at)
    if not actings:
        raise Denied("no_position", _("Halaman ini hanya untuk pegawai yang memegang jabatan."))
    pemrakarsa_id = getattr(pemrakarsa, "pk", pemrakarsa)

    def rank(acting: Acting) -> int:
        if acting.position.kind == PositionKind.PEMRAKARSA and acting.position.org_unit_id == pemrakarsa_id:
            return 0
        return 1 if acting.position.kind in BAGIAN_HUKUM else 2

    return min(actings, key=rank).capacity_label


def require_walikota(user: User, at=None) -> Acting:
    position = position_of_kind(PositionKind.WALI_KOTA)
    if position is None:
        raise Denied("no_position", _("Jabatan Wali Kota belum terdaftar."))
    return require_acting(user, position, at)


def require_sekda(user: User, at=None) -> Acting:
    position = position_of_kind(PositionKind.SEKDA)
    if position is None:
        raise Denied("no_position", _("Jabatan Sekretaris Daerah belum terdaftar."))
    return require_acting(user, position, at)


def require_stage(formation: Formation, *stages: str) -> None:
    if formation.stage not in stages:
        raise Denied(
            "wrong_stage",
            _("Tindakan ini tidak dapat dilakukan pada tahap %(stage)s.") % {"stage": formation.get_stage_display()},
        )


def check_withdrawal(formation: Formation, agreement: str) -> None:
    """Before pembahasan I a draft may be withdrawn freely; until persetujuan bersama only with a recorded
    joint agreement of DPRD and Wali Kota; after that not at all (UU 12/2011)."""
    if formation.stage in FREE_WITHDRAWAL:
        return
    if formation.stage in AGREED_WITHDRAWAL:
        if not agreement.strip():
            raise Denied(
                "withdrawal_needs_agreement",
                _("Setelah pembahasan tingkat I dimulai, penarikan hanya dapat dilakukan berdasarkan persetujuan "
                  "bersama DPRD dan Wali Kota: isi nomor dokumen persetujuan bersama penarikan."),
            )
        return
    raise Denied("withdrawal_not_allowed",
                 _("Rancangan pada tahap %(stage)s tidak dapat ditarik.") % {"stage": formation.get_stage_display()})


def may_view_formation(user: User) -> bool:
    """Staff pages: anyone logged in with a position may see drafts (they become public at consultation)."""
    return bool(user.is_authenticated and (user.is_superuser or positions_today(user)))


def allowed_actions(user: User, formation: Formation, *, today: dt.date | None = None) -> set[str]:
    """The action names the formation page offers ``user`` now. Services re-check every one."""
    actions: set[str] = set()
    if not formation.is_active:
        return actions
    kinds = {a.position.kind for a in positions_today(user)}
    is_hukum = bool(kinds & set(BAGIAN_HUKUM)) or user.is_superuser
    stage = formation.stage
    if stage == Stage.PERENCANAAN and is_hukum:
        actions.add("start_drafting")
    if stage == Stage.PENYUSUNAN:
        try:
            require_may_draft(user, formation.regulation)
            actions.add("submit")
        except Denied:
            pass
    if stage in ("harmonisasi", "pembahasan_1", "fasilitasi", "pembahasan_2", "penyerahan", "evaluasi",
                 "perbaikan_evaluasi", "noreg") and is_hukum:
        actions.add("record")
    if stage == Stage.PENETAPAN:
        if PositionKind.WALI_KOTA in kinds:
            actions.add("enact")
        if is_hukum and not formation.is_perwali:
            actions.add("declare_valid")
    if stage == Stage.PENGUNDANGAN and PositionKind.SEKDA in kinds:
        actions.add("promulgate")
    if stage == Stage.PENYEBARLUASAN and is_hukum:
        actions.add("metadata")
        actions.add("publish")
    if is_hukum and stage in (FREE_WITHDRAWAL | AGREED_WITHDRAWAL):
        actions.add("withdraw")
    if is_hukum:
        actions.add("consultation")
    return actions
