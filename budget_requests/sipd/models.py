"""Records of the file exchange with SIPD penatausahaan: what was exported and what an SP2D file said.

SIPD has no public API for penatausahaan, so Pamong's ledger stays the source of truth and files go both ways:
an export batch of SPP-LS/SPM data for the SKPD to key in, and an SP2D file from SIPD read back and reconciled
against the ledger. Rows here are append-only records written by ``budget_requests.sipd.services``; a
reconciliation line only moves from open to recorded or resolved, with who did it and why.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflows.models import OrgUnit


class SipdExport(models.Model):
    """One batch of SPM-LS rows handed to SIPD, with the choice that made it."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT,
                                   related_name="+")
    capacity_label = models.CharField(_("kapasitas"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    date_from = models.DateField(_("SPM dari tanggal"), null=True, blank=True)
    date_to = models.DateField(_("SPM sampai tanggal"), null=True, blank=True)
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    only_new = models.BooleanField(_("hanya yang belum pernah diekspor"), default=True)
    row_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    total = models.BigIntegerField(_("jumlah nilai bruto (Rp)"), default=0)
    code_list_version = models.CharField(_("versi kodefikasi"), max_length=32)

    class Meta:
        verbose_name = _("ekspor ke SIPD")
        verbose_name_plural = _("ekspor ke SIPD")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _("Ekspor SIPD #%(pk)s") % {"pk": self.pk}


class SipdExportLine(models.Model):
    """One SPM in an export batch, with the values as they were exported (a re-download gives the same file)."""

    export = models.ForeignKey(SipdExport, verbose_name=_("ekspor"), on_delete=models.PROTECT, related_name="lines")
    spm = models.ForeignKey("budget_requests.PaymentDocument", verbose_name=_("SPM"), on_delete=models.PROTECT,
                            related_name="sipd_export_lines")
    request = models.ForeignKey("budget_requests.RepairRequest", verbose_name=_("permohonan"),
                                on_delete=models.PROTECT, related_name="+")
    values = models.JSONField(_("nilai yang diekspor"))

    class Meta:
        verbose_name = _("baris ekspor SIPD")
        verbose_name_plural = _("baris ekspor SIPD")
        ordering = ["export", "pk"]
        constraints = [models.UniqueConstraint(fields=["export", "spm"], name="sipdexportline_unique_spm")]


class Sp2dImport(models.Model):
    """One SP2D file read from SIPD and reconciled. The SHA-256 of the rows read is unique: the same SP2D list
    imported twice — the same file, or the list saved again with other spreadsheet metadata — is the same
    reconciliation, not a second one."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diimpor oleh"),
                                   on_delete=models.PROTECT, related_name="+")
    capacity_label = models.CharField(_("kapasitas"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("diimpor"), auto_now_add=True)
    file_name = models.CharField(_("nama berkas"), max_length=200)
    content_sha256 = models.CharField(_("SHA-256 isi berkas"), max_length=64, unique=True)
    row_count = models.PositiveIntegerField(_("jumlah baris SP2D"), default=0)

    class Meta:
        verbose_name = _("impor SP2D dari SIPD")
        verbose_name_plural = _("impor SP2D dari SIPD")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _("Rekonsiliasi SP2D #%(pk)s (%(name)s)") % {"pk": self.pk, "name": self.file_name}


class Outcome(models.TextChoices):
    MATCHED = "matched", _("Cocok")
    DIFFERENT_AMOUNT = "different_amount", _("Nilai berbeda")
    MISSING_IN_PAMONG = "missing_in_pamong", _("Tidak ada di Pamong")
    MISSING_IN_SIPD = "missing_in_sipd", _("Belum ada SP2D di SIPD")


class LineStatus(models.TextChoices):
    OPEN = "open", _("Perlu tindakan")
    RECORDED = "recorded", _("SP2D tercatat di Pamong")
    RESOLVED = "resolved", _("Diselesaikan dengan catatan")


class Sp2dLine(models.Model):
    """One outcome of a reconciliation: an SP2D row of the file (``row_number``) with what it matched, or an
    SPM sent to SIPD that the file has no SP2D for (``row_number`` empty)."""

    imported = models.ForeignKey(Sp2dImport, verbose_name=_("impor"), on_delete=models.PROTECT, related_name="lines")
    row_number = models.PositiveIntegerField(_("baris berkas"), null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=24, choices=Outcome.choices)
    sp2d_number = models.CharField(_("nomor SP2D"), max_length=64, blank=True)
    sp2d_date = models.DateField(_("tanggal SP2D"), null=True, blank=True)
    amount = models.BigIntegerField(_("nilai SP2D (Rp)"), null=True, blank=True)
    deductions = models.BigIntegerField(_("potongan (Rp)"), null=True, blank=True)
    spm_number = models.CharField(_("nomor SPM"), max_length=64, blank=True)
    payee_name = models.CharField(_("pihak ketiga"), max_length=200, blank=True)
    payee_npwp = models.CharField(_("NPWP"), max_length=32, blank=True)
    request = models.ForeignKey("budget_requests.RepairRequest", verbose_name=_("permohonan"),
                                on_delete=models.PROTECT, null=True, blank=True, related_name="sp2d_lines")
    spm = models.ForeignKey("budget_requests.PaymentDocument", verbose_name=_("SPM di Pamong"),
                            on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    pamong_amount = models.BigIntegerField(_("nilai di Pamong (Rp)"), null=True, blank=True)
    pamong_deductions = models.BigIntegerField(_("potongan di Pamong (Rp)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=LineStatus.choices, default=LineStatus.OPEN)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ditangani oleh"),
                                   on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(_("ditangani"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("baris rekonsiliasi SP2D")
        verbose_name_plural = _("baris rekonsiliasi SP2D")
        ordering = ["imported", "row_number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["imported", "row_number"], name="sp2dline_unique_row",
                                    condition=Q(row_number__isnull=False)),
        ]
