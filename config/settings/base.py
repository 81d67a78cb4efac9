"""Settings shared by every mode. Everything that differs between machines comes from the environment.

The defaults are the single-machine ones (SQLite, a filesystem broker) so that ``make run`` works anywhere;
production overrides them through ``config.settings.production``.
"""
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env("PAMONG_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI / Redoc served from our own static files (works offline)
    "django_filters",
    "django_fsm",
    "viewflow",
    "viewflow.workflow",
    "workflows",
    "perda",
    "budget_requests",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "workflows.csp.InlineStylesForSvgMiddleware",  # after CSPMiddleware: its answer must be seen first
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "workflows.middleware.LoginRequiredRedirectMiddleware",
]

# Content-Security-Policy (django-csp): scripts only from our own static files — no inline script, inline event
# handler or javascript: link anywhere. Style sheets and <style> elements likewise only from our static files
# (style-src-elem; style-src says the same for browsers without CSP Level 3), or with the response's nonce
# (``request.csp_nonce``, present only when a template used it): viewflow's page hands it to Turbo for the <style>
# of its progress bar. Style ATTRIBUTES are allowed (style-src-attr 'unsafe-inline'): viewflow's stock templates
# set them, and an attribute can neither run script nor load anything that img-src, font-src and default-src do
# not already allow. Our own templates still carry none (tests/workflows/test_csp.py checks the templates,
# test_crawl.py the rendered pages; the browser tests fail on any violation the browser reports). Only
# viewflow's SVG flow charts and Redoc keep 'unsafe-inline' for <style> elements (workflows/csp.py says why).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],  # the fallback for browsers without style-src-elem/-attr
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],  # Redoc renders the API docs in a worker
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workflows.context_processors.pamong",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'pamong.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the Celery worker read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "workflows.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # Grants "act for position P" to whoever holds or acts for P today (Plh/Plt included).
    "workflows.permissions.PositionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian by default, English available. Times are stored in UTC and shown in WIB.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
# locale/drf: Indonesian for the Django REST framework messages that its own "id" catalogue leaves out.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "drf"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").exists() else []
# Uploads live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = Path(env("PAMONG_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Pamong <pamong@localhost>")

# --- Celery -------------------------------------------------------------------------------------------
# Time limits on every task (seconds): the soft limit raises SoftTimeLimitExceeded inside the task, the hard one
# kills the worker child. PDF renders get their own, longer pair (PAMONG_RENDER_*; a 100-Pasal draft takes ~5 s).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
PAMONG_RENDER_SOFT_TIME_LIMIT = env.int("PAMONG_RENDER_SOFT_TIME_LIMIT", default=240)
PAMONG_RENDER_TIME_LIMIT = env.int("PAMONG_RENDER_TIME_LIMIT", default=300)
# Retries back off up to this many seconds (retry_backoff_max of every task that retries).
PAMONG_TASK_RETRY_BACKOFF_MAX = 600
# A document still "pending" or "rendering" this long after it was requested or started is taken to be lost
# (its worker was killed) and queued again by the sweeper; longer than the render's hard time limit.
PAMONG_DOCUMENT_STALE_SECONDS = env.int("PAMONG_DOCUMENT_STALE_SECONDS", default=PAMONG_RENDER_TIME_LIMIT + 120)
# A document still rendering this long after it was requested was interrupted again and again (it kills its
# worker): the sweeper marks it failed instead of queueing it once more.
PAMONG_DOCUMENT_GIVE_UP_SECONDS = env.int("PAMONG_DOCUMENT_GIVE_UP_SECONDS", default=1800)
# Redis/SQS redeliver an unacknowledged message after the visibility timeout: it must exceed the longest task
# (the render's hard limit) and the longest retry countdown, or a message still running or waiting for its
# retry would be delivered a second time.
CELERY_VISIBILITY_TIMEOUT = max(PAMONG_RENDER_TIME_LIMIT, PAMONG_TASK_RETRY_BACKOFF_MAX) + 300

# The single-machine default is a broker that needs no server: kombu's filesystem transport.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND", default=f"db+sqlite:///{VAR_DIR / 'celery-results.sqlite3'}"
)
CELERY_BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The transport needs its folders to exist before the first message is sent.
    for _folder in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Exchange tables; without this kombu writes them to ./control in the current directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Two installations (or two test runs) sharing one broker keep apart by using different queue names.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged after it ran; a worker killed mid-task (OOM, kill -9, a lost machine) leaves its
# message to be delivered again (the tasks are idempotent) instead of losing it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic work lives here, not in code paths. Each app adds its entries in its own tasks module name.
CELERY_BEAT_SCHEDULE = {
    "fire-workflow-timers": {
        "task": "workflows.tasks.fire_workflow_timers",
        "schedule": 60.0,
    },
    "seal-audit-log": {
        "task": "workflows.tasks.seal_audit_log",
        "schedule": crontab(minute=5),
    },
    # PDFs left "pending" or "rendering" by a killed worker are queued again.
    "requeue-stale-documents": {
        "task": "workflows.tasks.requeue_stale_documents",
        "schedule": env.float("PAMONG_DOCUMENT_SWEEP_SECONDS", default=120.0),
    },
}

# --- API ----------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: a request without valid credentials is answered 401 with "WWW-Authenticate: Token" (DRF takes
    # the header from the first class; with the session first it would be a 403 without one).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "workflows.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "workflows.api.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute", "user": "600/minute", "login": "10/minute", "public_comment": "5/minute"},
    # Every API error as {"code", "detail" (Indonesian), "field"}: RequestError 400, Denied 403.
    "EXCEPTION_HANDLER": "workflows.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pamong API",
    "DESCRIPTION": "Alur kerja regulasi dan anggaran perbaikan TI pemerintah daerah.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every 400/401/403/404 a path can return is in the schema, with the project's error shape.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "workflows.api.add_error_responses"],
    # Choice sets that share a field name with another one get a name of their own (else a hashed one and a
    # warning that fails the deploy check); the repair request's keep the names they had alone.
    "ENUM_NAME_OVERRIDES": {
        "StateEnum": "budget_requests.models.RequestState",
        "CategoryEnum": "budget_requests.models.RepairCategory",
        "ComplaintCategoryEnum": "budget_requests.complaints.models.ComplaintCategory",
        "ComplaintStateEnum": "budget_requests.complaints.models.ComplaintState",
    },
}

CACHES = {
    "default": env.cache("DJANGO_CACHE_URL", default="locmemcache://pamong"),
}

# --- Pamong -------------------------------------------------------------------------------------------
# The region this installation serves (``workflows.region``): every page and document of its own takes these
# words. ``capital`` is the place written on documents signed in the region ("Ditetapkan di …"; a kabupaten's
# ibu kota), ``province_capital`` where letters to the Gubernur go ("di Serang"); ``formation_law`` is the law that formed the region, cited in the Mengingat of its regulations.
# ``code`` is the region's Kemendagri area code ("36.74"), the first digits of its residents' NIK.
PAMONG_REGION = {
    "kind": env("PAMONG_REGION_KIND", default="kota"),
    "name": env("PAMONG_REGION_NAME", default="Tangerang Selatan"),
    "code": env("PAMONG_REGION_CODE", default="36.74"),
    "province": env("PAMONG_REGION_PROVINCE", default="Banten"),
    "capital": env("PAMONG_REGION_CAPITAL", default="Tangerang Selatan"),
    "province_capital": env("PAMONG_REGION_PROVINCE_CAPITAL", default="Serang"),
    "formation_law": env(
        "PAMONG_REGION_FORMATION_LAW",
        default="Undang-Undang Nomor 51 Tahun 2008 tentang Pembentukan Kota Tangerang Selatan di Provinsi Banten "
                "(Lembaran Negara Republik Indonesia Tahun 2008 Nomor 188, Tambahan Lembaran Negara Republik "
                "Indonesia Nomor 4935);",
    ),
}
# Derived, not read from the environment: the region's full name for code that wants only that string
# (``workflows.region.current_region()`` is the one source; this follows it at start-up).
PAMONG_CITY_NAME = "{} {}".format(
    "Kabupaten" if PAMONG_REGION["kind"].strip().lower() == "kabupaten" else "Kota", PAMONG_REGION["name"])
PAMONG_ORG_FILE = env("PAMONG_ORG_FILE", default=str(BASE_DIR / "workflows" / "data" / "tangsel.json"))
PAMONG_SITE_URL = env("PAMONG_SITE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every rendering step at INFO; keep its warnings (refused fetches) only.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Demo data loaders run in order by ``manage.py seed_demo``; each app appends its own.
PAMONG_SEEDERS = [
    "workflows.seed.seed_demo",
    "workflows.signing.seed.seed_signing",  # demo CA and one certificate per official (after the officials)
]

# viewflow flows shown in the site-wide inbox/queue/archive; each app appends its own dotted paths.
PAMONG_FLOWS: list[str] = []

# Working-day calendar (workflows.calendar): office hours for SLAs counted in working hours, the cuti bersama
# file loaded by seed_demo / load_cuti_bersama, and how long a process keeps a year's days off cached.
PAMONG_OFFICE_HOURS = {
    "start": env("PAMONG_OFFICE_START", default="08:00"),
    "end": env("PAMONG_OFFICE_END", default="16:00"),
    "weekdays": [0, 1, 2, 3, 4],
    "timezone": TIME_ZONE,
}
PAMONG_CUTI_BERSAMA_FILE = env(
    "PAMONG_CUTI_BERSAMA_FILE", default=str(BASE_DIR / "workflows" / "data" / "cuti_bersama.json")
)
PAMONG_CALENDAR_CACHE_SECONDS = env.int("PAMONG_CALENDAR_CACHE_SECONDS", default=300)

# Role links on the home page and in the menu (workflows.home): {"kinds": [PositionKind values] or "*",
# "label": ..., "url_name": ..., optional "icon" (Material icon name), "args"/"kwargs"}. Each app appends its
# own; an entry whose URL name does not resolve is skipped, so an app can register links before its pages exist.
# The menu already has Kotak Masuk, Antrean and Arsip (finished tasks) for everyone; role links come below.
PAMONG_HOME_LINKS: list[dict] = []

# --- budget_requests (IT-repair spending) --------------------------------------------------------------------
PAMONG_FLOWS.append("budget_requests.flows.RepairFlow")
# Split-purchase red flags (Perpres 16/2018 Ps. 20(2)(d)): look-back window and the pengadaan langsung ceiling.
BUDGET_REDFLAG_WINDOW_DAYS = env.int("BUDGET_REDFLAG_WINDOW_DAYS", default=30)
BUDGET_PROCUREMENT_THRESHOLD = env.int("BUDGET_PROCUREMENT_THRESHOLD", default=200_000_000)
# Input sanity bound for one repair request (not a delegation limit: those are DelegationRule rows).
BUDGET_REQUEST_MAX_AMOUNT = env.int("BUDGET_REQUEST_MAX_AMOUNT", default=1_000_000_000)
BUDGET_PHOTO_MAX_BYTES = env.int("BUDGET_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
BUDGET_QUOTE_MAX_BYTES = env.int("BUDGET_QUOTE_MAX_BYTES", default=10 * 1024 * 1024)
# Pillow's decompression-bomb limit (workflows.images): an uploaded image with more pixels is refused.
PAMONG_IMAGE_MAX_PIXELS = env.int("PAMONG_IMAGE_MAX_PIXELS", default=50_000_000)
# Web pages, API, PDFs, notifications, demo.
PAMONG_SEEDERS.append("budget_requests.seed.seed_demo")
# Generate the decision letter / SPP / province forwarding letter when those events happen.
BUDGET_DOCUMENTS_ON_EVENTS = env.bool("BUDGET_DOCUMENTS_ON_EVENTS", default=True)
PAMONG_HOME_LINKS += [
    {"kinds": ["lurah", "camat", "sekcam", "operator_kelurahan", "operator_kecamatan", "kepala_diskominfo",
               "teknisi_diskominfo", "kepala_bpkad", "analis_bpkad", "bendahara", "pptk", "inspektur", "auditor"],
     "label": _("Permohonan perbaikan TI"), "url_name": "budget_requests:request_list", "icon": "build"},
    {"kinds": ["lurah", "camat", "sekcam", "operator_kelurahan", "operator_kecamatan"],
     "label": _("Ajukan perbaikan TI"), "url_name": "budget_requests:request_new", "icon": "add_circle"},
    {"kinds": ["lurah", "camat", "sekcam", "kepala_bpkad", "analis_bpkad", "bendahara", "pptk", "inspektur",
               "auditor"],
     "label": _("Pagu anggaran perbaikan TI"), "url_name": "budget_requests:envelope_list", "icon": "account_balance"},
    {"kinds": ["kepala_diskominfo", "teknisi_diskominfo", "kepala_bpkad", "analis_bpkad", "lurah", "camat",
               "operator_kelurahan", "operator_kecamatan"],
     "label": _("Aset TI"), "url_name": "budget_requests:asset_list", "icon": "devices"},
    {"kinds": ["inspektur", "auditor"], "label": _("Tanda merah: dugaan pemecahan paket"),
     "url_name": "budget_requests:redflag_list", "icon": "flag"},
]

# --- perda: formation process ----------------------------------------------------------------------
PAMONG_FLOWS.append("perda.flows.FormationFlow")
PAMONG_SEEDERS.append("perda.seed.seed_demo")
# Formation deadlines (handover, noreg, penetapan, …): reminders this many days before, escalation after.
PERDA_DEADLINE_REMINDER_DAYS = env.int("PERDA_DEADLINE_REMINDER_DAYS", default=2)
# How long the JDIHN feed (/publik/jdih/jdihn.json) may be cached by the server and by the harvester.
PERDA_JDIHN_CACHE_SECONDS = env.int("PERDA_JDIHN_CACHE_SECONDS", default=300)
# Reverse proxies in front of the app that append to X-Forwarded-For (0 = use REMOTE_ADDR); the public comment
# throttle counts per visitor address, so behind nginx set this to 1.
PAMONG_TRUSTED_PROXY_COUNT = env.int("PAMONG_TRUSTED_PROXY_COUNT", default=0)
CELERY_BEAT_SCHEDULE["perda-formation-deadlines"] = {
    "task": "perda.tasks.formation_check_deadlines",
    "schedule": crontab(minute=15, hour="7,13"),
}
PAMONG_HOME_LINKS += [
    {"kinds": ["kabag_hukum", "perancang", "pemrakarsa"],
     "label": _("Rancangan peraturan (penyusunan)"), "url_name": "perda:regulation_list", "icon": "edit_document"},
    {"kinds": ["kabag_hukum", "perancang", "pemrakarsa", "wali_kota", "sekda", "sekretaris_dprd"],
     "label": _("Pembentukan Perda/Perwali"), "url_name": "perda:formation_list", "icon": "gavel"},
    {"kinds": "*", "label": _("Konsultasi publik"), "url_name": "perda:public_consultations", "icon": "forum"},
    {"kinds": "*", "label": _("JDIH: peraturan yang berlaku"), "url_name": "perda:jdih_list", "icon": "menu_book"},
]

# --- budget_requests.complaints: complaints from SIARAN and SP4N-LAPOR! that become repairs -------------------
PAMONG_FLOWS.append("budget_requests.complaints.flows.ComplaintFlow")
PAMONG_SEEDERS.append("budget_requests.complaints.seed.seed_demo")
# Status updates sent back to the complaint systems (the outbox): HTTP timeout per attempt, the first pause after
# a failure (doubled after each further failure, up to the cap), and the attempts before a row is shown as
# failed (it stays in the outbox and the sweeper keeps trying at the capped pause).
COMPLAINT_OUTBOX_TIMEOUT_SECONDS = env.int("COMPLAINT_OUTBOX_TIMEOUT_SECONDS", default=10)
COMPLAINT_OUTBOX_BACKOFF_SECONDS = env.int("COMPLAINT_OUTBOX_BACKOFF_SECONDS", default=30)
COMPLAINT_OUTBOX_BACKOFF_MAX_SECONDS = env.int("COMPLAINT_OUTBOX_BACKOFF_MAX_SECONDS", default=3600)
COMPLAINT_OUTBOX_MAX_ATTEMPTS = env.int("COMPLAINT_OUTBOX_MAX_ATTEMPTS", default=8)
# Pending changes to the finance summaries are added by every reader anyway; folding them on the worker keeps
# that work off the pages.
CELERY_BEAT_SCHEDULE["finance-figures-fold"] = {
    "task": "budget_requests.tasks.fold_finance_figures",
    "schedule": env.float("PAMONG_FIGURES_FOLD_SECONDS", default=10.0),
}
CELERY_BEAT_SCHEDULE["complaint-outbox-sweep"] = {
    "task": "budget_requests.complaints.tasks.sweep_complaint_outbox",
    "schedule": env.float("COMPLAINT_OUTBOX_SWEEP_SECONDS", default=120.0),
}
PAMONG_HOME_LINKS += [
    {"kinds": ["operator_kelurahan", "operator_kecamatan", "lurah", "camat", "sekcam", "teknisi_diskominfo",
               "kepala_diskominfo", "inspektur", "auditor"],
     "label": _("Pengaduan warga (SIARAN, SP4N-LAPOR!)"), "url_name": "complaints:complaint_list",
     "icon": "campaign"},
    {"kinds": ["operator_kelurahan", "operator_kecamatan", "teknisi_diskominfo", "kepala_diskominfo"],
     "label": _("Kotak keluar pembaruan status pengaduan"), "url_name": "complaints:outbox", "icon": "outbox"},
]

# Login throttle (workflows.views.PamongLoginView): wrong passwords per username and address before a lockout.
PAMONG_LOGIN_MAX_FAILURES = env.int("PAMONG_LOGIN_MAX_FAILURES", default=5)
PAMONG_LOGIN_LOCKOUT_SECONDS = env.int("PAMONG_LOGIN_LOCKOUT_SECONDS", default=900)

# --- budget_requests.finance: dashboards, exports, what-if, transparency ------------------------------
PAMONG_HOME_LINKS += [
    {"kinds": ["kepala_bpkad", "analis_bpkad", "inspektur", "auditor", "wali_kota", "sekda", "camat", "sekcam",
               "lurah", "bendahara", "pptk"],
     "label": _("Dasbor keuangan perbaikan TI"), "url_name": "finance:dashboard", "icon": "insights"},
    {"kinds": ["kepala_bpkad", "analis_bpkad"], "label": _("Simulasi pelimpahan wewenang"),
     "url_name": "finance:scenarios", "icon": "science"},
    {"kinds": "*", "label": _("Transparansi perbaikan TI (publik)"), "url_name": "finance:transparency",
     "icon": "public"},
]
# The what-if page replays at most this many requests per run (narrow the period above it).
BUDGET_WHATIF_MAX_REQUESTS = env.int("BUDGET_WHATIF_MAX_REQUESTS", default=20_000)

# Electronic signatures (TTE, workflows.signing): ``pkcs12`` signs with pyHanko and the per-official archives
# seed_demo issues from a demo CA kept in PAMONG_SIGNING_DIR; ``bsre`` calls the region's BSrE Esign Client
# Service. Signatures are validated against the trust roots listed here (the demo CA by default).
PAMONG_SIGNING_BACKEND = env("PAMONG_SIGNING_BACKEND", default="pkcs12")
PAMONG_SIGNING_DIR = Path(env("PAMONG_SIGNING_DIR", default=str(VAR_DIR / "signing")))
PAMONG_SIGNING_TRUST_ROOTS = env.list("PAMONG_SIGNING_TRUST_ROOTS",
                                      default=[str(PAMONG_SIGNING_DIR / "demo-ca.pem")])
PAMONG_SIGNING_ALLOW_FETCHING = env.bool("PAMONG_SIGNING_ALLOW_FETCHING", default=False)
PAMONG_SIGNING_LOCATION = env("PAMONG_SIGNING_LOCATION", default="Tangerang Selatan")
PAMONG_SIGNING_MAX_UPLOAD_BYTES = env.int("PAMONG_SIGNING_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
PAMONG_BSRE_BASE_URL = env("PAMONG_BSRE_BASE_URL", default="http://127.0.0.1:8765")
PAMONG_BSRE_USERNAME = env("PAMONG_BSRE_USERNAME", default="")
PAMONG_BSRE_PASSWORD = env("PAMONG_BSRE_PASSWORD", default="")
PAMONG_BSRE_TIMEOUT_SECONDS = env.float("PAMONG_BSRE_TIMEOUT_SECONDS", default=30.0)
