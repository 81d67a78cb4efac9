"""Bagian Hukum's consultation pages: open a consultation on a version, record a disposition for each comment,
download the consultation report."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from workflows.policy import Denied

from .. import policy, selectors
from ..models import Consultation, Disposition, Formation, PublicComment, Regulation
from ..services import consultation as csvc
from .formation import ConsultationForm, _forbidden, _messages_of, formation_detail


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_l("Tindak lanjut"),
        choices=[(d, Disposition(d).label) for d in (Disposition.ACCEPTED, Disposition.PARTLY, Disposition.NOT_ACCEPTED)],
    )
    reason = forms.CharField(label=_l("Alasan (ditampilkan kepada publik)"), widget=forms.Textarea(attrs={"rows": 2}))


@require_POST
def consultation_open(request, regulation_id: int):
    regulation = get_object_or_404(Regulation, pk=regulation_id)
    form = ConsultationForm(request.POST, regulation=regulation)
    if not form.is_valid():
        return formation_detail(request, regulation_id, {"consultation": form}, status=400)
    d = form.cleaned_data
    try:
        consultation = csvc.consultation_open(version=d["version"], actor=request.user, opens_on=d["opens_on"],
                                              closes_on=d["closes_on"], note=d["note"], request=request)
    except Denied as denied:
        return _forbidden(request, denied, Formation.objects.filter(regulation=regulation).first(),
                          "consultation.open")
    except ValidationError as exc:
        for message in _messages_of(exc):
            form.add_error(None, message)
        return formation_detail(request, regulation_id, {"consultation": form}, status=400)
    messages.success(request, _("Konsultasi publik dibuka."))
    return redirect("perda:consultation_manage", consultation.pk)


def consultation_manage(request, consultation_id: int, bad: dict | None = None, status: int = 200):
    if not policy.may_view_formation(request.user):
        return _forbidden(request, Denied("no_position", _("Anda tidak memiliki jabatan yang dapat melihat halaman ini.")),
                          None, "consultation.view")
    consultation = get_object_or_404(Consultation.objects.select_related("version__regulation", "opened_by"),
                                     pk=consultation_id)
    groups = selectors.comments_by_provision(consultation)
    bad = bad or {}
    for group in groups:
        for comment in group["comments"]:
            comment.form = bad.get(comment.pk) or DispositionForm(
                initial={"disposition": comment.disposition if comment.disposition != "pending" else None,
                         "reason": comment.disposition_reason}, prefix=f"c{comment.pk}")
    try:
        policy.require_bagian_hukum(request.user)
        may_decide = True
    except Denied:
        may_decide = False
    from workflows.services.documents import document_latest

    from ..reports import REPORT_KIND

    return render(request, "perda/consultation_manage.html", {
        "report": document_latest(obj=consultation, kind=REPORT_KIND),
        "consultation": consultation, "regulation": consultation.version.regulation, "groups": groups,
        "may_decide": may_decide,
        "n_comments": sum(len(g["comments"]) for g in groups),
        "n_pending": sum(1 for g in groups for c in g["comments"] if c.disposition == "pending"),
    }, status=status)


@require_POST
def comment_dispose(request, consultation_id: int, comment_id: int):
    comment = get_object_or_404(PublicComment.objects.select_related("consultation__version__regulation"),
                                pk=comment_id, consultation_id=consultation_id)
    form = DispositionForm(request.POST, prefix=f"c{comment.pk}")
    if not form.is_valid():
        return consultation_manage(request, consultation_id, {comment.pk: form}, status=400)
    try:
        csvc.comment_dispose(comment=comment, actor=request.user, disposition=form.cleaned_data["disposition"],
                             reason=form.cleaned_data["reason"], request=request)
    except Denied as denied:
        formation = Formation.objects.filter(regulation=comment.consultation.version.regulation).first()
        return _forbidden(request, denied, formation, "consultation.dispose")
    except ValidationError as exc:
        for message in _messages_of(exc):
            form.add_error(None, message)
        return consultation_manage(request, consultation_id, {comment.pk: form}, status=400)
    messages.success(request, _("Tindak lanjut masukan dicatat."))
    return redirect(reverse("perda:consultation_manage", args=[consultation_id]) + f"#c-{comment.pk}")


@require_POST
def consultation_report(request, consultation_id: int):
    """Ask for the consultation report PDF: rendered by a Celery task through ``workflows.services.documents``;
    the consultation page shows its status and, when ready, the download link."""
    if not policy.may_view_formation(request.user):
        return _forbidden(request, Denied("no_position", _("Anda tidak memiliki jabatan yang dapat melihat halaman ini.")),
                          None, "consultation.report")
    consultation = get_object_or_404(Consultation, pk=consultation_id)
    csvc.consultation_report_request(consultation=consultation, actor=request.user)
    messages.success(request, _("Laporan sedang dibuat; tautan unduhan muncul di halaman ini setelah siap."))
    return redirect(reverse("perda:consultation_manage", args=[consultation.pk]) + "#laporan")
