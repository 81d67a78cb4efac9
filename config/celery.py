"""The Celery app. Same wiring in every mode; only settings differ (broker URL and eagerness):

- ``make test`` (``config.settings.test``): ``CELERY_TASK_ALWAYS_EAGER=True``, tasks run in the calling process;
- ``make run`` (``config.settings.dev``): kombu's ``filesystem://`` broker in ``var/broker/`` (no server needed)
  and a SQLite result backend, consumed by the ``worker --beat`` process of ``Procfile.dev``;
- ``make test-services`` and production: Redis (or RabbitMQ) from ``CELERY_BROKER_URL`` with real worker
  processes (``tests/services/conftest.py`` starts one; the ``Procfile`` runs workers and one beat).

Tasks live in each app's ``tasks.py`` and are found by ``autodiscover_tasks``; code queues them with
``transaction.on_commit(lambda: task.delay(...))``.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("pamong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
