"""The Inspektorat's list of red flags (split-purchase suspicions) with related requests and justifications."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import selectors
from .common import denied


@login_required
def redflag_list(request):
    if not selectors.may_see_all_flags(request.user):
        return denied(request, _("Daftar tanda merah hanya untuk Inspektorat."))
    page = Paginator(selectors.redflag_list(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "budget_requests/redflag_list.html", {"page": page, "rows": page.object_list})
