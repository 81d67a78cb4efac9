"""Pages of the app shell: the home page per role and the health check."""
from __future__ import annotations

import os
from pathlib import Path

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache

from .home import home_context
from .http import client_address
from .policy import Denied


class PamongAuthenticationForm(auth_forms.AuthenticationForm):
    """Django's login form with our own wrong-password sentence: its Indonesian catalogue puts the field's name
    after "nama pengguna", which read "Masukkan nama pengguna nama pengguna …"."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _l("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
    }


class PamongLoginView(LoginView):
    """viewflow's login page with a throttle: after ``PAMONG_LOGIN_MAX_FAILURES`` wrong passwords for one
    username from one address within ``PAMONG_LOGIN_LOCKOUT_SECONDS``, further attempts (even with the right
    password) get HTTP 429 and an Indonesian message until the window passes. Counted in the cache."""

    authentication_form = PamongAuthenticationForm

    def _throttle_key(self) -> str:
        username = (self.request.POST.get("username") or "").strip().lower()
        address = client_address(self.request)
        digest = hashlib.sha256(f"{username}|{address}".encode()).hexdigest()[:32]
        return f"pamong:login-failures:{digest}"

    def post(self, request, *args, **kwargs):
        limit = getattr(settings, "PAMONG_LOGIN_MAX_FAILURES", 5)
        if cache.get(self._throttle_key(), 0) >= limit:
            form = self.get_form()
            form.is_valid()  # keeps the username the user typed
            form.errors.clear()
            form.add_error(None, _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)s menit.")
                           % {"minutes": max(1, getattr(settings, "PAMONG_LOGIN_LOCKOUT_SECONDS", 900) // 60)})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        key = self._throttle_key()
        window = getattr(settings, "PAMONG_LOGIN_LOCKOUT_SECONDS", 900)
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, window)
        return super().form_invalid(form)

    def form_valid(self, form):
        cache.delete(self._throttle_key())
        return super().form_valid(form)


def _plain_password_help(form) -> None:
    """The new-password help as plain sentences: viewflow's form renderer escapes Django's HTML list."""
    field = form.fields.get("new_password1")
    if field is not None:
        field.help_text = " ".join(password_validation.password_validators_help_texts())


class PamongPasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_password_help(self)


class PamongSetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_password_help(self)


class PamongPasswordChangeView(auth_views.PasswordChangeView):
    form_class = PamongPasswordChangeForm


class PamongPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = PamongSetPasswordForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Today's positions of the user, the head of their inbox and queue, and the links of their roles."""
    return render(request, "workflows/home.html", home_context(request))


@login_required
def task_open(request: HttpRequest, pk: int) -> HttpResponse:
    """One click from the inbox or the queue to the document with its decision form.

    An open task addressed to a position the user acts for today is taken (assigned) on the way, through
    ``workflows.services.tasks.task_take`` and its policy check; a task the user may not take is not assigned,
    and the document page (scoped as usual) says what, if anything, the user may do.
    """
    from django.contrib import messages
    from django.shortcuts import get_object_or_404, redirect
    from viewflow.workflow.models import Task

    from .services.tasks import task_take
    from .site import ensure_urls_loaded, task_document_url

    task = get_object_or_404(Task.objects.select_related("process"), pk=pk)
    ensure_urls_loaded()
    try:
        task_take(actor=request.user, task=task)
    except Denied as exc:
        messages.info(request, exc.message)
    return redirect(task_document_url(task))


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:  # any driver error means "not answering"
        return False


def _check_filesystem_broker() -> bool:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    folders = [options.get(key) for key in ("data_folder_in", "data_folder_out", "processed_folder")]
    folders = [Path(f) for f in folders if f]
    if not folders:
        return False
    return all(f.is_dir() and os.access(f, os.R_OK | os.W_OK) for f in folders)


def _check_broker() -> bool:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        return _check_filesystem_broker()
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, interval_max=0.2, timeout=2)
        return True
    except Exception:
        return False


def _last_heartbeat() -> str | None:
    from .models import WorkerHeartbeat

    try:
        latest = WorkerHeartbeat.objects.order_by("-written_at").values_list("written_at", flat=True).first()
    except Exception:
        return None
    return latest.isoformat(timespec="seconds") if latest else None


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """``{"status", "database", "broker", ...}``: 200 when the database and the broker answer, 503 otherwise."""
    database = _check_database()
    broker = _check_broker()
    healthy = database and broker
    body = {
        "status": "ok" if healthy else "error",
        "database": "ok" if database else "error",
        "broker": "ok" if broker else "error",
        "broker_transport": settings.CELERY_BROKER_URL.split("://", 1)[0],
        "time": timezone.now().isoformat(timespec="seconds"),
        # Informational: when a Celery worker last wrote a heartbeat (workflows.tasks.heartbeat); not a gate.
        "worker_last_heartbeat": _last_heartbeat() if database else None,
    }
    return JsonResponse(body, status=200 if healthy else 503)


def audit_seals_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The seals of the audit trail (``seq``, ``sealed_at``, ``count``, ``digest``, ``hash``) as JSON or CSV,
    public, one page of ``SEAL_PAGE_SIZE`` at a time: ``?setelah=N`` gives the seals after seal #N, and the page
    names the next one (``"next"`` in the JSON, a ``Link: <…>; rel="next"`` header in both formats). Whoever
    keeps every page can later run ``manage.py verify_audit --against`` those files."""
    from django.http import Http404, HttpResponseBadRequest
    from django.urls import reverse

    from .selectors import audit_seal_page, seal_list_csv, seal_list_json

    if fmt not in ("json", "csv"):
        raise Http404
    raw = request.GET.get("setelah", "").strip()
    if raw and not (raw.isascii() and raw.isdigit()):
        return HttpResponseBadRequest(_("Parameter setelah harus berupa nomor segel."),
                                      content_type="text/plain; charset=utf-8")
    after = int(raw or 0)
    page = audit_seal_page(after_seq=after)
    next_url = None
    if page.next_after is not None:
        next_url = request.build_absolute_uri(
            f"{reverse('audit_seals_download', args=[fmt])}?setelah={page.next_after}")
    if fmt == "csv":
        response = HttpResponse(seal_list_csv(page.seals), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(seal_list_json(page.seals, next_url=next_url), content_type="application/json")
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    name = "segel-jejak-audit" + (f"-setelah-{after}" if after else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
