"""kb settings: every deploy-time value is a KB_* variable (CONTRACT §2, docs/deploy.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kb.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("KB_DEBUG", False)
# Under pytest the test settings apply (fast hasher, no lockouts, a dev key) without extra flags.
TESTING = env_bool("KB_TESTING", "pytest" in sys.modules)

_DEV_SECRET = "kb-development-key-not-for-production"  # noqa: S105 - refused below when DEBUG is off
SECRET_KEY = env_str("KB_SECRET_KEY", _DEV_SECRET)
if not DEBUG and not TESTING and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("KB_SECRET_KEY must be set when KB_DEBUG=0")

ALLOWED_HOSTS = env_list("KB_ALLOWED_HOSTS", "127.0.0.1,localhost")
if TESTING:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = env_list("KB_CSRF_TRUSTED_ORIGINS")

DATA_DIR = Path(env_str("KB_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "kb.lib.admin.KbAdminConfig",  # admin: django.contrib.admin with kb's site (kb/lib/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "axes",
    "accounts",
    "kb.articles",
    "kb.search",
    "kb.tickets",
    "kb.training",
    "kb.metrics",
    "kb.demo",
]

MIDDLEWARE = [
    "kb.lib.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kb.lib.middleware.RequestSizeLimitMiddleware",
    "kb.lib.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kb.urls"
WSGI_APPLICATION = "kb.wsgi.application"

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
                "kb.lib.context_processors.kb",
            ],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'kb.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; the busy timeout makes a second writer wait
    # instead of failing with "database is locked"; IMMEDIATE takes the write lock at BEGIN so
    # two transactions never deadlock upgrading a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
elif env_bool("KB_DB_SERVER_SIDE_BINDING", True):
    # PostgreSQL binds the parameters and psycopg prepares a statement run five times on a
    # connection: the server plans it once, not on every request (docs/reliability.md §7). Set
    # KB_DB_SERVER_SIDE_BINDING=0 behind a pooler in transaction mode (pgbouncer), which cannot
    # keep prepared statements.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("KB_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "uploads"
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
KB_MAX_REQUEST_BYTES = 1024 * 1024

# --- HTTPS and proxies -------------------------------------------------------------------------
HTTPS = env_bool("KB_HTTPS", not DEBUG and not TESTING)
PROXY_COUNT = env_int("KB_PROXY_COUNT", 0, minimum=0)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
FRAME_ANCESTORS = env_list("KB_FRAME_ANCESTORS", sep="")

# --- Login brute-force protection (django-axes) --------------------------------------------------
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = not TESTING or env_bool("KB_AXES_IN_TESTS", False)
# The same client address as everywhere else (KB_PROXY_COUNT decides which X-Forwarded-For entry).
AXES_CLIENT_IP_CALLABLE = "kb.lib.net.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429

# --- Domain settings -----------------------------------------------------------------------------
KB_SEARCH_BACKEND = env_str("KB_SEARCH_BACKEND", "whoosh")
if KB_SEARCH_BACKEND not in {"whoosh", "postgres"}:
    raise ImproperlyConfigured("KB_SEARCH_BACKEND must be 'whoosh' or 'postgres'")
KB_SEARCH_INDEX_DIR = DATA_DIR / "index"
# search settings (docs/search.md, docs/deploy.md)
KB_SEARCH_LOCK_WAIT = env_int("KB_SEARCH_LOCK_WAIT", 20, minimum=0)  # seconds a writer waits for the lock
# processes of rebuild_search_index (0: the core count, at most 4) and memory of each before spilling
KB_SEARCH_REBUILD_PROCS = env_int("KB_SEARCH_REBUILD_PROCS", 0, minimum=0) or min(4, os.cpu_count() or 1)
KB_SEARCH_REBUILD_MB = env_int("KB_SEARCH_REBUILD_MB", 256, minimum=16)
KB_SEARCH_RESULT_CACHE = env_int("KB_SEARCH_RESULT_CACHE", 512, minimum=0)  # pages per index generation
KB_SEARCH_POSTINGS_CACHE_MB = env_int("KB_SEARCH_POSTINGS_CACHE_MB", 48, minimum=0)
KB_SEARCH_WEB_BUILD_MAX = env_int(
    "KB_SEARCH_WEB_BUILD_MAX", 500, minimum=0
)  # /healthz builds an index this small
KB_REQUIRE_SECOND_APPROVAL = env_bool("KB_REQUIRE_SECOND_APPROVAL", False)
KB_DEFAULT_REVIEW_DAYS = env_int("KB_DEFAULT_REVIEW_DAYS", 90, minimum=1)

# input limits (docs/rendering.md, docs/api.md): what one request may make kb parse, render or diff.
KB_MARKDOWN_MAX_CHARS = 200_000
KB_MARKDOWN_TIMEOUT_SECONDS = (
    1.5  # CPU seconds the forked renderer may use; with the fork, answers stay under 2 s
)
KB_MARKDOWN_WALL_SECONDS = 10.0  # backstop for a child that cannot get a core (a saturated machine)
KB_MARKDOWN_MAX_HEADINGS = 1_000
KB_MARKDOWN_MAX_BRACKETS = 2_000
KB_MARKDOWN_MAX_NESTING = 32
KB_DIFF_MAX_CELLS = 50_000_000  # token pairs one diff alignment may compare (~0.05 s, ~6 MB)
KB_JSON_MAX_DEPTH = 20  # arrays/objects inside each other in one API body

EMAIL_URL = env_str("KB_EMAIL_URL", "console://")
if EMAIL_URL.startswith("console:"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif EMAIL_URL.startswith("locmem:"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
elif EMAIL_URL.startswith("file:"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = EMAIL_URL.split("://", 1)[1] or str(DATA_DIR / "mail")
else:
    from urllib.parse import unquote, urlparse

    _mail = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
DEFAULT_FROM_EMAIL = env_str("KB_FROM_EMAIL", "kb@localhost")

# --- REST API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "kb.lib.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["kb.lib.parsers.SafeJSONParser"],
    "EXCEPTION_HANDLER": "kb.lib.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "kb API",
    "DESCRIPTION": "Knowledge base and SOPs for trust & safety and creator support.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "kb.articles.models.Status",
        "ArticleKindEnum": "kb.articles.models.Kind",
        "TicketStatusEnum": "kb.tickets.models.TicketStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "kb.lib.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("KB_LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}
