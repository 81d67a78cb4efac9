"""PDFs generated from documents (a regulation draft, a repair request's decision letter, ...).

A row is requested by ``workflows.services.documents.document_request`` with the HTML to render (kept on the
row, so the PDF shows exactly what was hashed), and filled in by the Celery task ``render_document``. Rows
with the same object, kind and content hash are reused instead of rendered again.
"""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GeneratedDocumentStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    RENDERING = "rendering", _("Sedang dibuat")
    READY = "ready", _("Siap")
    FAILED = "failed", _("Gagal")


class GeneratedDocument(models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("jenis objek"), on_delete=models.PROTECT, related_name="+",
    )
    object_id = models.CharField(_("ID objek"), max_length=64)
    obj = GenericForeignKey("content_type", "object_id")
    kind = models.SlugField(_("jenis dokumen"), max_length=64)
    renderer = models.CharField(_("pembuat"), max_length=200, help_text=_("Fungsi Python obj → HTML"))
    filename = models.CharField(_("nama berkas"), max_length=200, blank=True)
    html = models.TextField(_("HTML sumber"), blank=True)
    content_sha256 = models.CharField(_("hash isi (SHA-256)"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=GeneratedDocumentStatus.choices, default=GeneratedDocumentStatus.PENDING,
    )
    file = models.FileField(_("berkas"), upload_to="generated/%Y/%m/", blank=True)
    sha256 = models.CharField(_("hash berkas (SHA-256)"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("ukuran (bita)"), null=True, blank=True)
    error = models.TextField(_("galat"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diminta oleh"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai dibuat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("dokumen hasil")
        verbose_name_plural = _("dokumen hasil")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "kind"], name="generated_doc_obj_idx")]
        constraints = [
            # One live (not failed) row per object, kind and content: concurrent requests share it.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "content_sha256"],
                condition=~Q(status="failed"),
                name="generated_doc_live_content_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def is_ready(self) -> bool:
        return self.status == GeneratedDocumentStatus.READY
