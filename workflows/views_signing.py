"""Signing a document (the official's "Tanda tangani" form) and the public verification page of a signature."""
from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from .http import client_address
from .models import SignedDocument
from .policy import Denied
from .services.signing import SigningError, document_sign, latest_signature, signature_check_copy, signing_capacity
from .signing.registry import get_kind
from .views_notifications import base_template_name

VERIFY_UPLOADS_PER_MINUTE = 10  # pyHanko validation costs CPU: a public form must not be a free load generator


class SignForm(forms.Form):
    # Never rendered back: a refused passphrase must be typed again, not echoed into the page.
    passphrase = forms.CharField(label=_l("Passphrase sertifikat elektronik"), strip=False, max_length=200,
                                 widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))


class CopyCheckForm(forms.Form):
    file = forms.FileField(label=_l("Salinan PDF yang ingin diperiksa"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PAMONG_SIGNING_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (paling besar %(mb)d MB).")
                                        % {"mb": settings.PAMONG_SIGNING_MAX_UPLOAD_BYTES // (1024 * 1024)})
        data = upload.read()
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("Berkas %(name)s bukan PDF.") % {"name": upload.name})
        return data


def _load(kind_key: str, object_id: str):
    try:
        kind = get_kind(kind_key)
    except LookupError:
        raise Http404 from None
    obj = kind.model.objects.filter(pk=object_id).first()
    if obj is None:
        raise Http404
    return kind, obj


@sensitive_post_parameters("passphrase")
@login_required
@sensitive_variables("passphrase")  # innermost: it hides the variables of the function it wraps directly
def document_sign_view(request: HttpRequest, kind_key: str, object_id: str) -> HttpResponse:
    """GET: what will be signed, in which capacity; POST: sign with the passphrase typed now."""
    kind, obj = _load(kind_key, object_id)
    try:
        acting = signing_capacity(user=request.user, kind=kind, obj=obj)
    except Denied as denied:
        return render(request, "workflows/signing/sign.html", {
            "base_template": base_template_name(), "kind": kind, "title": kind.title(obj), "denied": denied.message,
        }, status=403)
    signed = latest_signature(obj=obj, kind=kind.key)
    if signed is not None and signed.final:
        # A final signature froze the document: there is nothing left to sign.
        return redirect("signature_verify", public_id=signed.public_id)
    form = SignForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        passphrase = form.cleaned_data["passphrase"]
        try:
            document_sign(kind_key=kind.key, obj=obj, actor=request.user, passphrase=passphrase, request=request)
        except Denied as denied:
            error = denied.message
        except SigningError as failure:
            error = failure.message
        else:
            return redirect(kind.back_url(obj))
        form = SignForm()
    return render(request, "workflows/signing/sign.html", {
        "base_template": base_template_name(), "kind": kind, "obj": obj, "title": kind.title(obj), "acting": acting,
        "form": form, "error": error, "signed": signed,
        "back_url": kind.back_url(obj),
    }, status=400 if error else 200)


def _throttled(request: HttpRequest) -> bool:
    key = f"pamong:verify-upload:{client_address(request)}"
    count = cache.get(key, 0)
    if count >= VERIFY_UPLOADS_PER_MINUTE:
        return True
    cache.set(key, count + 1, 60)
    return False


STORED_CHECK_SECONDS = 600  # a QR code scanned by many readers validates the stored PDF once per period


def _stored_check(signed: SignedDocument):
    """pyHanko's verdict on the stored signed PDF, cached per file and set of trust roots (validation costs
    about 0.1 s of CPU; the file never changes)."""
    from .signing.validation import check_pdf

    roots = hashlib.sha256(",".join(settings.PAMONG_SIGNING_TRUST_ROOTS).encode()).hexdigest()[:16]
    key = f"pamong:tte-check:{signed.sha256}:{roots}"
    cached = cache.get(key)
    if cached is None:
        with signed.file.open("rb") as handle:
            cached = check_pdf(handle.read())
        cache.set(key, cached, STORED_CHECK_SECONDS)
    return cached


def signature_verify(request: HttpRequest, public_id) -> HttpResponse:
    """Public: the signed document's metadata, hash and pyHanko's verdict; anyone may upload a copy to check."""
    signed = get_object_or_404(SignedDocument.objects.select_related("position"), public_id=public_id)
    stored_check = _stored_check(signed)
    form = CopyCheckForm()
    copy = None
    status = 200
    if request.method == "POST":
        form = CopyCheckForm(request.POST, request.FILES)
        if _throttled(request):
            form.add_error(None, _("Terlalu banyak pemeriksaan dari alamat Anda. Coba lagi sebentar lagi."))
            status = 429
        elif form.is_valid():
            copy = signature_check_copy(signed=signed, data=form.cleaned_data["file"])
        else:
            status = 400
    return render(request, "workflows/signing/verify.html", {
        "signed": signed, "stored_check": stored_check, "form": form, "copy": copy,
    }, status=status)


def signed_pdf_response(signed: SignedDocument, *, as_attachment: bool = False) -> FileResponse:
    """The signed PDF with its hash in ``X-Content-SHA256`` (for the apps' own download views)."""
    response = FileResponse(signed.file.open("rb"), as_attachment=as_attachment, filename=signed.filename,
                            content_type="application/pdf")
    response["X-Content-SHA256"] = signed.sha256
    response["X-Content-Type-Options"] = "nosniff"
    return response
