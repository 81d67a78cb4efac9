"""The Celery app. Same wiring in every mode; only the broker URL and eagerness differ (from settings)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("pamong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
