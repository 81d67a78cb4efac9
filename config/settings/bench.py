"""Settings for ``make bench`` (``bench/run.py``): PostgreSQL, eager Celery, quiet logs.

The harness drops and re-creates the database named in ``DATABASE_URL`` on every run (its name must contain
``bench``), so figures never depend on what an earlier run left behind.
"""
from .base import *  # noqa: F401,F403
from .base import INSTALLED_APPS, LOGGING, env

DEBUG = False
SECRET_KEY = "bench-only-secret-key-not-for-production"
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/pamong_bench"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The bench app holds the bare viewflow baseline flow (bench/baseline_flow.py).
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
# One fast hash: seeding demo users must not dominate a benchmark.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")}}
# Benchmarks that render pages must not scan STATIC_ROOT for every test client (nor warn that it is missing).
WHITENOISE_AUTOREFRESH = True
