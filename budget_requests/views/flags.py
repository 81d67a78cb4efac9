"""The Inspektorat's list of red flags (split-purchase suspicions) with related requests and justifications,
and its review of each flag (a finding and a note)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.policy import Denied

from .. import selectors
from ..errors import RequestError
from ..models import RedFlag, RedFlagFinding
from ..services.flags import redflag_review
from .common import denied


def _render_list(request, *, errors=None, status=200):
    page = Paginator(selectors.redflag_list(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "budget_requests/redflag_list.html", {
        "page": page, "rows": page.object_list, "findings": RedFlagFinding.choices, "errors": errors or {},
    }, status=status)


@login_required
def redflag_list(request):
    if not selectors.may_see_all_flags(request.user):
        return denied(request, _("Daftar tanda merah hanya untuk Inspektorat."))
    return _render_list(request)


@login_required
@require_POST
def redflag_review_view(request, pk: int):
    if not selectors.may_see_all_flags(request.user):
        return denied(request, _("Daftar tanda merah hanya untuk Inspektorat."))
    flag = get_object_or_404(RedFlag, pk=pk)
    try:
        redflag_review(flag=flag, actor=request.user, finding=request.POST.get("finding", ""),
                       note=request.POST.get("note", ""), request=request)
    except Denied as exc:
        return denied(request, exc.message)
    except RequestError as exc:
        errors = {"pk": flag.pk, "message": exc.message, "finding": request.POST.get("finding", ""),
                  "note": request.POST.get("note", "")}
        return _render_list(request, errors=errors, status=400)
    return redirect(reverse("budget_requests:redflag_list") + f"#flag-{flag.pk}")
