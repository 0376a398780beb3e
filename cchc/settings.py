"""Django settings for cchc.

Everything a deployment changes comes from the environment; the defaults run the demo on one PC
with a SQLite file under ``var/``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("CCHC_VAR_DIR", PROJECT_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("CCHC_DEBUG", False)

# The demo key is only used when nothing is configured; a production start (CCHC_DEBUG and CCHC_DEMO off)
# refuses it, an empty or a short key (cchc.core.checks: at web start and in `cchc check --deploy`).
SECRET_KEY = os.environ.get("CCHC_SECRET_KEY") or "cchc-demo-only-insecure-key-change-me-0123456789abcdef"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("CCHC_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CCHC_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "cchc.accounts.apps.AxesVietnameseConfig",  # django-axes, labelled in Vietnamese
    "django_tasks",
    "django_tasks_db",
    "cchc.core",
    "cchc.jobs",
    "cchc.runtime",
    "cchc.org",
    "cchc.accounts",
    "cchc.workdays",
    "cchc.dossiers",
    "cchc.indicators",
    "cchc.checker",
    "cchc.documents",
    "cchc.surveys",
    "cchc.feedback",
    "cchc.index766",
    "cchc.plans",
    "cchc.directives",
    "cchc.inspections",
    "cchc.news",
    "cchc.api",
    "cchc.reports",
    "cchc.parindex",
    "cchc.public",
    "cchc.audit",
]

MIDDLEWARE = [
    # First, so that its one JSON line per request times everything below.
    "cchc.runtime.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cchc.core.security.SecurityHeadersMiddleware",  # CSP (no inline script), Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cchc.core.readonce.ReadOnceMiddleware",  # a GET reads the org tree and the catalogue once
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cchc.core.errors.ErrorPageMiddleware",  # a service's CchcError → its 400/403/404/409 page, once
    "cchc.accounts.middleware.CurrentUnitMiddleware",
    # Last, so that a locked-out login is answered before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.core.context_processors.shell",
                "cchc.accounts.context_processors.switchable_units",
            ],
            "builtins": ["cchc.core.templatetags.vn"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}",
        conn_max_age=int(os.environ.get("CCHC_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the one-PC commune install read while an import writes; the busy timeout keeps a second
    # writer waiting instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # A cap per account (CCHC_LOGIN_ACCOUNT_LIMIT failures per window, from any address) before axes' cap per
    # account and address.
    "cchc.core.security.AccountThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: 5 failures for one user name from one address locks that pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("CCHC_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CCHC_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["cchc.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CCHC_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("CCHC_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("CCHC_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind nginx (docs/deployment.md): nginx terminates HTTPS and says so in X-Forwarded-Proto (and strips any
# client copy of it); CCHC_SSL_REDIRECT=1 sends plain-HTTP requests to HTTPS.
CCHC_BEHIND_PROXY = _env_bool("CCHC_BEHIND_PROXY", False)
CCHC_TRUSTED_PROXIES = tuple(
    p.strip() for p in os.environ.get("CCHC_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if p.strip()
)
if CCHC_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The login lock-out counts per client address too: nginx's X-Real-IP first (cchc.core.ratelimit).
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP", "REMOTE_ADDR"]
SECURE_SSL_REDIRECT = _env_bool("CCHC_SSL_REDIRECT", False)
# HSTS: Django sends it only on HTTPS responses, so a year by default costs a plain-HTTP commune PC nothing.
SECURE_HSTS_SECONDS = int(os.environ.get("CCHC_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("CCHC_HSTS_SUBDOMAINS", False)
CCHC_LOGIN_ACCOUNT_LIMIT = os.environ.get("CCHC_LOGIN_ACCOUNT_LIMIT", "20/900")
CCHC_KIOSK_DEVICE_RATE_LIMIT = os.environ.get("CCHC_KIOSK_DEVICE_RATE_LIMIT", "60/60")
CCHC_KIOSK_UNIT_RATE_LIMIT = os.environ.get("CCHC_KIOSK_UNIT_RATE_LIMIT", "30/3600")
CCHC_UPLOAD_RETENTION_DAYS = int(os.environ.get("CCHC_UPLOAD_RETENTION_DAYS", "90"))
# The load balancer's health check may come over plain HTTP from the proxy itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"


# The cache holds what every app server must share (the public pages' rate limits): CCHC_CACHE_URL names it.
# redis://host:6379/0 for a province's several app servers; unset = a table of the database (db://), shared by
# every process of the commune PC's `cchc serve` and created by `cchc migrate`; locmem:// = this process only.
def _cache_from_url(url: str) -> dict:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith("file://"):
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": url[len("file://") :]}
    if url in ("", "db://", "database://"):
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cchc_cache"}
    raise ValueError(f"CCHC_CACHE_URL không hợp lệ: {url!r} (redis://…, db://, locmem://, file:///…)")


CACHES = {"default": _cache_from_url(os.environ.get("CCHC_CACHE_URL", "").strip())}

# Background jobs (cchc.jobs): django-tasks with its database backend — the queue is a table of the same
# database, so a commune needs no broker and a province's workers share its PostgreSQL. `cchc worker` runs
# a worker; `cchc serve` starts one beside the web server unless told not to.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job whose worker is on another machine and has given no sign of life for this long is taken
# as dead (on the same machine the worker's process is checked directly).
CCHC_JOB_STALE_SECONDS = int(os.environ.get("CCHC_JOB_STALE_SECONDS", "300"))

# Public pages (no login). The address printed on receipts (QR code of the dossier lookup): set it to the
# address citizens reach, e.g. https://dichvucong.xa.gov.vn; empty = taken from the request that prints the
# receipt (else http://127.0.0.1:8000).
CCHC_PUBLIC_URL = os.environ.get("CCHC_PUBLIC_URL", "").strip().rstrip("/")
# Rate limits per client address, "count/seconds" (cchc.core.ratelimit): ratings and the kiosk's checks;
# FAILED dossier lookups (30 per 15 minutes, then every lookup waits for the window to end).
CCHC_SURVEY_RATE_LIMIT = os.environ.get("CCHC_SURVEY_RATE_LIMIT", "60/60")
CCHC_LOOKUP_RATE_LIMIT = os.environ.get("CCHC_LOOKUP_RATE_LIMIT", "30/900")
# The service centre's board fetches its content this often (seconds; ?lam-moi=N on its address overrides).
CCHC_BOARD_REFRESH_SECONDS = int(os.environ.get("CCHC_BOARD_REFRESH_SECONDS", "30"))
# Upload guard (cchc.core.uploads): size caps per kind of file in MB, the inflated size of ZIP-based files
# (XLSX, DOCX) per kind, ZIP entries and compression ratio, and the used range of a spreadsheet.
CCHC_UPLOAD_MAX_MB_TABLE = int(os.environ.get("CCHC_UPLOAD_MAX_MB_TABLE", "200"))
CCHC_UPLOAD_MAX_MB_DOCUMENT = int(os.environ.get("CCHC_UPLOAD_MAX_MB_DOCUMENT", "20"))
CCHC_UPLOAD_MAX_MB_ATTACHMENT = int(os.environ.get("CCHC_UPLOAD_MAX_MB_ATTACHMENT", "20"))
CCHC_UPLOAD_MAX_INFLATED_MB_TABLE = int(os.environ.get("CCHC_UPLOAD_MAX_INFLATED_MB_TABLE", "1024"))
CCHC_UPLOAD_MAX_INFLATED_MB_DOCUMENT = int(os.environ.get("CCHC_UPLOAD_MAX_INFLATED_MB_DOCUMENT", "64"))
CCHC_UPLOAD_MAX_INFLATED_MB_ATTACHMENT = int(os.environ.get("CCHC_UPLOAD_MAX_INFLATED_MB_ATTACHMENT", "256"))
CCHC_UPLOAD_MAX_ZIP_ENTRIES = int(os.environ.get("CCHC_UPLOAD_MAX_ZIP_ENTRIES", "2000"))
CCHC_UPLOAD_MAX_ZIP_RATIO = int(os.environ.get("CCHC_UPLOAD_MAX_ZIP_RATIO", "100"))
CCHC_UPLOAD_MAX_ROWS = int(os.environ.get("CCHC_UPLOAD_MAX_ROWS", "1100000"))
CCHC_UPLOAD_MAX_COLUMNS = int(os.environ.get("CCHC_UPLOAD_MAX_COLUMNS", "256"))
CCHC_UPLOAD_MAX_CELLS = int(os.environ.get("CCHC_UPLOAD_MAX_CELLS", "30000000"))
# How a report prints a figure nobody knows (no records kept, nothing entered): never 0.
CCHC_MISSING_MARK = os.environ.get("CCHC_MISSING_MARK", "…")

# One JSON line per request (cchc.request) and per job event (cchc.jobs) on standard error — journald keeps
# it under systemd; CCHC_REQUEST_LOG=0 silences the request lines (e.g. a load test's own runs).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cchc.runtime.jsonlog.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CCHC_LOG_LEVEL", "WARNING")},
    "loggers": {
        "cchc.request": {
            "handlers": ["json"],
            "level": "INFO" if _env_bool("CCHC_REQUEST_LOG", True) else "WARNING",
            "propagate": False,
        },
        "cchc.jobs": {"handlers": ["json"], "level": "INFO", "propagate": False},
    },
}

# Whether `cchc demo` may create users with the printed demo passwords. Never on in production.
CCHC_DEMO_MODE = _env_bool("CCHC_DEMO", False)
