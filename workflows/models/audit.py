"""The audit trail: append-only, hash-chained events.

Each event belongs to a *stream* (one document or one envelope) and carries the hash of the previous event of
its stream, so writers on different documents never wait on one another. A periodic *seal* event (stream
``SEAL_STREAM``) holds one hash over the events each stream committed since the previous seal (per stream a range
of ``seq``), so deleting or inserting an event anywhere is detected too. Rows are written only by
``workflows.services.audit``; on PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE on the table.

``AuditStreamHead`` is the last ``seq`` and hash of each stream: appends lock it (``SELECT … FOR UPDATE``), so
appends to one stream are serialized and never collide on ``(stream, seq)``; it also tells ``verify_audit`` how
long the stream must be, so deleting its newest events is detected. ``AuditStreamSeal`` is the sealer's
bookmark (how far each stream is sealed); the seal events themselves are the record, verification does not
trust the bookmark.
"""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

SEAL_STREAM = "__seal__"


class AuditEvent(models.Model):
    stream = models.CharField(_("aliran"), max_length=120)
    seq = models.PositiveIntegerField(_("urutan"))
    occurred_at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelaku"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_name = models.CharField(_("nama pelaku"), max_length=200, blank=True)
    capacity = models.CharField(_("kapasitas"), max_length=250, blank=True, help_text=_('Mis. "Plh. Camat Setu"'))
    action = models.CharField(_("tindakan"), max_length=80)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=300, blank=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    origin = models.JSONField(_("asal permintaan"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="audit_event_stream_seq_unique")]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class AuditStreamHead(models.Model):
    """The newest event of one audit stream. Locked by every append to the stream, updated in its transaction."""

    stream = models.CharField(_("aliran"), max_length=120, unique=True)
    seq = models.PositiveIntegerField(_("urutan terakhir"), default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("kepala aliran audit")
        verbose_name_plural = _("kepala aliran audit")

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq}"


class AuditStreamSeal(models.Model):
    """How far one stream is sealed: the ``seq`` of its last event covered by a seal. Written only by the
    sealer (which runs one at a time), never by appends, so sealing takes no lock an approval waits on."""

    stream = models.CharField(_("aliran"), max_length=120, unique=True)
    seq = models.PositiveIntegerField(_("urutan tersegel"), default=0)

    class Meta:
        verbose_name = _("batas segel aliran audit")
        verbose_name_plural = _("batas segel aliran audit")

    def __str__(self) -> str:
        return f"{self.stream} ≤ #{self.seq}"
