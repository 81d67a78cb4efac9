"""An amending regulation ("Perubahan atas …") and the regulation it amends.

``Regulation.amends`` links the amending regulation to its base (the JDIH shows both directions: *mengubah* /
*diubah dengan*). ``Amendment`` holds what consolidation needs: for an imported amendment, Pasal I's
instructions as recognised by ``perda.amendments.parse``; for one drafted in Pamong, the base text the draft
started from (the instructions are then written from the difference, ``perda.amendments.draft``).
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AmendmentSource(models.TextChoices):
    IMPORTED = "impor", _("diimpor dari teks")
    DRAFTED = "draf", _("disusun di Pamong")


class Amendment(models.Model):
    regulation = models.OneToOneField(
        "perda.Regulation", verbose_name=_("peraturan perubahan"), on_delete=models.CASCADE,
        related_name="amendment",
    )
    source = models.CharField(_("asal"), max_length=8, choices=AmendmentSource.choices)
    ordinal = models.CharField(_("perubahan ke-"), max_length=32, blank=True,
                               help_text=_("Kosong untuk perubahan pertama; mis. \"Kedua\"."))
    base_snapshot = models.JSONField(
        _("naskah dasar"), null=True, blank=True,
        help_text=_("Naskah peraturan yang diubah (teks berlaku) saat rancangan perubahan dimulai."),
    )
    instructions = models.JSONField(_("instruksi Pasal I"), default=list, blank=True)
    # A drafted amendment's changes of the base's Lampiran: [{"uid", "op" ubah|tambah|hapus, "target" "I"|"" (the
    # base's only Lampiran), "title", "text"}]; Pasal I's instructions for them are written from this list.
    lampiran = models.JSONField(
        _("perubahan lampiran"), default=list, blank=True,
        help_text=_("Lampiran peraturan yang diubah yang diganti, ditambah, atau dihapus oleh rancangan ini."),
    )
    pasal_ii = models.TextField(_("Pasal II"), blank=True)
    in_force_on = models.DateField(
        _("mulai berlaku"), null=True, blank=True,
        help_text=_("Kosong berarti pada tanggal diundangkan."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan peraturan")
        verbose_name_plural = _("perubahan peraturan")

    def __str__(self) -> str:
        return f"{self.regulation}"

    @property
    def effective_on(self):
        """The date the amendment takes effect: Pasal II's own date, else the promulgation date."""
        return self.in_force_on or self.regulation.promulgated_on or self.regulation.enacted_on
