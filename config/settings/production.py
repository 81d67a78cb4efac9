"""Production settings: PostgreSQL, Redis or RabbitMQ, gunicorn behind a reverse proxy.

Refuses to start without ``DJANGO_SECRET_KEY`` (a random string of 50+ characters) and ``DATABASE_URL``.
Every other value has a default that suits one city's installation; see the README's table of variables.
"""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import CELERY_VISIBILITY_TIMEOUT, env

DEBUG = False
_missing = [name for name in ("DJANGO_SECRET_KEY", "DATABASE_URL") if not env(name, default="")]
if _missing:
    raise ImproperlyConfigured(
        f"{' and '.join(_missing)} must be set in production (config.settings.production); "
        "see the README, section 'Running in production'."
    )
SECRET_KEY = env("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith(("django-insecure", "dev-only")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random string of at least 50 characters.")

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# A real broker: Redis (redis://) or RabbitMQ (amqp://). Results go to Redis when the broker is Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND",
    default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else None,
)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
if CELERY_BROKER_URL.startswith("filesystem://"):
    raise ImproperlyConfigured("The filesystem broker is for one machine only; use Redis or RabbitMQ in production.")

# One cache for every web process: the login lockout and the comment throttle count in it, so a per-process
# memory cache would let each gunicorn worker grant its own quota. Without DJANGO_CACHE_URL it is a table in
# the database (created by ``migrate``, see workflows.apps); Redis (redis://host:6379/1) is faster.
CACHES = {
    "default": env.cache("DJANGO_CACHE_URL", default="dbcache://pamong_cache"),
}
if CACHES["default"]["BACKEND"] in ("django.core.cache.backends.locmem.LocMemCache",
                                    "django.core.cache.backends.dummy.DummyCache"):
    raise ImproperlyConfigured("DJANGO_CACHE_URL must name a cache shared by every web process in production "
                               "(redis://…, dbcache://table or memcache://…), not a per-process one.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# TLS ends at the reverse proxy, which must set X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# /healthz is probed over plain HTTP by load balancers and process managers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
