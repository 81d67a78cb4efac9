"""Pages of the app shell: the home page per role and the health check."""
from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .home import home_context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Today's positions of the user, the head of their inbox and queue, and the links of their roles."""
    return render(request, "workflows/home.html", home_context(request))


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
    }
    return JsonResponse(body, status=200 if healthy else 503)
