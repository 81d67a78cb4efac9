"""Finance-tracking rows: a monthly report to render as PDF, and a what-if scenario of the delegation matrix.

Neither row touches live money: a ``MonthlyReport`` is only the object a generated PDF hangs on, and a
``Scenario`` holds an edited copy of the matrix as plain data (the shape of ``routing.RuleData``).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflows.models import OrgUnit


class MonthlyReport(models.Model):
    """The monthly finance report of a kecamatan (or of the whole city when ``org_unit`` is empty)."""

    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Kosong berarti seluruh kota."),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    month = models.PositiveSmallIntegerField(_("bulan"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diminta oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("laporan bulanan keuangan")
        verbose_name_plural = _("laporan bulanan keuangan")
        ordering = ["-year", "-month", "org_unit__path"]
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="monthlyreport_month_1_12"),
            models.UniqueConstraint(fields=["org_unit", "year", "month"], name="monthlyreport_unique_unit_month"),
            models.UniqueConstraint(fields=["year", "month"], condition=Q(org_unit__isnull=True),
                                    name="monthlyreport_unique_city_month"),
        ]

    def __str__(self) -> str:
        unit = self.org_unit.name if self.org_unit_id else str(_("Kota"))
        return f"{unit} {self.month:02d}/{self.year}"


class Scenario(models.Model):
    """An edited copy of the delegation matrix for the what-if replay. ``rules`` is a list of dicts shaped
    like ``routing.RuleData`` (dates as ISO strings)."""

    name = models.CharField(_("nama skenario"), max_length=200)
    base_fiscal_year = models.PositiveSmallIntegerField(_("tahun anggaran dasar"))
    rules = models.JSONField(_("aturan"), default=list)
    note = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("skenario pelimpahan")
        verbose_name_plural = _("skenario pelimpahan")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name
