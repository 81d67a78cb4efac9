"""Downloading generated PDFs and polling their status, behind the owning app's permission hook."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .models import GeneratedDocument, SignedDocument
from .services.documents import document_can_view, document_record_download


def _forbidden(message: str) -> HttpResponse:
    return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF as an attachment, if the owning app lets this user see the object. Every download is audited."""
    doc = get_object_or_404(GeneratedDocument, pk=pk)
    if not document_can_view(user=request.user, doc=doc):
        document_record_download(doc=doc, user=request.user, request=request, allowed=False)
        return _forbidden(_("Anda tidak berwenang mengunduh dokumen ini."))
    if not doc.is_ready or not doc.file:
        # An early click (or an old link): say so in Indonesian on the site's page, not a bare 404.
        from django.shortcuts import render

        from django.utils.http import url_has_allowed_host_and_scheme

        from .views_notifications import base_template_name

        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        return render(request, "workflows/document_not_ready.html", {
            "base_template": base_template_name(), "doc": doc, "back": back,
        }, status=409 if doc.status != "failed" else 410)
    document_record_download(doc=doc, user=request.user, request=request, allowed=True)
    signed = SignedDocument.objects.filter(generated_document=doc).first()
    if signed is not None:
        # Once signed, only the signed PDF is served: the unsigned render it came from is never handed out again.
        from .views_signing import signed_pdf_response

        return signed_pdf_response(signed, as_attachment=True)
    response = FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.filename or f"dokumen-{doc.pk}.pdf",
                            content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
def document_status(request: HttpRequest, pk: int) -> JsonResponse:
    """JSON for polling: ``{"id", "status", "status_label", "ready", "download_url", "error"}``."""
    doc = get_object_or_404(GeneratedDocument.objects.defer("html"), pk=pk)
    if not document_can_view(user=request.user, doc=doc):
        return JsonResponse({"error": _("Anda tidak berwenang melihat dokumen ini.")}, status=403)
    return JsonResponse({
        "id": doc.pk,
        "status": doc.status,
        "status_label": str(doc.get_status_display()),
        "ready": doc.is_ready,
        "download_url": reverse("document_download", args=[doc.pk]) if doc.is_ready else None,
        # Once signed, the signed PDF is what downloads: report its hash, not the unsigned render's.
        "sha256": getattr(SignedDocument.objects.filter(generated_document=doc).first(), "sha256", None)
        or doc.sha256 or None,
        "error": _("PDF gagal dibuat. Silakan minta ulang.") if doc.status == "failed" else None,
    })
