"""Test settings. By default SQLite in memory and eager Celery; ``make test-services`` sets DATABASE_URL
to PostgreSQL and CELERY_BROKER_URL to Redis, and the services tests start a real worker."""
from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = "test-secret-key-not-for-production"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="cache+memory://")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
# WhiteNoise would scan STATIC_ROOT (thousands of files once `make run` collected them) for every test client,
# and warn when it does not exist yet; in autorefresh mode it only looks a file up when one is requested.
WHITENOISE_AUTOREFRESH = True
# The complaint outbox retries after 1, 2, 4 s here (30 s doubling in production) so that the services test's
# real worker recovers within seconds once the local receiver comes up.
COMPLAINT_OUTBOX_BACKOFF_SECONDS = env.int("COMPLAINT_OUTBOX_BACKOFF_SECONDS", default=1)
COMPLAINT_OUTBOX_BACKOFF_MAX_SECONDS = env.int("COMPLAINT_OUTBOX_BACKOFF_MAX_SECONDS", default=4)
COMPLAINT_OUTBOX_TIMEOUT_SECONDS = env.int("COMPLAINT_OUTBOX_TIMEOUT_SECONDS", default=3)
