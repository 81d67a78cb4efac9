"""Finance-tracking rows: a monthly report to render as PDF, and a what-if scenario of the delegation matrix.

Neither row touches live money: a ``MonthlyReport`` is only the object a generated PDF hangs on, and a
``Scenario`` holds an edited copy of the matrix as plain data (the shape of ``routing.RuleData``).
"""
from __future__ import annotations

import hashlib

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


class FigureMeasure(models.TextChoices):
    """What a ``RequestFigure`` row counts; ``period`` is the first day of a month unless said otherwise."""

    SUBMITTED = "submitted", _("diajukan (bulan pengajuan)")
    OPEN_DAY = "open_day", _("terbuka (hari pengajuan)")
    DECIDED = "decided", _("diputus: hari kerja sampai keputusan (bulan pengajuan)")
    DECIDED_MONTH = "decided_month", _("diputus: bulan keputusan (bulan pengajuan)")
    PAID = "paid", _("dibayar (bulan pembayaran)")
    FLAGGED = "flagged", _("bertanda merah (bulan pengajuan)")


class RequestFigure(models.Model):
    """One cell of the finance dashboard's summaries of repair requests: how many requests, and their rupiah,
    share one combination of the key columns. Each request counts once at every node of the org tree above it
    (its unit, its kecamatan, ..., and the city, ``node`` = ""), so a figure for any unit's subtree is read
    from that unit's own rows and its cost does not depend on the number of requests.

    Written only by ``budget_requests.services.summaries`` (in the transaction of the change it follows);
    ``manage.py rebuild_finance_summaries`` recomputes every row from the requests.
    """

    node = models.CharField(_("simpul unit"), max_length=500)
    measure = models.CharField(_("ukuran"), max_length=16, choices=FigureMeasure.choices)
    period = models.DateField(_("periode"))
    category = models.CharField(_("kategori"), max_length=16)
    state = models.CharField(_("status"), max_length=32)
    decided_ym = models.PositiveIntegerField(_("bulan keputusan (YYYYMM)"), default=0)
    route = models.CharField(_("rute"), max_length=16, blank=True, default="")
    working_days = models.PositiveSmallIntegerField(_("hari kerja sampai keputusan"), default=0)
    # A digest of the eight key columns: the one indexed value a change finds, locks and moves its cells by
    # (a filter of one ``IN`` list instead of an OR of eight-column conditions per cell).
    cell_key = models.CharField(_("kunci sel"), max_length=32, unique=True, editable=False)
    count = models.BigIntegerField(_("jumlah"), default=0)
    amount = models.BigIntegerField(_("nilai"), default=0)

    KEY_FIELDS = ("node", "measure", "period", "category", "state", "decided_ym", "route", "working_days")

    @staticmethod
    def digest(key: tuple) -> str:
        """``cell_key`` of a key tuple in ``KEY_FIELDS`` order (dates as ISO, every value as text)."""
        text = "\x1f".join(v.isoformat() if hasattr(v, "isoformat") else str(v) for v in key)
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    @classmethod
    def for_key(cls, key: tuple, **values) -> "RequestFigure":
        """An unsaved cell for ``key`` with its ``cell_key`` filled (``values``: count, amount)."""
        return cls(**dict(zip(cls.KEY_FIELDS, key)), cell_key=cls.digest(key), **values)

    def save(self, *args, **kwargs):
        self.cell_key = self.digest(tuple(getattr(self, f) for f in self.KEY_FIELDS))
        super().save(*args, **kwargs)

    class Meta:
        verbose_name = _("ringkasan permohonan")
        verbose_name_plural = _("ringkasan permohonan")
        constraints = [
            models.UniqueConstraint(fields=["node", "measure", "period", "category", "state", "decided_ym", "route",
                                            "working_days"], name="requestfigure_unique_cell"),
        ]


class FigureChange(models.Model):
    """A change to the summaries (``RequestFigure`` cells, ``EnvelopeFigure`` months) not yet added to them.

    The service that changes a request writes one row in its own transaction (an insert: it locks no summary
    cell and waits for no other approval); ``services.summaries.figures_fold`` adds the pending rows to the
    cells and deletes them — before every read of the summaries, and on the worker every few seconds so that
    a reader seldom finds any. ``cells``: ``[[node, measure, period (ISO date), category, state, decided_ym,
    route, working_days, count, amount], …]``, the difference the change made to the request cells.
    """

    cells = models.JSONField(_("sel"), default=list, blank=True)
    # Ledger movements for ``EnvelopeFigure``: ``[[envelope id, month (ISO date), column, rupiah], …]``.
    envelopes = models.JSONField(_("pagu"), default=list, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan ringkasan yang belum dijumlahkan")
        verbose_name_plural = _("perubahan ringkasan yang belum dijumlahkan")


class EnvelopeFigure(models.Model):
    """Ledger movements of one envelope summed per month (WIB) of the entry: the envelope figures "as of the end
    of a period" are the sums of the months before its end. Written by the ledger services with the entry."""

    envelope = models.ForeignKey("budget_requests.Envelope", verbose_name=_("pagu"), on_delete=models.PROTECT,
                                 related_name="+")
    period = models.DateField(_("bulan"))
    allocated = models.BigIntegerField(_("alokasi"), default=0)
    reserved = models.BigIntegerField(_("pencadangan"), default=0)
    paid = models.BigIntegerField(_("pembayaran"), default=0)
    released = models.BigIntegerField(_("pelepasan"), default=0)

    class Meta:
        verbose_name = _("ringkasan pagu per bulan")
        verbose_name_plural = _("ringkasan pagu per bulan")
        constraints = [
            models.UniqueConstraint(fields=["envelope", "period"], name="envelopefigure_unique_month"),
        ]
