"""The working-day calendar's data and the legal deadlines.

National holidays come from the pinned ``holidays`` package (public category). Everything the government
decides year by year on top of that — cuti bersama (SKB of the Menteri Agama, Menteri Ketenagakerjaan and
Menteri PANRB), regional days off, extraordinary days off — is a ``NonWorkingDay`` row, so a new SKB is a
data change. A ``WorkingDayOverride`` turns a day the package calls a holiday back into a working day (e.g.
when a holiday is moved by decree). Rows are written only through ``workflows.services.calendar``, which
also invalidates the calendar's in-process cache.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class NonWorkingDayKind(models.TextChoices):
    CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
    LIBUR_DAERAH = "libur_daerah", _("Libur daerah")
    LAINNYA = "lainnya", _("Lainnya")


class NonWorkingDay(models.Model):
    """A day on which government offices are closed besides weekends and national holidays."""

    date = models.DateField(_("tanggal"), unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=NonWorkingDayKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    to_confirm = models.BooleanField(
        _("perlu dikonfirmasi"), default=False,
        help_text=_("Tanggal atau dasar hukum belum diperiksa terhadap naskah resmi."),
    )
    is_active = models.BooleanField(
        _("berlaku"), default=True, help_text=_("Nonaktifkan bila dibatalkan; baris tidak dihapus."),
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class WorkingDayOverride(models.Model):
    """A day that is a working day although the national holiday list says otherwise (a moved holiday)."""

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=200)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    is_active = models.BooleanField(_("berlaku"), default=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("hari kerja pengganti")
        verbose_name_plural = _("hari kerja pengganti")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("hari kalender")
    WORKING = "working", _("hari kerja")


class LegalDeadline(models.Model):
    """A deadline the law sets ("paling lama 7 (tujuh) hari"), with its basis. A law change is a new row.

    Several rows may share a ``code`` with different ``effective_from`` dates; the one in force on the
    start date applies (``workflows.calendar.deadline_due``), so documents already running keep the old rule.
    """

    code = models.SlugField(_("kode"), max_length=64)
    name = models.CharField(_("nama"), max_length=200)
    days = models.PositiveSmallIntegerField(_("jumlah hari"))
    day_kind = models.CharField(_("jenis hari"), max_length=16, choices=DayKind.choices)
    legal_basis = models.TextField(_("dasar hukum"))
    counts_from = models.CharField(_("dihitung sejak"), max_length=300)
    effective_from = models.DateField(_("berlaku sejak"))
    to_confirm = models.BooleanField(_("perlu dikonfirmasi"), default=False)
    note = models.TextField(_("catatan"), blank=True)
    # Why the days are counted the way they are: the article, its words, and the definition of "hari" it uses.
    article = models.CharField(
        _("pasal"), max_length=300, blank=True,
        help_text=_('Pasal yang menetapkan tenggat, mis. "Pasal 102 ayat (1) Permendagri 80/2015".'),
    )
    wording = models.TextField(
        _("bunyi ketentuan"), blank=True,
        help_text=_('Kata-kata pasal yang menentukan hitungan, mis. "paling lama 7 (tujuh) Hari sejak …".'),
    )
    day_definition = models.TextField(
        _("pengertian hari"), blank=True,
        help_text=_('Ketentuan yang menentukan arti "hari" dalam pasal itu, mis. definisi "Hari" dalam Pasal 1.'),
    )
    # A second reading, when two laws count the same deadline differently (e.g. UU 12/2011 "hari" and
    # UU 23/2014 "Hari"): both are shown; the rule stays "perlu dikonfirmasi" until the city settles it.
    alt_day_kind = models.CharField(
        _("jenis hari (bacaan lain)"), max_length=16, choices=DayKind.choices, blank=True,
        help_text=_("Kosong bila semua dasar hukum menghitung hari dengan cara yang sama."),
    )
    alt_reading = models.TextField(
        _("bacaan lain"), blank=True,
        help_text=_("Dasar hukum, pasal dan bunyi ketentuan yang menghitung hari secara berbeda."),
    )

    class Meta:
        verbose_name = _("tenggat hukum")
        verbose_name_plural = _("tenggat hukum")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="legal_deadline_code_effective_unique"),
            models.CheckConstraint(condition=models.Q(days__gt=0), name="legal_deadline_days_positive"),
            # Two readings of one deadline is an unsettled point: the rule must say it needs confirmation.
            models.CheckConstraint(condition=models.Q(alt_day_kind="") | models.Q(to_confirm=True),
                                   name="legal_deadline_alt_reading_to_confirm"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.days} {self.get_day_kind_display()})"

    @property
    def has_alt_reading(self) -> bool:
        return bool(self.alt_day_kind) and self.alt_day_kind != self.day_kind

    @property
    def count_label(self) -> str:
        """"7 hari kerja" / "30 hari kalender"."""
        return f"{self.days} {self.get_day_kind_display()}"

    @property
    def alt_count_label(self) -> str:
        return f"{self.days} {self.get_alt_day_kind_display()}" if self.has_alt_reading else ""
