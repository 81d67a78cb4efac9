"""Notifications to a person: shown on the "Notifikasi" page and sent once by e-mail."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person. Written by ``workflows.services.notify``; ``read_at`` / ``emailed_at`` record
    when it was read and when its e-mail went out (the e-mail task does nothing when ``emailed_at`` is set).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penerima"), on_delete=models.PROTECT, related_name="notifications",
    )
    subject = models.CharField(_("perihal"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("jenis objek"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    obj = GenericForeignKey("content_type", "object_id")
    capacity = models.CharField(
        _("sebagai"), max_length=250, blank=True, help_text=_('Jabatan yang dituju, mis. "Plh. Camat Setu"'),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("dikirim lewat surel"), null=True, blank=True)
    email_error = models.CharField(_("galat surel"), max_length=300, blank=True)
    asks_action = models.BooleanField(
        _("meminta tindakan"), default=False, help_text=_("Pemberitahuan yang meminta penerima bertindak (memutus, membayar)."),
    )
    done_at = models.DateTimeField(_("sudah ditindaklanjuti"), null=True, blank=True)
    done_note = models.CharField(
        _("keterangan tindak lanjut"), max_length=200, blank=True,
        help_text=_('Ditampilkan sebagai ganti perihal setelah tindakan diambil, mis. "Sudah diputuskan: disetujui"'),
    )

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
