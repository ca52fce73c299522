"""Jiceng settings: one module, every knob from the environment.

Defaults are the embedded ones (DESIGN §5): a private PostgreSQL when DATABASE_URL is
unset, tasks run in-process when REDIS_URL is unset, Chinese UI, DEBUG off unless asked.
"""

import json
import warnings
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_code_widths, env_int, env_list, env_networks, env_str
from config.paths import backup_dir, media_root
from jiceng import __version__

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# Never a key committed here: without SECRET_KEY, one generated on the first start and kept
# in SECRET_KEY_FILE (config/secret_key.py). The deploy check jiceng.W001 flags that setup
# on a production-like install (DATABASE_URL set), whose hosts must all share one key.
SECRET_KEY = env_str("SECRET_KEY")
SECRET_KEY_GENERATED = not SECRET_KEY
if SECRET_KEY_GENERATED:
    from config.secret_key import read_or_create

    SECRET_KEY = read_or_create(env_str("SECRET_KEY_FILE") or BASE_DIR / ".secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Logs as one JSON object a line (django-structlog: a line per request with its id, user, view,
# status, duration and queries), masked as the plain lines are (core/logs.py).
LOG_JSON = env_bool("LOG_JSON", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "mptt",
    "pgtrigger",
    "pghistory",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "config.apps.AxesConfig",  # django-axes, named in Chinese in the admin
    "csp",
    "django_tables2",
    "core",
    "orgs",
    "party",
    "grids",
    "assessment",
    "property",
    "services",
    "funds",
    "workforce",
]

MIDDLEWARE = [
    "core.metrics.MetricsBeforeMiddleware",  # django-prometheus, when METRICS_ENABLED (core/metrics.py)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files answered here, with their own caching
    "core.middleware.NeverStoreMiddleware",  # Cache-Control: no-store on everything else
    "csp.middleware.CSPMiddleware",
    # time and queries of each request, the session's included: slow ones logged with their SQL,
    # metrics by view (core/monitoring.py)
    "core.monitoring.RequestMonitorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseByDefaultLocaleMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.replica.ReplicaReadsMiddleware",  # a list's or dashboard's reads from DATABASE_REPLICA_URL, if set
    *(["django_structlog.middlewares.RequestMiddleware"] if LOG_JSON else []),  # one JSON line a request
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.metrics.MetricsAfterMiddleware",
]

# The history's context (who, which URL) is attached to the requests that write: a GET changes
# nothing, and attaching it cost a set_config on every one of a page's queries.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "core.context_processors.notices",
                "core.context_processors.release",
            ],
        },
    },
]

# --- Database: PostgreSQL only (DESIGN §5) -------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
EMBEDDED_DATABASE = not DATABASE_URL
if EMBEDDED_DATABASE:
    warnings.filterwarnings("ignore", module="platformdirs")
    from config.embedded import database_url

    DATABASE_URL = database_url()
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Jiceng runs on PostgreSQL only: DATABASE_URL must be postgres://…")
# PostgreSQL's JIT compiles a query the planner believes large (the subtree joins of coverage
# and history) in 100–300 ms, more than such a query takes to run: the portal's connections run
# without it (measured in bench/import_roster.py, step d). DB_JIT=server leaves the server's
# setting, for a pooler that refuses startup options (then ALTER DATABASE … SET jit = off).
DB_JIT = env_str("DB_JIT", "off")
if DB_JIT in ("on", "off"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c jit={DB_JIT}"
elif DB_JIT != "server":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DB_JIT must be on, off or server.")
# A streaming replica of the primary (core/replica.py): the kit's lists and the dashboards read
# from it; every write, and a browser's reads for DATABASE_REPLICA_PIN_SECONDS after it wrote, go
# to the primary. Never migrated: it follows the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    if not DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be postgres://… (a streaming replica of the primary).")
DATABASE_REPLICA_READS = bool(DATABASE_REPLICA_URL)
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 15)
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "core.passwords.MinimumLengthValidator"},
    {"NAME": "core.passwords.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions live in PostgreSQL: logins keep working when Redis is down (DESIGN §4).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

# Login throttling (django-axes), stored in the database.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy, the client is the address our proxies put in X-Forwarded-For
# (orgs/client_ip.py); without TRUSTED_PROXIES it is REMOTE_ADDR, and that header is never read.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# --- Language: Simplified Chinese only --------------------------------------------------
# The portal is offered in Chinese only (no switcher; an English browser or an old language
# cookie still gets Chinese). Its strings stay in gettext, ready for a translation: add the
# language here once its catalogue in locale/ covers every page. locale/zh_Hans gives Chinese
# names to what third-party packages show in English (the admin's django-axes).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files: everything vendored under static/, nothing from a CDN ----------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_ROOT = media_root()
# `manage.py backup` writes here (core/backups.py); keep it on another disk, or copy it off the machine.
BACKUP_DIR = backup_dir()
# The PostgreSQL client programs backup and restore run (pg_dump, pg_restore, psql): unset, the
# embedded wheel's for the embedded server, else the system's or the wheel's of a fitting version.
PG_BIN_DIR = env_str("PG_BIN_DIR")
# Uploaded files (an assessment's evidence) are never served from this URL: no route and no web
# server maps it; each is downloaded through a view that asks the scope first (core.files.serve).
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", (STATIC_ROOT / "staticfiles.json").exists())
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True  # serves static/ directly too, before or without collectstatic
warnings.filterwarnings("ignore", message="No directory at")
WHITENOISE_AUTOREFRESH = DEBUG

# --- Uploads (imports are bounded; DESIGN §4) ---------------------------------------------
# A Changchun-sized roster sheet weighs 12–21 MB: the file limit admits it with room to spare;
# what protects the server is the decompressed size and the row count, checked while reading.
# How notices reach their recipients besides the inbox (core/notices.py: NoticeSender), dotted paths,
# comma-separated: the portal's own inbox by default; an office adds its 政务微信 or SMS gateway.
NOTICE_SENDERS = env_list("NOTICE_SENDERS", ["core.notices.InboxSender"])

IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 64 * 1024 * 1024)
# How many digits an area's code has at each level (市/区/街道/社区/网格/楼栋/单元): the national
# division code (6 + 3 + 3) extended below it. A level must agree with its code's width in every
# tree write; AREA_CODE_WIDTHS=off accepts any width (the tree's prefix rules still hold).
AREA_CODE_WIDTHS = env_code_widths(
    "AREA_CODE_WIDTHS", ("city", "district", "street", "community", "grid", "building", "unit"), "4,6,9,12,15,18,20"
)
# An export of more rows than this runs as a background job with a progress bar and a download link.
EXPORT_JOB_ROWS = env_int("EXPORT_JOB_ROWS", 10_000)
# The xlsx writer of every export (core/spreadsheets.py, measured in bench/export.py): "rust"
# (rustpy-xlsxwriter, ~10× faster) or "xlsxwriter" (pure Python, the fallback).
XLSX_WRITER = env_str("XLSX_WRITER", "rust")
# A list (page or API) counts its rows up to this bound, and past it says "超过 N 条" (core.paging).
LIST_COUNT_BOUND = env_int("LIST_COUNT_BOUND", 5_000)
# A scoped choice field of more choices than this is searched as one types (core.forms.ChoicePicker).
CHOICE_LIST_BOUND = env_int("CHOICE_LIST_BOUND", 200)
# A bulk write of this many rows analyses the tables it wrote before it commits, so that the
# first page after a city's first import is planned on real statistics (issue #8).
ANALYZE_AFTER_ROWS = env_int("ANALYZE_AFTER_ROWS", 1000)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 300_000)
# A demand open longer than this many days is flagged unclaimed on the street's page and home (funds).
FUNDS_UNCLAIMED_DAYS = env_int("FUNDS_UNCLAIMED_DAYS", 14)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# JSON bodies of the API: DRF reads them itself, past DATA_UPLOAD_MAX_MEMORY_SIZE (orgs/parsers.py).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 5 * 1024 * 1024)
# Community funds (funds/models_funding.py): an amount above this many yuan asks for confirmation (万元
# typed as 元); each fund type's yearly minimum per community, as JSON by city code over the seeds'
# defaults (运转 50,000, 服务群众 100,000, 党建 none): {"default": {...}, "2201": {"operating": 200000}}.
FUNDS_CONFIRM_ABOVE = env_int("FUNDS_CONFIRM_ABOVE", 200_000)
FUNDS_MINIMUMS = json.loads(env_str("FUNDS_MINIMUMS", "{}"))
# 党群服务阵地: the smallest compliant floor area (m²) of each venue level, by city code over
# "default" (workforce/models_venues.py): unset, a street centre 500 (000), a community station 200
# (001), a grid post 30.
WORKFORCE_VENUE_STANDARDS = json.loads(env_str("WORKFORCE_VENUE_STANDARDS", "{}"))
# 社区工作者 (workforce/models_workers.py), each by city code over "default": the career ladder
# (unset: 三岗十八级 as in Jilin, 003; 四岗十八级 for Wuhan, 4201, 002), the workers owed per 1,000
# households (unset: 18, 003), and the training hours a worker owes a year (unset: 48).
WORKFORCE_LADDERS = json.loads(env_str("WORKFORCE_LADDERS", "{}"))
WORKFORCE_STAFFING = json.loads(env_str("WORKFORCE_STAFFING", "{}"))
WORKFORCE_TRAINING_HOURS = env_int("WORKFORCE_TRAINING_HOURS", 48)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Background work: Celery, Redis broker, eager when REDIS_URL is unset --------------
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True  # results live in PostgreSQL models
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Publishing must not hang the portal when Redis is down or hung: fail within ~1 s.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
    "max_retries": 0,
    "visibility_timeout": 6 * 3600,
}
CELERY_TASK_PUBLISH_RETRY = False
# Beat's schedule is not written here: each app registers its own from its apps.py
# (core.registry.add_schedule), and config/celery.py hands the registry's to Celery.

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.BoundedJSONParser",  # size and nesting depth bounded, 400 in Chinese
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.paging.BoundedPageNumberPagination",
    "PAGE_SIZE": 50,
    # The browsable API's <select> of a related field lists no more than a form's (core.forms).
    "HTML_SELECT_CUTOFF": CHOICE_LIST_BOUND,
    "HTML_SELECT_CUTOFF_TEXT": _("超过 {count} 项，请直接填写编号"),
    "DEFAULT_SCHEMA_CLASS": "core.api.ChineseAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("基层治理平台接口"),
    "DESCRIPTION": _("基层治理平台接口：区划、角色授权及各业务数据，按用户的管辖范围过滤。"),
    "VERSION": __version__,  # the release (jiceng/__init__.py, CHANGELOG.md)
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api.chinese_security_schemes"],
    # Three fields named "post" with their own choices: the roster's heads, a committee's members and
    # a community worker's posts each get an enum of their own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "RosterPostEnum": "grids.choices.Post",
        "CommitteePostEnum": "workforce.models_committees.Post",
        "WorkerPostEnum": "workforce.models_workers.WorkerPost",
    },
}


# --- Security: production hardening when DEBUG is off ----------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# A load balancer's or Prometheus' probe over plain HTTP to gunicorn gets its answer, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only the portal's own files, no inline script or style.
# Templates set no style="" and no on…= handlers; scripts read data-… attributes instead
# (static/js/portal.js); htmx is told not to inject its <style> nor to eval (base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Health and monitoring (README "Health and monitoring") ----------------------------------
# /health/ready (core/health.py): the database must answer within this bound (connect and query);
# a worker must have answered a ping within the grace, beat's heartbeat (sent every 30 s) be no
# older than its grace; a job queued longer than HEALTH_QUEUED_JOB_MINUTES fails the check.
HEALTH_DB_TIMEOUT_MS = env_int("HEALTH_DB_TIMEOUT_MS", 1000)
HEALTH_WORKER_GRACE_SECONDS = env_int("HEALTH_WORKER_GRACE_SECONDS", 180)
HEALTH_BEAT_GRACE_SECONDS = env_int("HEALTH_BEAT_GRACE_SECONDS", 180)
HEALTH_QUEUED_JOB_MINUTES = env_int("HEALTH_QUEUED_JOB_MINUTES", 15)
# Prometheus metrics at /metrics (core/metrics.py): off unless asked; then readable with the
# bearer token or from the listed addresses (the client as core.client_ip sees it), nobody else.
METRICS_ENABLED = env_bool("METRICS_ENABLED", False)
METRICS_TOKEN = env_str("METRICS_TOKEN")
METRICS_ALLOW = env_networks("METRICS_ALLOW")
# A Celery worker serves its own task metrics on this port (0: none), on this address.
WORKER_METRICS_PORT = env_int("WORKER_METRICS_PORT", 0)
WORKER_METRICS_ADDR = env_str("WORKER_METRICS_ADDR", "127.0.0.1")
# A request slower than this is logged at WARNING with its slowest queries (core/monitoring.py).
SLOW_REQUEST_MS = env_int("SLOW_REQUEST_MS", 1000)
SLOW_REQUEST_QUERIES = env_int("SLOW_REQUEST_QUERIES", 5)
# django-structlog: the request's start is not a line of its own (one line a request); the client's
# address is the portal's own reading of it (core.client_ip), bound by core/monitoring.py.
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = 10  # DEBUG: below every handler
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # every line masked of ID and phone numbers, tracebacks too (core.logs); JSON lines with LOG_JSON
    "formatters": {
        "redacted": {"()": "core.logs.RedactingFormatter"},
        "json": {"()": "core.logs.RedactingJSONFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_JSON else "redacted"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "jiceng.personal_data": {"level": "INFO"},
        # the development server's request lines carry query strings (?id_number=…): masked too
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # a failing readiness check is one line of core.views.health, not a traceback a check
        "health_check": {"level": "ERROR"},
        # with LOG_JSON, django-structlog's request line says what django.request's 4xx warnings said
        **({"django_structlog": {"level": "INFO"}, "django.request": {"level": "ERROR"}} if LOG_JSON else {}),
    },
}
