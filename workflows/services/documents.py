"""Requesting PDFs of documents and rendering them in the background.

An app offers a PDF by writing a *renderer module* with

* a function ``obj -> str`` returning the complete HTML (usually ``render_to_string`` of a template that links
  ``{% static 'pdf/base.css' %}``), passed to ``document_request`` by dotted path; and
* optionally ``can_view(user, obj) -> bool``: who may download it. Without it only superusers may.

``document_request`` renders the HTML at once (cheap), hashes it, and reuses a live document of the same
object, kind and content; otherwise it creates a pending row and queues ``workflows.tasks.render_document``
after commit. The task turns the stored HTML into PDF (slow: ~55 ms a page) and is safe to run twice.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any, Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ..models import GeneratedDocument, GeneratedDocumentStatus, User
from .audit import audit_record

logger = logging.getLogger(__name__)
STALE_BATCH = 500  # documents queued again per sweep


def _queue_render(doc_id: int) -> None:
    from ..tasks import render_document

    render_document.delay(doc_id)


def renderer_function(dotted: str) -> Callable[[models.Model], str]:
    return import_string(dotted)


def renderer_can_view(dotted: str) -> Callable[[Any, models.Model], bool] | None:
    """The ``can_view`` hook of the renderer's module, or None when it has none."""
    module_path = dotted.rsplit(".", 1)[0]
    try:
        return import_string(f"{module_path}.can_view")
    except ImportError:
        return None


def document_can_view(*, user, doc: GeneratedDocument) -> bool:
    """Whether ``user`` may see ``doc``: the owning app decides through its renderer module's ``can_view``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    hook = renderer_can_view(doc.renderer)
    if hook is None:
        return bool(user.is_superuser)
    obj = doc.obj
    return obj is not None and bool(hook(user, obj))


def document_request(
    *,
    obj: models.Model,
    kind: str,
    renderer: str,
    actor: User | None,
    filename: str = "",
) -> GeneratedDocument:
    """A PDF of ``obj`` as ``kind``: the existing one when its content is unchanged, else a new pending one.

    ``renderer`` is the dotted path of a function ``obj -> html``. Rendering happens in the Celery task after
    commit; poll ``GeneratedDocument.status`` (or the status view) for ``ready``. Once a final electronic
    signature froze the document, that signed document is returned and nothing is rendered again.
    """
    from .signing import final_signed_generated

    frozen = final_signed_generated(obj=obj, kind=kind)
    if frozen is not None:
        return frozen
    html = renderer_function(renderer)(obj)
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    content_type = ContentType.objects.get_for_model(obj)
    live = GeneratedDocument.objects.filter(
        content_type=content_type, object_id=str(obj.pk), kind=kind, content_sha256=digest,
    ).exclude(status=GeneratedDocumentStatus.FAILED)
    existing = live.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            doc = GeneratedDocument.objects.create(
                content_type=content_type, object_id=str(obj.pk), kind=kind, renderer=renderer,
                filename=filename or f"{kind}-{obj.pk}.pdf", html=html, content_sha256=digest,
                requested_by=actor,
            )
            transaction.on_commit(lambda: _queue_render(doc.pk))
    except IntegrityError:
        # Someone requested the same content at the same moment: share their row.
        return live.get()
    return doc


def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.PAMONG_DOCUMENT_STALE_SECONDS)


def document_render(*, doc_id: int, retry: bool = False) -> GeneratedDocument | None:
    """Render a requested document to PDF. Idempotent: a ready or failed document is left as it is, and so is
    one another worker started rendering less than ``PAMONG_DOCUMENT_STALE_SECONDS`` ago (a duplicate
    delivery); ``retry`` (the task's own retry) takes over its earlier attempt at once.

    The slow rendering runs outside any transaction; the result is written under a row lock. A rendering
    error (the soft time limit included) marks the row failed with the message (requesting again creates a
    fresh row).
    """
    from ..pdf import render_pdf

    with transaction.atomic():
        doc = GeneratedDocument.objects.select_for_update().filter(pk=doc_id).first()
        if doc is None or doc.status in (GeneratedDocumentStatus.READY, GeneratedDocumentStatus.FAILED):
            return doc
        if (doc.status == GeneratedDocumentStatus.RENDERING and not retry and doc.started_at
                and doc.started_at > _stale_before()):
            return doc
        doc.status = GeneratedDocumentStatus.RENDERING
        doc.started_at = timezone.now()
        doc.save(update_fields=["status", "started_at"])
        html = doc.html
    try:
        pdf = render_pdf(html)
    except Exception as exc:  # noqa: BLE001 - any rendering error is recorded on the row
        logger.exception("rendering generated document %s failed", doc_id)
        with transaction.atomic():
            doc = GeneratedDocument.objects.select_for_update().get(pk=doc_id)
            if doc.status != GeneratedDocumentStatus.READY:
                doc.status = GeneratedDocumentStatus.FAILED
                doc.error = f"{type(exc).__name__}: {exc}"[:2000]
                doc.finished_at = timezone.now()
                doc.save(update_fields=["status", "error", "finished_at"])
        return doc
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        doc = GeneratedDocument.objects.select_for_update().get(pk=doc_id)
        if doc.status == GeneratedDocumentStatus.READY:
            return doc
        doc.file.save(f"{doc.kind}-{doc.pk}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
        doc.sha256 = digest
        doc.size = len(pdf)
        doc.status = GeneratedDocumentStatus.READY
        doc.error = ""
        doc.finished_at = timezone.now()
        doc.save(update_fields=["file", "sha256", "size", "status", "error", "finished_at"])
    return doc


def document_requeue_stale() -> list[int]:
    """Queue again every document still pending or rendering ``PAMONG_DOCUMENT_STALE_SECONDS`` after it was
    requested or started: its message was lost or its worker killed. Rendering is idempotent, so a document
    whose first message still arrives is rendered once. A stale document still rendering
    ``PAMONG_DOCUMENT_GIVE_UP_SECONDS`` after it was requested is marked failed instead (requesting it again
    makes a fresh one). The ids queued."""
    stale = _stale_before()
    # A render interrupted again and again (a document that kills its worker) is given up, not queued forever.
    give_up = timezone.now() - dt.timedelta(seconds=settings.PAMONG_DOCUMENT_GIVE_UP_SECONDS)
    given_up = GeneratedDocument.objects.filter(
        status=GeneratedDocumentStatus.RENDERING, started_at__lt=stale, created_at__lt=give_up,
    ).update(status=GeneratedDocumentStatus.FAILED, finished_at=timezone.now(),
             error=_("Pembuatan PDF berulang kali terputus (pekerja latar berhenti); minta dokumen ini lagi."))
    if given_up:
        logger.error("gave up %d generated documents whose rendering was interrupted repeatedly", given_up)
    ids = list(
        GeneratedDocument.objects.filter(
            Q(status=GeneratedDocumentStatus.PENDING, created_at__lt=stale)
            | Q(status=GeneratedDocumentStatus.RENDERING, started_at__lt=stale)
        ).order_by("pk").values_list("pk", flat=True)[:STALE_BATCH]
    )
    for doc_id in ids:
        _queue_render(doc_id)
    if ids:
        logger.warning("queued %d stale generated documents again: %s", len(ids), ids)
    return ids


def document_record_download(*, doc: GeneratedDocument, user: User, request=None, allowed: bool) -> None:
    """Audit a download (an export of the document) or a refused attempt, on the owning object's stream."""
    obj = doc.obj
    with transaction.atomic():
        audit_record(
            actor=user, action="document.download" if allowed else "document.denied", obj=obj or doc,
            after={"generated_document": doc.pk, "kind": doc.kind, "sha256": doc.sha256}, request=request,
        )


def document_latest(*, obj: models.Model, kind: str) -> GeneratedDocument | None:
    """The newest generated document of ``obj`` as ``kind`` (any status), for a page to show or poll."""
    return GeneratedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), kind=kind,
    ).first()
