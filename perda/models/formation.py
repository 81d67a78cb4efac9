"""The formation process of a regulation: its stage (FSM), the outside parties' results, deadline notices, and
public consultation with dispositions.

Only ``perda.services.formation`` / ``consultation`` / ``enactment`` write these rows. The stage field is
written only by the ``@transition`` methods below, which the services call inside a locked transaction.
"""
from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from ..states import AGREED_WITHDRAWAL, FREE_WITHDRAWAL, TERMINAL, Stage

_ACTIVE = [s for s in Stage.values if s not in TERMINAL]


class Formation(models.Model):
    """Where a draft stands in its formation (DOMAIN.md §4). One per regulation."""

    regulation = models.OneToOneField(
        "perda.Regulation", verbose_name=_("rancangan"), on_delete=models.PROTECT, related_name="formation"
    )
    stage = FSMField(_("tahap"), max_length=32, choices=Stage.choices, default=Stage.PERENCANAAN)
    stage_since = models.DateField(_("tahap dimulai"), default=dt.date.today)
    process = models.OneToOneField(
        "viewflow.Process", verbose_name=_("proses alur kerja"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="formation",
    )
    # Dates the deadlines count from (recorded from the documents received).
    persetujuan_bersama_on = models.DateField(_("tanggal persetujuan bersama"), null=True, blank=True)
    received_by_walikota_on = models.DateField(_("diterima Wali Kota"), null=True, blank=True)
    evaluasi_finding_on = models.DateField(_("hasil evaluasi belum sesuai diterima"), null=True, blank=True)
    # The Gubernur's latest evaluasi decision: the penetapan clock of an evaluated Perda counts from it
    # (Permendagri 80/2015 Pasal 102 ayat (3)), not from persetujuan bersama.
    evaluasi_decided_on = models.DateField(_("tanggal keputusan evaluasi Gubernur"), null=True, blank=True)
    noreg_clock_from = models.DateField(_("siap dikirim untuk noreg"), null=True, blank=True)
    noreg_sent_on = models.DateField(_("dikirim untuk noreg"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("alasan penarikan"), blank=True)
    withdrawal_agreement = models.CharField(_("nomor persetujuan bersama penarikan"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("dipublikasikan di JDIH"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("pembentukan")
        verbose_name_plural = _("pembentukan")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["stage"])]

    def __str__(self) -> str:
        return f"{self.regulation} — {self.get_stage_display()}"

    # --- facts the transitions branch on ---------------------------------------------------------------
    @property
    def is_perwali(self) -> bool:
        return self.regulation.kind == "perwali"

    @property
    def is_evaluasi(self) -> bool:
        return bool(self.regulation.evaluasi_kind)

    @property
    def is_active(self) -> bool:
        return self.stage not in TERMINAL

    def _enter(self, on: dt.date | None) -> None:
        self.stage_since = on or timezone.localdate()

    # --- transitions (the only writers of ``stage``) -------------------------------------------------
    @transition(field=stage, source=Stage.PERENCANAAN, target=Stage.PENYUSUNAN)
    def start_drafting(self, on: dt.date | None = None) -> None:
        self._enter(on)

    @transition(field=stage, source=Stage.PENYUSUNAN, target=Stage.HARMONISASI)
    def submit_harmonisasi(self, on: dt.date | None = None) -> None:
        self._enter(on)

    @transition(field=stage, source=Stage.HARMONISASI, target=Stage.PENYUSUNAN)
    def return_from_harmonisasi(self, on: dt.date | None = None) -> None:
        self._enter(on)

    @transition(field=stage, source=Stage.HARMONISASI, target=RETURN_VALUE(Stage.PEMBAHASAN_1, Stage.PENETAPAN))
    def finish_harmonisasi(self, on: dt.date | None = None) -> str:
        # A Perwali needs no DPRD: after harmonisation the Wali Kota signs.
        self._enter(on)
        return Stage.PENETAPAN if self.is_perwali else Stage.PEMBAHASAN_1

    @transition(
        field=stage, source=Stage.PEMBAHASAN_1, target=RETURN_VALUE(Stage.FASILITASI, Stage.PEMBAHASAN_2),
        conditions=[lambda f: not f.is_perwali],
    )
    def finish_pembahasan_1(self, on: dt.date | None = None) -> str:
        # Drafts that go to evaluasi (APBD, pajak, retribusi, tata ruang, RPJPD/RPJMD) skip fasilitasi.
        self._enter(on)
        return Stage.PEMBAHASAN_2 if self.is_evaluasi else Stage.FASILITASI

    @transition(field=stage, source=Stage.FASILITASI, target=Stage.PEMBAHASAN_2)
    def finish_fasilitasi(self, on: dt.date | None = None) -> None:
        self._enter(on)

    @transition(field=stage, source=Stage.FASILITASI, target=Stage.PEMBAHASAN_1)
    def return_from_fasilitasi(self, on: dt.date | None = None) -> None:
        self._enter(on)

    @transition(field=stage, source=Stage.PEMBAHASAN_2, target=Stage.PENYERAHAN)
    def approve_jointly(self, on: dt.date) -> None:
        self.persetujuan_bersama_on = on
        self._enter(on)

    @transition(field=stage, source=Stage.PENYERAHAN, target=RETURN_VALUE(Stage.EVALUASI, Stage.NOREG))
    def receive_by_walikota(self, on: dt.date) -> str:
        self.received_by_walikota_on = on
        self._enter(on)
        if self.is_evaluasi:
            return Stage.EVALUASI
        self.noreg_clock_from = on
        return Stage.NOREG

    @transition(field=stage, source=Stage.EVALUASI, target=Stage.NOREG, conditions=[lambda f: f.is_evaluasi])
    def pass_evaluasi(self, on: dt.date) -> None:
        self.noreg_clock_from = on
        self.evaluasi_decided_on = on
        self._enter(on)

    @transition(field=stage, source=Stage.EVALUASI, target=Stage.PERBAIKAN_EVALUASI)
    def fail_evaluasi(self, on: dt.date) -> None:
        self.evaluasi_finding_on = on
        self.evaluasi_decided_on = on
        self._enter(on)

    @transition(field=stage, source=Stage.PERBAIKAN_EVALUASI, target=Stage.EVALUASI)
    def fix_evaluasi(self, on: dt.date | None = None) -> None:
        self._enter(on)

    @transition(field=stage, source=Stage.NOREG, target=Stage.NOREG, conditions=[lambda f: f.noreg_sent_on is None])
    def send_for_noreg(self, on: dt.date) -> None:
        self.noreg_sent_on = on

    @transition(field=stage, source=Stage.NOREG, target=Stage.PENETAPAN)
    def receive_noreg(self, on: dt.date) -> None:
        self._enter(on)

    @transition(field=stage, source=Stage.PENETAPAN, target=Stage.PENGUNDANGAN)
    def enact(self, on: dt.date) -> None:
        self._enter(on)

    @transition(field=stage, source=Stage.PENGUNDANGAN, target=Stage.PENYEBARLUASAN)
    def promulgate(self, on: dt.date) -> None:
        self._enter(on)

    @transition(field=stage, source=Stage.PENYEBARLUASAN, target=Stage.SELESAI)
    def publish(self, at: dt.datetime | None = None) -> None:
        self.published_at = at or timezone.now()
        self._enter(timezone.localdate(self.published_at))

    @transition(field=stage, source=list(FREE_WITHDRAWAL | AGREED_WITHDRAWAL), target=Stage.DITARIK)
    def withdraw(self, reason: str, agreement: str = "") -> None:
        self.withdrawn_reason = reason
        self.withdrawal_agreement = agreement
        self._enter(None)


def _attachment_path(instance: "StageRecord", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"perda/stage_records/{uuid.uuid4().hex}.{ext}"


class StageRecord(models.Model):
    """A result recorded by Bagian Hukum (or an action taken) at a stage: the outside party's document,
    the submission, the signing, the promulgation. Append-only; the formation's timeline."""

    formation = models.ForeignKey(Formation, on_delete=models.PROTECT, related_name="records")
    stage = models.CharField(_("tahap"), max_length=32, choices=Stage.choices)
    outcome = models.CharField(_("hasil"), max_length=32)
    received_on = models.DateField(_("tanggal dokumen diterima"))
    document_number = models.CharField(_("nomor dokumen"), max_length=200, blank=True)
    attachment = models.FileField(_("lampiran"), upload_to=_attachment_path, blank=True, max_length=300)
    attachment_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    version = models.ForeignKey(
        "perda.Version", verbose_name=_("versi"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+",
        null=True, blank=True,
    )
    capacity = models.CharField(_("kapasitas"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("catatan tahap")
        verbose_name_plural = _("catatan tahap")
        ordering = ["formation", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.outcome}"

    @property
    def outcome_label(self) -> str:
        from ..states import Outcome

        try:
            return str(Outcome(self.outcome).label)
        except ValueError:
            return self.outcome


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Pengingat")
    ESCALATION = "escalation", _("Eskalasi")


class DeadlineNotice(models.Model):
    """One reminder or escalation sent for one deadline: makes ``formation_check_deadlines`` idempotent."""

    formation = models.ForeignKey(Formation, on_delete=models.CASCADE, related_name="notices")
    deadline_code = models.CharField(_("kode tenggat"), max_length=64)
    due_on = models.DateField(_("tenggat"))
    kind = models.CharField(_("jenis"), max_length=16, choices=NoticeKind.choices)
    sent_at = models.DateTimeField(_("dikirim"), auto_now_add=True)
    recipients = models.JSONField(_("penerima"), default=list)

    class Meta:
        verbose_name = _("pemberitahuan tenggat")
        verbose_name_plural = _("pemberitahuan tenggat")
        constraints = [
            models.UniqueConstraint(
                fields=["formation", "deadline_code", "due_on", "kind"], name="deadline_notice_once"
            )
        ]


class Consultation(models.Model):
    """A public consultation on one frozen version (UU 12/2011 Ps. 96; MK 91/PUU-XVIII/2020)."""

    version = models.ForeignKey("perda.Version", verbose_name=_("versi"), on_delete=models.PROTECT,
                                related_name="consultations")
    opens_on = models.DateField(_("dibuka"))
    closes_on = models.DateField(_("ditutup"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dibuka oleh"), on_delete=models.PROTECT,
                                  related_name="+")
    capacity = models.CharField(_("kapasitas"), max_length=200, blank=True)
    note = models.TextField(_("keterangan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("konsultasi publik")
        verbose_name_plural = _("konsultasi publik")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="consultation_dates_order"),
        ]

    def __str__(self) -> str:
        return f"Konsultasi publik {self.version.regulation.title} ({self.opens_on:%d-%m-%Y})"

    def is_open(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.opens_on <= on <= self.closes_on


class Disposition(models.TextChoices):
    PENDING = "pending", _("Sedang dipertimbangkan")
    ACCEPTED = "accepted", _("Diterima")
    PARTLY = "partly", _("Diterima sebagian")
    NOT_ACCEPTED = "not_accepted", _("Tidak diterima")


class PublicComment(models.Model):
    """One input from the public on a provision (or on the draft in general), and what was done with it."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    provision_uid = models.UUIDField(_("ketentuan"), null=True, blank=True,
                                     help_text=_("Kosong berarti masukan umum atas rancangan."))
    provision_label = models.CharField(_("ketentuan (label)"), max_length=200, blank=True)
    name = models.CharField(_("nama"), max_length=200)
    contact = models.CharField(_("kontak (surel/telepon)"), max_length=200,
                               help_text=_("Tidak ditampilkan kepada publik."))
    text = models.TextField(_("masukan"))
    created_at = models.DateTimeField(_("dikirim"), auto_now_add=True)
    ip_hash = models.CharField(_("hash alamat IP"), max_length=64, blank=True)
    disposition = models.CharField(_("tindak lanjut"), max_length=16, choices=Disposition.choices,
                                   default=Disposition.PENDING)
    disposition_reason = models.TextField(_("alasan"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diputuskan oleh"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_capacity = models.CharField(_("kapasitas"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    class Meta:
        verbose_name = _("masukan publik")
        verbose_name_plural = _("masukan publik")
        ordering = ["consultation", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(disposition="pending") | ~Q(disposition_reason=""),
                name="comment_disposition_needs_reason",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "provision_uid"])]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:60]}"
