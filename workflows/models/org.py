"""The organisation: people, org units as a tree, positions, and who holds or acts for a position when.

Authority follows the position, not the person (DOMAIN.md §2): tasks are addressed to positions, and the
people who may act for a position on a given day are derived from ``Assignment`` rows.
"""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _



def tree_key(path: str) -> tuple[str, ...]:
    """Sort key that keeps every unit right after its parent: compare the path segment by segment.

    Ordering by the path string puts "kota/kec-ciputat-timur" between "kota/kec-ciputat" and that kecamatan's
    kelurahan ("kota/kec-ciputat/kel-…"), because "-" sorts before "/": Ciputat's kelurahan then appear under
    Ciputat Timur. Sort lists of units (or of rows carrying a unit path) with ``key=tree_key``."""
    return tuple(path.split("/"))


def tree_order(field: str = "") -> list:
    """``order_by`` arguments with the effect of ``tree_key`` in the database (for paged querysets), for a tree
    of up to three levels (city, kecamatan, kelurahan): a unit at depth 2 sorts by its parent's path, then
    after its parent (depth), then among its siblings. ``field`` names the OrgUnit relation ("org_unit")."""
    from django.db.models import Case, CharField, F, When

    p = f"{field}__" if field else ""
    group = Case(When(**{f"{p}depth__gte": 2}, then=F(f"{p}parent__path")), default=F(f"{p}path"),
                 output_field=CharField())
    return [group, f"{p}depth", f"{p}path"]

class User(AbstractUser):
    """A person who logs in. Their authority comes from assignments to positions, not from this row."""

    nip = models.CharField(_("NIP"), max_length=32, blank=True, help_text=_("Nomor Induk Pegawai"))

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class OrgUnitKind(models.TextChoices):
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    PERANGKAT_DAERAH = "perangkat_daerah", _("Perangkat Daerah")
    BAGIAN = "bagian", _("Bagian")
    DPRD = "dprd", _("DPRD")
    PROVINSI = "provinsi", _("Provinsi")


class OrgUnit(models.Model):
    """A node of the org tree: the city, a kecamatan, a kelurahan, a city office or a part of one.

    ``path`` is the materialized path of codes ("kota/setu/babakan"), written by the loader service, so
    that "this unit and everything under it" is one indexed prefix query.
    """

    code = models.SlugField(_("kode"), max_length=64, unique=True)
    name = models.CharField(_("nama resmi"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=32, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("jalur"), max_length=500, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("kedalaman"), default=0, editable=False)
    aliases = models.JSONField(_("nama lain"), default=list, blank=True)
    kemendagri_code = models.CharField(_("kode Kemendagri"), max_length=32, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("unit organisasi")
        verbose_name_plural = _("unit organisasi")
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}" if self.kind in (
            OrgUnitKind.KECAMATAN, OrgUnitKind.KELURAHAN
        ) else self.name

    def is_within(self, other: "OrgUnit") -> bool:
        """True when this unit is ``other`` or lies under it."""
        return self.path == other.path or self.path.startswith(other.path + "/")


class PositionKind(models.TextChoices):
    WALI_KOTA = "wali_kota", _("Wali Kota")
    SEKDA = "sekda", _("Sekretaris Daerah")
    KABAG_HUKUM = "kabag_hukum", _("Kepala Bagian Hukum")
    PERANCANG = "perancang", _("Perancang Peraturan")
    PEMRAKARSA = "pemrakarsa", _("Pejabat Pemrakarsa")
    CAMAT = "camat", _("Camat")
    SEKCAM = "sekcam", _("Sekretaris Kecamatan")
    LURAH = "lurah", _("Lurah")
    OPERATOR_KELURAHAN = "operator_kelurahan", _("Operator Kelurahan")
    OPERATOR_KECAMATAN = "operator_kecamatan", _("Operator Kecamatan")
    KEPALA_DISKOMINFO = "kepala_diskominfo", _("Kepala Diskominfo")
    TEKNISI_DISKOMINFO = "teknisi_diskominfo", _("Teknisi Diskominfo")
    KEPALA_BPKAD = "kepala_bpkad", _("Kepala BPKAD")
    ANALIS_BPKAD = "analis_bpkad", _("Analis Keuangan BPKAD")
    PPTK = "pptk", _("PPTK")
    BENDAHARA = "bendahara", _("Bendahara Pengeluaran")
    PPK_SKPD = "ppk_skpd", _("PPK-SKPD")
    KUASA_BUD = "kuasa_bud", _("Kuasa BUD")
    INSPEKTUR = "inspektur", _("Inspektur")
    AUDITOR = "auditor", _("Auditor Inspektorat")
    SEKRETARIS_DPRD = "sekretaris_dprd", _("Sekretaris DPRD")


class Position(models.Model):
    """An office in the org tree (e.g. "Camat Setu"). Tasks are addressed to positions."""

    code = models.SlugField(_("kode"), max_length=100, unique=True)
    title = models.CharField(_("nama jabatan"), max_length=200)
    kind = models.CharField(_("jenis jabatan"), max_length=32, choices=PositionKind.choices)
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions")
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["org_unit__path", "kind"]

    def __str__(self) -> str:
        return self.title

    @property
    def permission_name(self) -> str:
        """The viewflow ``owner_permission`` that addresses a task to this position."""
        return f"workflows.act_for_position_{self.pk}"


class Capacity(models.TextChoices):
    DEFINITIF = "definitif", _("Definitif")
    PLT = "plt", _("Pelaksana Tugas (Plt.)")
    PLH = "plh", _("Pelaksana Harian (Plh.)")

    @property
    def prefix(self) -> str:
        return {"definitif": "", "plt": "Plt. ", "plh": "Plh. "}[self.value]


class Assignment(models.Model):
    """A person holding (definitif) or acting for (Plt/Plh) a position over a date range (inclusive)."""

    position = models.ForeignKey(Position, verbose_name=_("jabatan"), on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(User, verbose_name=_("pegawai"), on_delete=models.PROTECT, related_name="assignments")
    capacity = models.CharField(_("kapasitas"), max_length=16, choices=Capacity.choices, default=Capacity.DEFINITIF)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("sampai"), null=True, blank=True, help_text=_("Kosong berarti sampai ada perubahan."))
    decree = models.CharField(_("nomor SK / surat perintah"), max_length=200, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        ordering = ["position", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["user", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{Capacity(self.capacity).prefix}{self.position.title}: {self.user}"
