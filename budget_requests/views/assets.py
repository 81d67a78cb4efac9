"""The IT asset register: list (scoped) and CSV import (all-or-nothing, per-row Indonesian errors)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from workflows.models.org import tree_order
from workflows.uploads import PendingUploads

from .. import selectors
from ..errors import RequestError
from ..forms import AssetImportForm
from ..models import AssetKind, OwnerAuthority
from ..services import asset_import_csv
from .common import denied


@login_required
def asset_list(request):
    qs = selectors.assets_visible(request.user)
    kind = request.GET.get("jenis", "")
    owner = request.GET.get("pemilik", "")
    q = request.GET.get("q", "").strip()
    if kind in AssetKind.values:
        qs = qs.filter(kind=kind)
    if owner in OwnerAuthority.values:
        qs = qs.filter(owner_authority=owner)
    if q:
        qs = qs.filter(Q(tag__icontains=q) | Q(description__icontains=q) | Q(location__icontains=q))
    page = Paginator(qs.order_by(*tree_order("org_unit"), "tag"), 50).get_page(request.GET.get("page"))
    return render(request, "budget_requests/asset_list.html", {
        "page": page, "rows": page.object_list, "kinds": AssetKind.choices, "owners": OwnerAuthority.choices,
        "kind": kind, "owner": owner, "q": q, "may_import": selectors.may_import_assets(request.user),
    })


@login_required
def asset_import(request):
    if not selectors.may_import_assets(request.user):
        return denied(request, _("Hanya Diskominfo, BPKAD atau administrator yang dapat mengimpor aset."))
    result = None
    status = 200
    if request.method == "POST":
        pending = PendingUploads(request)
        files = pending.files_with_kept(request.POST, request.FILES)
        form = AssetImportForm(request.POST, files)
        if form.is_valid():
            try:
                result = asset_import_csv(file=form.cleaned_data["file"], actor=request.user, request=request)
            except RequestError as exc:
                form.add_error("file", exc.message)
                status = 400
            else:
                if result.ok:
                    pending.discard(request.POST)
                    messages.success(request, _("Impor selesai: %(c)s aset baru, %(u)s diperbarui.")
                                     % {"c": result.created, "u": result.updated})
                    return redirect("budget_requests:asset_list")
                status = 400
        else:
            status = 400
        # Shown again (bad rows, or a missing unit or asset they name): the CSV chosen is kept, so the user can
        # fix the reference data and import the same file without choosing it again.
        pending.keep([form], files)
    else:
        form = AssetImportForm()
    return render(request, "budget_requests/asset_import.html", {"form": form, "result": result}, status=status)
