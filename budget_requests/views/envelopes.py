"""Budget envelopes (pagu): list with room, and one envelope with its ledger and the requests charged to it."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from workflows.acting import local_date

from .. import selectors


@login_required
def envelope_list(request):
    try:
        year = int(request.GET.get("tahun") or local_date().year)
    except ValueError:
        year = local_date().year
    qs = selectors.envelope_list(request.user, year=year, unit=request.GET.get("unit", ""))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "budget_requests/envelope_list.html", {"page": page, "rows": page.object_list, "year": year})


@login_required
def envelope_detail(request, pk: int):
    env = selectors.envelopes_visible(request.user).filter(pk=pk).first()
    if env is None:
        raise Http404
    ledger = selectors.envelope_ledger(env)
    requests = (env.requests.select_related("org_unit", "asset").order_by("-created_at")[:100])
    return render(request, "budget_requests/envelope_detail.html", {
        "env": env, "ledger": ledger, "requests": list(requests),
        "used_pct": round(100 * (env.reserved + env.paid) / env.allocated) if env.allocated else 0,
    })
