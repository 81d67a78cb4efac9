"""Public pages (no login): open consultations with the draft, per-provision comment forms and every comment's
disposition; the JDIH listing of enacted regulations with their frozen PDF and Akoma Ntoso."""
from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _l

from workflows.http import client_address

from .. import selectors
from ..models import Consultation, Regulation, RegulationKind
from ..services import consultation as csvc
from ..states import Stage


class CommentForm(forms.Form):
    provision = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_l("Nama"), max_length=200)
    contact = forms.CharField(label=_l("Surel atau telepon (tidak ditampilkan)"), max_length=200)
    text = forms.CharField(label=_l("Masukan"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=csvc.COMMENT_MAX_CHARS)


def consultation_list(request):
    consultations = list(selectors.public_consultations())
    from django.utils import timezone

    today = timezone.localdate()
    return render(request, "perda/public/consultation_list.html", {
        "open": [c for c in consultations if c.closes_on >= today],
        "closed": [c for c in consultations if c.closes_on < today][:50],
    })


def _consultation_or_404(consultation_id: int) -> Consultation:
    from django.utils import timezone

    consultation = get_object_or_404(
        Consultation.objects.select_related("version__regulation", "version__regulation__pemrakarsa"),
        pk=consultation_id, opens_on__lte=timezone.localdate(),
    )
    return consultation


def consultation_detail(request, consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    form = None
    status = 200
    sent = request.GET.get("terkirim")
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                comment = csvc.comment_submit(consultation=consultation, name=d["name"], contact=d["contact"],
                                              text=d["text"], provision_uid=d["provision"] or None,
                                              ip=client_address(request))
            except csvc.Throttled as exc:
                form.add_error(None, exc.messages[0])
                status = 429
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, msgs in exc.message_dict.items():
                        for m in msgs:
                            form.add_error(field if field in form.fields else None, m)
                else:
                    for m in exc.messages:
                        form.add_error(None, m)
                status = 400
            else:
                return redirect(reverse("perda:public_consultation", args=[consultation.pk])
                                + f"?terkirim={comment.pk}#c-{comment.pk}")
        else:
            status = 400
    from ..render.html import render_html

    snapshot = consultation.version.snapshot
    provisions = selectors.commentable_provisions(snapshot)
    groups = {g["uid"]: g["comments"] for g in selectors.comments_by_provision(consultation, snapshot)}
    failed_uid = form.data.get("provision", "") if form is not None and form.errors else None
    rows = [{"uid": p.uid, "label": p.label, "kind": p.kind, "comments": groups.get(p.uid, []),
             "form": form if failed_uid == p.uid else CommentForm(initial={"provision": p.uid})}
            for p in provisions]
    general_form = form if failed_uid == "" else CommentForm(initial={"provision": ""})
    return render(request, "perda/public/consultation_detail.html", {
        "consultation": consultation, "regulation": consultation.version.regulation,
        "draft_html": render_html(snapshot, standalone=False),
        "rows": rows, "general": groups.get("", []), "general_form": general_form,
        "failed_uid": failed_uid, "sent": sent, "is_open": consultation.is_open(),
        "n_comments": sum(len(v) for v in groups.values()),
    }, status=status)


def naskah_akademik(request, consultation_id: int):
    """The naskah akademik of a draft under consultation must be publicly accessible (DOMAIN.md §4)."""
    consultation = _consultation_or_404(consultation_id)
    regulation = consultation.version.regulation
    if not regulation.naskah_akademik:
        raise Http404
    name = regulation.naskah_akademik_name or regulation.naskah_akademik.name.rsplit("/", 1)[-1]
    return FileResponse(regulation.naskah_akademik.open("rb"), as_attachment=True, filename=name)


# --- JDIH -----------------------------------------------------------------------------------------------

def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def jdih_list(request):
    q = request.GET.get("q", "").strip()[:200]
    number = _int(request.GET.get("nomor"))
    year = _int(request.GET.get("tahun"))
    kind = request.GET.get("jenis", "")
    if kind not in RegulationKind.values:
        kind = ""
    qs = selectors.jdih_list(q=q, number=number, year=year, kind=kind)
    page = Paginator(qs, 25).get_page(request.GET.get("hal"))
    return render(request, "perda/public/jdih_list.html", {
        "page": page, "q": q, "nomor": number or "", "tahun": year or "", "jenis": kind,
        "kinds": RegulationKind.choices,
    })


def _published_or_404(regulation_id: int) -> Regulation:
    return get_object_or_404(
        Regulation.objects.select_related("formation", "pemrakarsa", "enacted_version"),
        pk=regulation_id, formation__stage=Stage.SELESAI, enacted_version__isnull=False,
    )


def jdih_detail(request, regulation_id: int):
    regulation = _published_or_404(regulation_id)
    from ..render.html import render_html

    consultations = list(
        Consultation.objects.filter(version__regulation=regulation).select_related("version").defer("version__snapshot")
        .annotate(n_comments=Count("comments")).order_by("opens_on")
    )
    from ..amendments.pages import jdih_amendment_context

    amendment_ctx = jdih_amendment_context(request, regulation)  # mengubah / diubah dengan, consolidated text
    from workflows.services.signing import latest_signature

    from ..signing import KIND as SIGNED_KIND

    return render(request, "perda/public/jdih_detail.html", {
        "regulation": regulation, "draft_html": render_html(regulation.enacted_version.snapshot, standalone=False),
        "consultations": consultations, "metadata": _metadata_rows(regulation), **amendment_ctx,
        "signature": latest_signature(obj=regulation, kind=SIGNED_KIND),
    })


def _metadata_rows(regulation: Regulation) -> list[tuple[str, str]]:
    """The Permenkumham 8/2019 metadata as the JDIH page shows it (label, value), with the legal status."""
    from .. import jdihn
    from ..metadata import kind_meta

    status = jdihn.legal_status(jdihn.published_regulations().get(pk=regulation.pk))
    kind = kind_meta(regulation)

    def cited(regulations) -> str:
        return "; ".join(f"{r.kind_label} {r.number}/{r.year}" for r in regulations)

    rows = [
        (_l("Tipe dokumen"), _l("Peraturan Perundang-undangan")),
        (_l("Judul"), jdihn.judul(regulation)),
        (_l("T.E.U. badan"), regulation.teu_badan),
        (_l("Nomor peraturan"), str(regulation.number)),
        (_l("Jenis/bentuk peraturan"), kind.jenis),
        (_l("Singkatan jenis"), kind.singkatan),
        (_l("Tempat penetapan"), regulation.tempat_terbit),
        (_l("Tanggal penetapan"), regulation.enacted_on.isoformat() if regulation.enacted_on else ""),
        (_l("Tanggal pengundangan"), regulation.promulgated_on.isoformat() if regulation.promulgated_on else ""),
        (_l("Sumber"), regulation.sumber),
        (_l("Subjek"), regulation.subjek),
        (_l("Status"), status),
        (_l("Bahasa"), regulation.bahasa),
        (_l("Lokasi"), regulation.lokasi),
        (_l("Bidang hukum"), regulation.bidang_hukum),
        (_l("Penerbit"), regulation.penerbit),
        (_l("Mencabut"), cited(regulation.revokes.all())),
        (_l("Dicabut dengan"), cited(regulation.revoked_by.filter(number__isnull=False))),
    ]
    return [(label, value) for label, value in rows if value]


def jdihn_feed(request):
    """The JDIHN harvest feed (``perda.jdihn``): a JSON array, one object per published regulation. The body
    is cached under a fingerprint of what it depends on (one aggregate query), so a change shows at once."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils.cache import patch_cache_control

    from .. import jdihn

    key = "perda:jdihn:" + jdihn.feed_fingerprint()
    body = cache.get(key)
    if body is None:
        body = json.dumps(jdihn.jdihn_feed(), ensure_ascii=False, separators=(",", ":"))
        cache.set(key, body, settings.PERDA_JDIHN_CACHE_SECONDS)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    patch_cache_control(response, public=True, max_age=settings.PERDA_JDIHN_CACHE_SECONDS)
    return response


def jdih_pdf(request, regulation_id: int):
    regulation = _published_or_404(regulation_id)
    if not regulation.enacted_pdf:
        raise Http404
    from workflows.services.signing import latest_signature
    from workflows.views_signing import signed_pdf_response

    from ..signing import KIND as SIGNED_KIND

    signed = latest_signature(obj=regulation, kind=SIGNED_KIND)
    if signed is not None:
        # Once signed, the signed PDF is the regulation's PDF: the unsigned render is never served again.
        return signed_pdf_response(signed)
    response = FileResponse(regulation.enacted_pdf.open("rb"), content_type="application/pdf",
                            filename=f"{regulation.kind}-{regulation.year}-{regulation.number}.pdf")
    response["X-Content-SHA256"] = regulation.enacted_pdf_sha256
    return response


def jdih_akn(request, regulation_id: int):
    regulation = _published_or_404(regulation_id)
    from ..render.akn import render_akn

    xml = render_akn(regulation.enacted_version.snapshot)
    response = HttpResponse(xml, content_type="application/akn+xml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{regulation.kind}-{regulation.year}-{regulation.number}.akn.xml"')
    return response
