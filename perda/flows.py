"""The formation flow of a Perda or Perwali: who acts next, at which stage (DOMAIN.md §4).

The flow decides *who acts next*; the FSM on ``Formation.stage`` decides *what state the draft is in*. Each
human task stands for one stage and is addressed to the position that must act (Kabag Hukum records outside
parties' results, the pemrakarsa revises and submits, the Wali Kota signs, the Sekda promulgates). The task's
page is the draft's formation page, whose forms call ``perda.services``; the service moves the FSM and then
completes the task, and ``route`` opens the task of the stage the FSM has reached (loops included: returned
from harmonisation, fasilitasi findings, a not-compliant evaluasi). Terminal stages end the process.
"""
from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from workflows.models import PositionKind

from .states import Stage


def _permission_of(position) -> str | None:
    return position.permission_name if position is not None else None


def _kabag(activation) -> str | None:
    from .policy import position_of_kind

    return _permission_of(position_of_kind(PositionKind.KABAG_HUKUM))


def _pemrakarsa(activation) -> str | None:
    from .policy import pemrakarsa_position

    formation = activation.process.formation
    return _permission_of(pemrakarsa_position(formation.regulation)) or _kabag(activation)


def _walikota(activation) -> str | None:
    from .policy import position_of_kind

    return _permission_of(position_of_kind(PositionKind.WALI_KOTA))


def _sekda(activation) -> str | None:
    from .policy import position_of_kind

    return _permission_of(position_of_kind(PositionKind.SEKDA))


def formation_task_view(request, **kwargs):
    """A stage task's page is the formation page of its draft, where the allowed actions are."""
    formation = request.activation.process.formation
    return redirect(reverse("perda:formation_detail", args=[formation.regulation_id]))


def _at(stage: str):
    return lambda activation: activation.process.formation.stage == stage


# stage -> task node name; a stage not listed here (selesai, ditarik) ends the process.
STAGE_TASKS = {
    Stage.PERENCANAAN: "perencanaan",
    Stage.PENYUSUNAN: "penyusunan",
    Stage.HARMONISASI: "harmonisasi",
    Stage.PEMBAHASAN_1: "pembahasan_1",
    Stage.FASILITASI: "fasilitasi",
    Stage.PEMBAHASAN_2: "pembahasan_2",
    Stage.PENYERAHAN: "penyerahan",
    Stage.EVALUASI: "evaluasi",
    Stage.PERBAIKAN_EVALUASI: "perbaikan_evaluasi",
    Stage.NOREG: "noreg",
    Stage.PENETAPAN: "penetapan",
    Stage.PENGUNDANGAN: "pengundangan",
    Stage.PENYEBARLUASAN: "penyebarluasan",
}


def _task(title, permission):
    return flow.View(formation_task_view).Annotation(title=title).Permission(permission).Next(this.route)


class FormationFlow(flow.Flow):
    """Pembentukan Perda/Perwali

    Tahapan pembentukan produk hukum daerah: penyusunan, harmonisasi, pembahasan, fasilitasi/evaluasi,
    noreg, penetapan, pengundangan dan penyebarluasan."""

    lock_impl = lock.select_for_update_lock
    # Set explicitly: viewflow would take them from the docstring, untranslated.
    process_title = _("Pembentukan Perda/Perwali")
    process_description = _(
        "Tahapan pembentukan produk hukum daerah: penyusunan, harmonisasi, pembahasan, fasilitasi/evaluasi, "
        "noreg, penetapan, pengundangan dan penyebarluasan."
    )
    process_summary_template = "{{ process.formation.regulation }}"
    icon = "gavel"

    start = flow.StartHandle(this.start_formation).Annotation(title=_("Pembentukan dimulai")).Next(this.route)
    route = (
        flow.Switch()
        .Annotation(title=_("Tahap berikutnya"))
        .Case(this.perencanaan, _at(Stage.PERENCANAAN))
        .Case(this.penyusunan, _at(Stage.PENYUSUNAN))
        .Case(this.harmonisasi, _at(Stage.HARMONISASI))
        .Case(this.pembahasan_1, _at(Stage.PEMBAHASAN_1))
        .Case(this.fasilitasi, _at(Stage.FASILITASI))
        .Case(this.pembahasan_2, _at(Stage.PEMBAHASAN_2))
        .Case(this.penyerahan, _at(Stage.PENYERAHAN))
        .Case(this.evaluasi, _at(Stage.EVALUASI))
        .Case(this.perbaikan_evaluasi, _at(Stage.PERBAIKAN_EVALUASI))
        .Case(this.noreg, _at(Stage.NOREG))
        .Case(this.penetapan, _at(Stage.PENETAPAN))
        .Case(this.pengundangan, _at(Stage.PENGUNDANGAN))
        .Case(this.penyebarluasan, _at(Stage.PENYEBARLUASAN))
        .Default(this.end)
    )
    perencanaan = _task(_("Mulai penyusunan (Propemperda)"), _kabag)
    penyusunan = _task(_("Susun dan ajukan rancangan"), _pemrakarsa)
    harmonisasi = _task(_("Catat hasil pengharmonisasian"), _kabag)
    pembahasan_1 = _task(_("Catat hasil pembahasan tingkat I"), _kabag)
    fasilitasi = _task(_("Catat hasil fasilitasi Gubernur"), _kabag)
    pembahasan_2 = _task(_("Catat persetujuan bersama"), _kabag)
    penyerahan = _task(_("Catat penerimaan oleh Wali Kota"), _kabag)
    evaluasi = _task(_("Catat hasil evaluasi Gubernur"), _kabag)
    perbaikan_evaluasi = _task(_("Sempurnakan sesuai hasil evaluasi"), _kabag)
    noreg = _task(_("Kirim dan catat noreg"), _kabag)
    penetapan = _task(_("Tetapkan (tanda tangan Wali Kota)"), _walikota)
    pengundangan = _task(_("Undangkan (Sekretaris Daerah)"), _sekda)
    penyebarluasan = _task(_("Publikasikan di JDIH"), _kabag)
    end = flow.End().Annotation(title=_("Selesai"))

    def start_formation(self, activation, formation):
        activation.process.artifact = formation.regulation
        activation.process.save()
        formation.process = activation.process
        formation.save(update_fields=["process", "updated_at"])
        return activation.process

    def document_url(self, task) -> str | None:
        """The draft's formation page, where the stage's actions are (``workflows.site.task_document_url``)."""
        from .models import Formation

        regulation_id = Formation.objects.filter(process_id=task.process_id).values_list("regulation_id", flat=True).first()
        return reverse("perda:formation_detail", args=[regulation_id]) if regulation_id else None

    def has_view_permission(self, user, obj=None):
        return bool(user.is_authenticated)
