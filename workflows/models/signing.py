"""Electronic signatures (TTE): who may sign with which certificate, and every signed document.

A ``SignedDocument`` is written once, when a signature succeeded, and never changed: its PDF is the signed one
(the unsigned render it came from is not served again), and its hashes are in the audit trail. A failed
attempt writes no row, only an audit event, so the document stays unsigned and may be signed again.
"""
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .documents import GeneratedDocument
from .org import Position


class SigningIdentity(models.Model):
    """An official's electronic-signature identity: the NIK their BSrE certificate is issued to and, for the
    PKCS#12 signer, their archive (encrypted with a passphrase that is never stored)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.PROTECT,
                                related_name="signing_identity")
    nik = models.CharField(_("NIK"), max_length=16, blank=True, help_text=_("Nomor Induk Kependudukan"))
    pkcs12 = models.BinaryField(_("arsip PKCS#12"), blank=True, default=b"", editable=False)
    certificate_subject = models.CharField(_("subjek sertifikat"), max_length=500, blank=True)
    certificate_serial = models.CharField(_("nomor seri sertifikat"), max_length=64, blank=True)
    certificate_issuer = models.CharField(_("penerbit sertifikat"), max_length=500, blank=True)
    valid_from = models.DateTimeField(_("berlaku sejak"), null=True, blank=True)
    valid_until = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("identitas tanda tangan elektronik")
        verbose_name_plural = _("identitas tanda tangan elektronik")

    def __str__(self) -> str:
        return f"{self.user} ({self.nik or '-'})"


class SignedDocument(models.Model):
    public_id = models.UUIDField(_("ID verifikasi"), default=uuid.uuid4, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, verbose_name=_("jenis objek"), on_delete=models.PROTECT,
                                     related_name="+")
    object_id = models.CharField(_("ID objek"), max_length=64)
    obj = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("jenis dokumen"), max_length=64)
    generated_document = models.OneToOneField(
        GeneratedDocument, verbose_name=_("dokumen hasil"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="signature",
    )
    final = models.BooleanField(_("final"), default=True,
                                help_text=_("Dokumen tidak boleh dibuat ulang setelah ditandatangani."))
    title = models.CharField(_("judul"), max_length=500)
    metadata = models.JSONField(_("metadata"), default=list, blank=True)
    unsigned_sha256 = models.CharField(_("SHA-256 sebelum ditandatangani"), max_length=64)
    file = models.FileField(_("berkas bertanda tangan"), upload_to="signed/%Y/%m/")
    sha256 = models.CharField(_("SHA-256 berkas bertanda tangan"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    filename = models.CharField(_("nama berkas"), max_length=200)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("penanda tangan"), on_delete=models.PROTECT,
                               related_name="+")
    signer_name = models.CharField(_("nama penanda tangan"), max_length=200)
    position = models.ForeignKey(Position, verbose_name=_("jabatan"), on_delete=models.PROTECT, related_name="+")
    capacity_label = models.CharField(_("kapasitas"), max_length=200)
    backend = models.CharField(_("layanan tanda tangan"), max_length=16)
    signed_at = models.DateTimeField(_("ditandatangani"), auto_now_add=True)

    class Meta:
        verbose_name = _("dokumen bertanda tangan elektronik")
        verbose_name_plural = _("dokumen bertanda tangan elektronik")
        ordering = ["-signed_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "kind"], name="signed_doc_obj_idx")]
        constraints = [
            # One signature per unsigned source: two officials clicking at once cannot both sign it.
            models.UniqueConstraint(fields=["content_type", "object_id", "kind", "unsigned_sha256"],
                                    name="signed_doc_source_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.capacity_label}"
