"""The regulation document: a draft Perda/Perwali, its konsiderans, dasar hukum, the provision tree, and its
immutable versions.

The live draft is edited through ``perda.services.editor``; each submission or stage result freezes a
``Version`` whose ``snapshot`` JSON holds the full structure (see ``perda/README.md`` for the format).
Cross-references are inline tokens ``[[ref:<uid>]]`` in provision text, resolved to "Pasal 7 ayat (2)
huruf b" at render time from the tree, so inserting or moving a Pasal renumbers every reference.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegulationKind(models.TextChoices):
    PERDA = "perda", _("Peraturan Daerah")
    # The code stays "perwali"; the label names the kind for a kota and a kabupaten alike, since a choice label
    # is fixed in the migrations. A regulation's own words follow its region (``Regulation.kind_label``).
    PERWALI = "perwali", _("Peraturan Kepala Daerah (Perwali/Perbup)")


class EvaluasiKind(models.TextChoices):
    """Perda kinds that go to the Gubernur's evaluasi (and therefore skip fasilitasi)."""

    APBD = "apbd", _("APBD")
    PAJAK = "pajak", _("Pajak Daerah")
    RETRIBUSI = "retribusi", _("Retribusi Daerah")
    TATA_RUANG = "tata_ruang", _("Tata Ruang Daerah")
    RPJPD = "rpjpd", _("RPJPD")
    RPJMD = "rpjmd", _("RPJMD")


def naskah_akademik_path(instance: "Regulation", filename: str) -> str:
    # The name the user gave is not trusted: keep only its extension (already validated) and a random stem.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"perda/naskah_akademik/{uuid.uuid4().hex}.{ext}"


class Regulation(models.Model):
    """A regulation being drafted (Raperda / Raperwali) or, once enacted, the enacted regulation."""

    kind = models.CharField(_("jenis"), max_length=16, choices=RegulationKind.choices, default=RegulationKind.PERDA)
    evaluasi_kind = models.CharField(
        _("jenis evaluasi"), max_length=16, choices=EvaluasiKind.choices, blank=True,
        help_text=_("Diisi bila Raperda ini dievaluasi Gubernur (APBD, pajak, retribusi, tata ruang, RPJPD/RPJMD)."),
    )
    title = models.CharField(_("judul"), max_length=500, help_text=_("Tanpa kata \"tentang\"."))
    pemrakarsa = models.ForeignKey(
        "workflows.OrgUnit", verbose_name=_("pemrakarsa"), on_delete=models.PROTECT, related_name="regulations"
    )
    propemperda_year = models.PositiveSmallIntegerField(_("tahun Propemperda"), null=True, blank=True)
    outside_propemperda_reason = models.TextField(_("alasan di luar Propemperda"), blank=True)
    naskah_akademik = models.FileField(_("naskah akademik"), upload_to=naskah_akademik_path, blank=True, max_length=300)
    naskah_akademik_name = models.CharField(_("nama berkas naskah akademik"), max_length=255, blank=True)
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("perancang penanggung jawab"), on_delete=models.PROTECT,
        related_name="drafted_regulations",
    )
    penjelasan_umum = models.TextField(_("penjelasan umum"), blank=True)
    amends = models.ForeignKey(
        "self", verbose_name=_("mengubah"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="amended_by", help_text=_("Diisi bila peraturan ini mengubah peraturan lain."),
    )

    # Enactment (filled by the formation services).
    number = models.PositiveIntegerField(_("nomor"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    enacted_on = models.DateField(_("tanggal ditetapkan"), null=True, blank=True)
    promulgated_on = models.DateField(_("tanggal diundangkan"), null=True, blank=True)
    gazette_number = models.PositiveIntegerField(_("nomor Lembaran/Berita Daerah"), null=True, blank=True)
    tambahan_number = models.PositiveIntegerField(_("nomor Tambahan Lembaran Daerah"), null=True, blank=True)
    noreg = models.CharField(_("noreg"), max_length=64, blank=True)
    signer_name = models.CharField(_("nama penanda tangan"), max_length=200, blank=True)
    signer_title = models.CharField(
        _("jabatan penanda tangan"), max_length=200, blank=True,
        help_text=_("Kosong berarti Wali Kota; isi mis. \"Plt. WALI KOTA TANGERANG SELATAN\"."),
    )
    sekda_name = models.CharField(_("nama Sekretaris Daerah"), max_length=200, blank=True)
    # The closing block as published, for a regulation imported from its text (possibly of another region):
    # rendered as printed instead of being re-dressed with this installation's region. Blank = own region.
    imported_from_text = models.BooleanField(
        _("diimpor dari teks terbit"), default=False,
        help_text=_("Peraturan yang sudah terbit, diimpor dari teksnya (wilayah, nomor, tanggal dan penanda "
                    "tangan sebagaimana tercetak)."),
    )
    region_name = models.CharField(_("daerah"), max_length=120, blank=True,
                                   help_text=_("Mis. \"Kota Surabaya\"; kosong berarti daerah sendiri."))
    province_name = models.CharField(_("provinsi"), max_length=120, blank=True)
    head_title = models.CharField(_("kepala daerah (judul)"), max_length=120, blank=True,
                                  help_text=_("Sebagaimana tercetak di kepala, mis. \"BUPATI DONGGALA\"."))
    kind_heading = models.CharField(_("jenis dan daerah (judul)"), max_length=200, blank=True,
                                    help_text=_("Mis. \"PERATURAN DAERAH KOTA SURABAYA\"."))
    enacted_place = models.CharField(_("ditetapkan di"), max_length=120, blank=True)
    enacted_date_text = models.CharField(_("tanggal ditetapkan (tercetak)"), max_length=60, blank=True)
    promulgated_place = models.CharField(_("diundangkan di"), max_length=120, blank=True)
    promulgated_date_text = models.CharField(_("tanggal diundangkan (tercetak)"), max_length=60, blank=True)
    sekda_title = models.CharField(_("jabatan pengundang"), max_length=200, blank=True,
                                   help_text=_("Mis. \"Pj. SEKRETARIS DAERAH KABUPATEN BANJARNEGARA\"."))
    gazette_label = models.CharField(_("Lembaran/Berita Daerah (tercetak)"), max_length=300, blank=True)
    tambahan_label = models.CharField(_("Tambahan Lembaran Daerah (tercetak)"), max_length=300, blank=True)
    noreg_label = models.CharField(_("NOREG (tercetak)"), max_length=300, blank=True)
    menetapkan_text = models.TextField(_("diktum Menetapkan (tercetak)"), blank=True)
    pengundangan_text = models.TextField(
        _("kalimat pengundangan (tercetak)"), blank=True,
        help_text=_("\"Agar setiap orang mengetahuinya, …\" sebagaimana tercetak."),
    )
    dinyatakan_sah = models.BooleanField(
        _("dinyatakan sah"), default=False,
        help_text=_("Tidak ditetapkan dalam tenggat penetapan (30 hari sejak persetujuan bersama, atau sejak "
                    "keputusan evaluasi Gubernur bagi Perda yang dievaluasi): sah tanpa tanda tangan."),
    )
    enacted_version = models.ForeignKey(
        "perda.Version", verbose_name=_("versi yang ditetapkan"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    enacted_pdf = models.FileField(_("PDF yang ditetapkan"), upload_to="perda/enacted/", blank=True, max_length=300)
    enacted_pdf_sha256 = models.CharField(_("SHA-256 PDF"), max_length=64, blank=True)

    # Metadata of the legal document for the JDIH (Permenkumham 8/2019; the rules and their basis are in
    # ``perda.metadata``). Filled by Bagian Hukum at penyebarluasan through ``perda.services.jdih``.
    teu_badan = models.CharField(_("T.E.U. badan"), max_length=200, blank=True,
                                 help_text=_("Tajuk entri utama, mis. \"Tangerang Selatan (Kota)\"."))
    tempat_terbit = models.CharField(_("tempat terbit (tempat penetapan)"), max_length=120, blank=True)
    penerbit = models.CharField(_("penerbit"), max_length=200, blank=True)
    sumber = models.CharField(_("sumber"), max_length=200, blank=True,
                              help_text=_("Lembaran/Berita Daerah, tahun, nomor dan jumlah halaman, mis. "
                                          "\"LD 2026 (12) : 10 hlm.\""))
    subjek = models.CharField(_("subjek"), max_length=300, blank=True,
                              help_text=_("Kata kunci isi peraturan, huruf kapital, mis. \"KOTA CERDAS - "
                                          "TEKNOLOGI INFORMASI\"."))
    bahasa = models.CharField(_("bahasa"), max_length=60, blank=True)
    bidang_hukum = models.CharField(_("bidang hukum"), max_length=120, blank=True)
    lokasi = models.CharField(_("lokasi"), max_length=200, blank=True,
                              help_text=_("Unit yang menyimpan dokumen aslinya."))
    abstrak = models.TextField(_("abstrak"), blank=True)
    revokes = models.ManyToManyField(
        "self", verbose_name=_("mencabut"), symmetrical=False, blank=True, related_name="revoked_by",
        help_text=_("Peraturan yang dicabut dan dinyatakan tidak berlaku oleh peraturan ini."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+",
        null=True, blank=True,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("rancangan peraturan")
        verbose_name_plural = _("rancangan peraturan")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(propemperda_year__isnull=False) | ~Q(outside_propemperda_reason=""),
                name="regulation_propemperda_or_reason",
            ),
            models.CheckConstraint(
                condition=Q(evaluasi_kind="") | Q(kind="perda"),
                name="regulation_evaluasi_only_perda",
            ),
        ]
        indexes = [models.Index(fields=["kind", "year", "number"])]

    def __str__(self) -> str:
        return f"{self.kind_label} tentang {self.title}"

    def clean(self) -> None:
        super().clean()
        if self.propemperda_year is None and not (self.outside_propemperda_reason or "").strip():
            raise ValidationError({
                "outside_propemperda_reason": _(
                    "Isi tahun Propemperda, atau catat alasan rancangan ini disusun di luar Propemperda."
                )
            })
        if self.evaluasi_kind and self.kind != RegulationKind.PERDA:
            raise ValidationError({"evaluasi_kind": _("Hanya Peraturan Daerah yang dievaluasi Gubernur.")})

    @property
    def kind_label(self) -> str:
        """"Peraturan Daerah", or the head's regulation of its own region: "Peraturan Wali Kota", "Peraturan
        Bupati" (an imported text: as its heading prints it)."""
        from ..metadata import kind_meta

        return kind_meta(self).jenis

    @property
    def is_enacted(self) -> bool:
        return self.number is not None and self.promulgated_on is not None

    @property
    def skips_fasilitasi(self) -> bool:
        return bool(self.evaluasi_kind)


class LiveQuerySet(models.QuerySet):
    def live(self):
        return self.filter(removed_at__isnull=True)


class Konsiderans(models.Model):
    """One "Menimbang" point (lettered a., b., … at render time)."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="konsiderans")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    text = models.TextField(_("teks"))
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("konsiderans")
        verbose_name_plural = _("konsiderans")
        ordering = ["regulation", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["regulation", "uid"], name="konsiderans_uid_unique")]

    def __str__(self) -> str:
        return self.text[:80]


class DasarHukumRank(models.IntegerChoices):
    """Hierarchy of legal instruments (UU 12/2011 Ps. 7–8), used to order the Mengingat list."""

    UUD = 1, _("UUD 1945")
    TAP_MPR = 2, _("Ketetapan MPR")
    UU = 3, _("Undang-Undang / Perppu")
    PP = 4, _("Peraturan Pemerintah")
    PERPRES = 5, _("Peraturan Presiden")
    PERMEN = 6, _("Peraturan Menteri")
    PERDA_PROV = 7, _("Peraturan Daerah Provinsi")
    PERDA_KOTA = 8, _("Peraturan Daerah Kabupaten/Kota")
    PERWALI = 9, _("Peraturan Kepala Daerah (Perwali/Perbup)")


class DasarHukum(models.Model):
    """One "Mengingat" point (numbered 1., 2., …), ordered by hierarchy then date."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="dasar_hukum")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    text = models.TextField(_("teks"))
    rank = models.PositiveSmallIntegerField(_("tingkat hierarki"), choices=DasarHukumRank.choices, null=True, blank=True)
    enacted_on = models.DateField(_("tanggal"), null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("dasar hukum")
        verbose_name_plural = _("dasar hukum")
        ordering = ["regulation", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["regulation", "uid"], name="dasar_hukum_uid_unique")]

    def __str__(self) -> str:
        return self.text[:80]


class ProvisionKind(models.TextChoices):
    BAB = "bab", _("BAB")
    BAGIAN = "bagian", _("Bagian")
    PARAGRAF = "paragraf", _("Paragraf")
    PASAL = "pasal", _("Pasal")
    AYAT = "ayat", _("Ayat")
    HURUF = "huruf", _("Huruf (a., b.)")
    ANGKA = "angka", _("Angka (1., 2.)")


class ProvisionRole(models.TextChoices):
    """What a BAB is for, so the checks can verify the chapter order of Lampiran II."""

    NONE = "", _("—")
    KETENTUAN_UMUM = "ketentuan_umum", _("Ketentuan Umum")
    KETENTUAN_PIDANA = "ketentuan_pidana", _("Ketentuan Pidana")
    KETENTUAN_PERALIHAN = "ketentuan_peralihan", _("Ketentuan Peralihan")
    KETENTUAN_PENUTUP = "ketentuan_penutup", _("Ketentuan Penutup")


class Provision(models.Model):
    """A node of the body: BAB > Bagian > Paragraf > Pasal > ayat > huruf/angka (lists nest).

    ``uid`` identifies the provision across versions (redline matching, references). Numbers are never
    stored: ``perda.numbering`` computes them from the tree. ``removed_at`` set = dropped from the live draft
    (versions keep it).
    """

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="provisions")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=ProvisionKind.choices)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    heading = models.CharField(_("judul"), max_length=500, blank=True)
    text = models.TextField(_("teks"), blank=True)
    penjelasan = models.TextField(_("penjelasan"), blank=True, help_text=_("Kosong berarti \"Cukup jelas.\""))
    role = models.CharField(_("peran"), max_length=32, choices=ProvisionRole.choices, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("ketentuan")
        verbose_name_plural = _("ketentuan")
        ordering = ["regulation", "parent_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["regulation", "uid"], name="provision_uid_unique")]
        indexes = [models.Index(fields=["regulation", "removed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.heading or self.text[:60]}"


class VersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Versi tidak dapat diubah."))

    def delete(self):
        raise ValidationError(_("Versi tidak dapat dihapus."))


class Version(models.Model):
    """An immutable frozen copy of a regulation's full text. Created only by ``version_freeze``.

    The ORM refuses to update or delete a saved version; a database trigger (migration 0002) refuses it too.
    """

    regulation = models.ForeignKey(Regulation, on_delete=models.PROTECT, related_name="versions")
    seq = models.PositiveIntegerField(_("nomor urut"))
    label = models.CharField(_("keterangan"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+",
        null=True, blank=True,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    snapshot = models.JSONField(_("isi"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("versi")
        verbose_name_plural = _("versi")
        ordering = ["regulation", "seq"]
        constraints = [models.UniqueConstraint(fields=["regulation", "seq"], name="version_seq_unique")]

    def __str__(self) -> str:
        return f"v{self.seq} {self.label}"

    def save(self, *args, **kwargs):
        # Immutability guard (not business logic): a version is written once.
        if self.pk is not None or not self._state.adding:
            raise ValidationError(_("Versi tidak dapat diubah."))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Versi tidak dapat dihapus."))
