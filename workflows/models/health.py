from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """Written by the ``heartbeat`` task: proof that a real worker took a message and wrote to the database."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    written_at = models.DateTimeField(_("ditulis"), auto_now_add=True)

    class Meta:
        verbose_name = _("detak worker")
        verbose_name_plural = _("detak worker")
