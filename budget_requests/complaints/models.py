"""Complaints received from the complaint systems, and the outbox of status updates sent back to them.

A ``ComplaintSource`` is one system (SIARAN, SP4N-LAPOR!) with its own API token (stored only as a SHA-256
digest) and HMAC-SHA256 secret. A ``Complaint`` is unique per (source, the source's own id) — the SIARAN id or
the LAPOR! TrackingID — so a repeated delivery returns the complaint already received. Its ``state`` is written
only by the FSM transitions below; every write goes through ``budget_requests.complaints.services``.

A ``ComplaintUpdate`` is one row of the outbox: written in the same transaction as the status change it
reports, and kept until the source has acknowledged it (``delivered_at``).
"""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from viewflow.workflow.models import Process

from workflows.models import OrgUnit, Position


class SourceKind(models.TextChoices):
    SIARAN = "siaran", _("SIARAN (Lihat-Lapor-Lega)")
    LAPOR = "lapor", _("SP4N-LAPOR!")


class ComplaintSource(models.Model):
    """A complaint system allowed to post complaints, and where their status updates go back."""

    code = models.SlugField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis sistem"), max_length=16, choices=SourceKind.choices)
    external_id_label = models.CharField(
        _("nama nomor pengaduan"), max_length=40, help_text=_('Mis. "ID SIARAN" atau "TrackingID".'))
    token_digest = models.CharField(_("sidik token (SHA-256)"), max_length=64, unique=True, editable=False)
    hmac_secret = models.CharField(
        _("rahasia HMAC"), max_length=128, help_text=_("Kunci HMAC-SHA256 untuk tanda tangan isi permintaan."))
    callback_url = models.URLField(
        _("alamat pembaruan status"), blank=True,
        help_text=_("Ke mana perubahan status dikirim kembali. Kosong: pembaruan menunggu di kotak keluar."))
    uses_lapor_clocks = models.BooleanField(
        _("mengikuti tenggat SP4N-LAPOR!"), default=True,
        help_text=_("Tenggat penerusan 3 hari kerja dan tindak lanjut 5 hari kerja berjalan untuk pengaduan ini."))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("sumber pengaduan")
        verbose_name_plural = _("sumber pengaduan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ComplaintCategory(models.TextChoices):
    CCTV = "cctv", _("CCTV")
    WIFI_PUBLIK = "wifi_publik", _("Wi-Fi publik")
    PERANGKAT_KANTOR = "perangkat_kantor", _("Peralatan kantor pelayanan")
    LAINNYA = "lainnya", _("Lainnya")


class MatchBasis(models.TextChoices):
    ASSET_CODE = "asset_code", _("nomor aset")
    LOCATION = "location", _("teks lokasi")
    KELURAHAN = "kelurahan", _("nama kelurahan")
    ROUTED = "routed", _("diarahkan petugas")
    NONE = "none", _("tidak cocok")


class ComplaintState(models.TextChoices):
    TRIAGE = "triage", _("Menunggu telaah")
    ACCEPTED = "accepted", _("Ditindaklanjuti: permohonan perbaikan dibuat")
    REPAIR_APPROVED = "repair_approved", _("Perbaikan disetujui")
    REPAIRED = "repaired", _("Sudah diperbaiki")
    CLOSED = "closed", _("Ditutup")


S = ComplaintState


class Complaint(models.Model):
    """One complaint as the source sent it, where it was matched, and what became of it."""

    source = models.ForeignKey(ComplaintSource, verbose_name=_("sumber"), on_delete=models.PROTECT,
                               related_name="complaints")
    external_id = models.CharField(_("nomor pengaduan di sumber"), max_length=64)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("isi pengaduan"))
    category = models.CharField(_("kategori"), max_length=20, choices=ComplaintCategory.choices)
    location_text = models.CharField(_("lokasi (dari pelapor)"), max_length=300, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    reported_asset_code = models.CharField(_("nomor aset (dari pelapor)"), max_length=64, blank=True)
    reported_kelurahan = models.CharField(_("kelurahan (dari pelapor)"), max_length=100, blank=True)
    reporter_name = models.CharField(_("nama pelapor"), max_length=200, blank=True)
    reported_at = models.DateTimeField(_("dilaporkan"))
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)
    payload = models.JSONField(_("isi permintaan asli"), default=dict)

    asset = models.ForeignKey("budget_requests.Asset", verbose_name=_("aset"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="complaints")
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("kelurahan"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="complaints")
    match_basis = models.CharField(_("dasar pencocokan"), max_length=16, choices=MatchBasis.choices,
                                   default=MatchBasis.NONE)
    triage_position = models.ForeignKey(
        Position, verbose_name=_("jabatan penelaah"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+")
    escalation_level = models.PositiveSmallIntegerField(_("tingkat eskalasi"), default=0)
    escalated_to = models.ForeignKey(
        Position, verbose_name=_("dieskalasi ke"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    state = FSMField(_("status"), default=S.TRIAGE, choices=ComplaintState.choices, db_index=True)
    repair_request = models.OneToOneField(
        "budget_requests.RepairRequest", verbose_name=_("permohonan perbaikan"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="complaint")
    close_reason = models.TextField(_("alasan penutupan"), blank=True)
    accepted_at = models.DateTimeField(_("ditindaklanjuti"), null=True, blank=True)
    repaired_at = models.DateTimeField(_("diperbaiki"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    process = models.OneToOneField(Process, verbose_name=_("proses"), on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="complaint")

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="complaint_unique_source_external_id"),
        ]
        indexes = [models.Index(fields=["org_unit", "state"])]

    def __str__(self) -> str:
        return f"{self.source.name} {self.external_id}"

    # --- FSM (the only writer of ``state``; callers save) ---
    @transition(field=state, source=S.TRIAGE, target=S.TRIAGE)
    def route_to(self) -> None:
        """Sent to another kelurahan's operator (the Diskominfo queue matched it by hand)."""

    @transition(field=state, source=S.TRIAGE, target=S.ACCEPTED)
    def accept(self) -> None:
        """A repair request was raised for it."""

    @transition(field=state, source=S.ACCEPTED, target=S.REPAIR_APPROVED)
    def repair_approve(self) -> None:
        pass

    @transition(field=state, source=[S.ACCEPTED, S.REPAIR_APPROVED], target=S.REPAIRED)
    def mark_repaired(self) -> None:
        pass

    @transition(field=state, source=[S.TRIAGE, S.ACCEPTED, S.REPAIR_APPROVED], target=S.CLOSED)
    def close(self) -> None:
        """Closed with a reason: not a city IT asset, a duplicate, or its repair request was refused."""


class ComplaintProcess(Process):
    """The viewflow process of one complaint's triage (``process.complaint`` is the document)."""

    class Meta:
        proxy = True
        verbose_name = _("proses telaah pengaduan")
        verbose_name_plural = _("proses telaah pengaduan")


class UpdateEvent(models.TextChoices):
    ACCEPTED = "accepted", _("Ditindaklanjuti")
    REPAIR_APPROVED = "repair_approved", _("Perbaikan disetujui")
    REPAIRED = "repaired", _("Sudah diperbaiki")
    CLOSED = "closed", _("Ditutup dengan alasan")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    FAILED = "failed", _("Gagal, dicoba lagi berkala")
    DELIVERED = "delivered", _("Terkirim")


class ComplaintUpdate(models.Model):
    """One status update to send back to the complaint's source (the outbox). Never deleted: a row that cannot
    be delivered stays, is retried with growing pauses, and is listed for the operator."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("pengaduan"), on_delete=models.PROTECT,
                                  related_name="updates")
    event = models.CharField(_("peristiwa"), max_length=20, choices=UpdateEvent.choices)
    payload = models.JSONField(_("isi pembaruan"))
    status = models.CharField(_("status kirim"), max_length=12, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(_("jumlah percobaan"), default=0)
    last_error = models.CharField(_("galat terakhir"), max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(_("percobaan terakhir"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("pembaruan status pengaduan")
        verbose_name_plural = _("kotak keluar pembaruan status pengaduan")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="delivered", delivered_at__isnull=False) | ~Q(status="delivered"),
                name="complaintupdate_delivered_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint} · {self.get_event_display()}"
