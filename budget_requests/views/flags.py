"""The Inspektorat's list of red flags (split-purchase suspicions) with related requests and justifications,
and its review of each flag (a finding and a note)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from workflows.policy import Denied

from .. import selectors
from ..errors import RequestError
from ..models import RedFlag, RedFlagFinding
from ..services.flags import redflag_review
from .common import denied


# Sort orders of the list (GET "urut"): newest first, biggest total first, by unit (kecamatan, then kelurahan).
SORTS = {
    "terbaru": (_l("Terbaru"), ("-created_at", "-pk")),
    "jumlah": (_l("Jumlah terbesar"), ("-total", "-created_at")),
    "unit": (_l("Unit"), None),
}


def _render_list(request, *, errors=None, status=200):
    from workflows.models.org import tree_order

    qs = selectors.redflag_list(request.user)
    review = request.GET.get("telaah", "")
    if review == "belum":
        qs = qs.filter(reviewed_at__isnull=True)
    elif review == "sudah":
        qs = qs.filter(reviewed_at__isnull=False)
    units = selectors.request_units(request.user)
    kecamatan = [u for u in units if u.kind == "kecamatan"]
    unit = next((u for u in kecamatan if u.code == request.GET.get("unit")), None)
    if unit is not None:
        qs = qs.filter(Q(request__org_unit__path__startswith=unit.path + "/") | Q(request__org_unit=unit))
    sort = request.GET.get("urut") if request.GET.get("urut") in SORTS else "terbaru"
    order = SORTS[sort][1] or (*tree_order("request__org_unit"), "-created_at")
    params = request.GET.copy()
    params.pop("page", None)
    page = Paginator(qs.order_by(*order), 50).get_page(request.GET.get("page"))
    return render(request, "budget_requests/redflag_list.html", {
        "page": page, "rows": page.object_list, "findings": RedFlagFinding.choices, "errors": errors or {},
        "review": review, "unit": unit.code if unit else "", "kecamatan": kecamatan, "sort": sort,
        "sorts": [(k, v[0]) for k, v in SORTS.items()], "params": params.urlencode(),
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
