"""The "Notifikasi" page: the signed-in person's notifications, newest first, with mark-as-read."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification
from .services.notify import notification_mark_read

PAGE_SIZE = 30


def base_template_name() -> str:
    """The project layout when the shell provides it, else viewflow's page."""
    return select_template(["pamong/base.html", "viewflow/base_page.html"]).template.name


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    only_unread = request.GET.get("belum") == "1"
    qs = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs.only("id", "subject", "body", "url", "capacity", "created_at", "read_at", "done_at", "done_note"), PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("halaman"))
    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    return render(request, "workflows/notifications.html", {
        "base_template": base_template_name(),
        "page_obj": page_obj,
        "notifications": page_obj.object_list,
        "only_unread": only_unread,
        "unread_count": unread,
    })


@login_required
@require_POST
def notification_mark_read_view(request: HttpRequest) -> HttpResponse:
    """POST ``id`` to mark one, or nothing to mark all of the user's notifications read."""
    raw = request.POST.get("id")
    ids = [int(raw)] if raw and raw.isdigit() else None
    notification_mark_read(user=request.user, ids=ids)
    return redirect("notifications")


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link (only links to this site)."""
    row = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(user=request.user, ids=[row.pk])
    if row.url and url_has_allowed_host_and_scheme(row.url, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return HttpResponseRedirect(row.url)
    return redirect("notifications")
