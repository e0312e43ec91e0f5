"""fanarchive settings: one module, every value from the environment with a safe default.

No variable set means SQLite in ./var/, DEBUG off and a secret key generated once and kept in
the data folder. See the README's "Configuration" section for every variable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from fanarchive.core.security import content_security_policy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("FANARCHIVE_DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key from FANARCHIVE_SECRET_KEY, else one generated once and kept in the data folder."""
    if key := os.environ.get("FANARCHIVE_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        # O_EXCL: two processes starting at once must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("FANARCHIVE_DEBUG")
ALLOWED_HOSTS = env_list("FANARCHIVE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("FANARCHIVE_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("FANARCHIVE_SITE_NAME", "fanarchive")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "fanarchive.core",
    "fanarchive.accounts",
    "fanarchive.tags",
    "fanarchive.works",
    "fanarchive.interchange",
    "fanarchive.search",
    "fanarchive.wrangling",
    "fanarchive.downloads",
    "fanarchive.posting",
    # Readers' social features (issue #6), each its own app; dependency order.
    "fanarchive.inbox",
    "fanarchive.social",
    "fanarchive.comments",
    "fanarchive.bookmarks",
    "fanarchive.history",
    "fanarchive.subscriptions",
    "fanarchive.stats",
    "django_tasks",
    "django_tasks_db",
    "fanarchive.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (fanarchive/core/security.py)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fanarchive.core.loadshed.LoadSheddingMiddleware",  # 503 + Retry-After past capacity
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fanarchive.search.page_cache.GuestPageCacheMiddleware",  # guests' work pages (issue 8)
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fanarchive" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fanarchive.core.context_processors.site",
                "fanarchive.accounts.context_processors.preferences",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL=sqlite:///path or postgres://user:pass@host:port/name; default SQLite in DATA_DIR.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'fanarchive.sqlite3'}",
        conn_max_age=int(os.environ.get("FANARCHIVE_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at the
        # start of a transaction so two writers queue (busy_timeout) instead of failing midway.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-65536;"
            "PRAGMA temp_store=MEMORY;"
            "PRAGMA mmap_size=268435456;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend, loading the account's preferences with it (one query a page, not two).
AUTHENTICATION_BACKENDS = ["fanarchive.accounts.backends.ArchiveBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/users/login"
LOGIN_REDIRECT_URL = "/"
# Who may create an account: "open" (anyone), "invitation" (with an invitation an administrator
# made: the admin's action or `fanarchive invite EMAIL…`) or "closed" (nobody).
FANARCHIVE_SIGNUPS = os.environ.get("FANARCHIVE_SIGNUPS", "open").strip().lower()
FANARCHIVE_INVITATION_DAYS = int(os.environ.get("FANARCHIVE_INVITATION_DAYS", "14"))
# A new account stays inactive until the link mailed to it is opened, within this many days;
# the same for the link confirming a changed email address.
FANARCHIVE_CONFIRMATION_DAYS = int(os.environ.get("FANARCHIVE_CONFIRMATION_DAYS", "3"))
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # seconds a password-reset link works
# Failed logins: AO3's 5 in 20 seconds, per account and per client address, then a 429.
FANARCHIVE_LOGIN_ATTEMPTS = int(os.environ.get("FANARCHIVE_LOGIN_ATTEMPTS", "5"))
FANARCHIVE_LOGIN_WINDOW = int(os.environ.get("FANARCHIVE_LOGIN_WINDOW", "20"))
# Comments: accounts younger than this many days, and guests (per client address), may leave
# at most FANARCHIVE_COMMENT_LIMIT comments in FANARCHIVE_COMMENT_WINDOW seconds (AO3: 3 in 15
# minutes for new accounts). Read by fanarchive/comments/services.py.
FANARCHIVE_COMMENT_NEW_ACCOUNT_DAYS = int(
    os.environ.get("FANARCHIVE_COMMENT_NEW_ACCOUNT_DAYS", "7")
)
FANARCHIVE_COMMENT_LIMIT = int(os.environ.get("FANARCHIVE_COMMENT_LIMIT", "3"))
FANARCHIVE_COMMENT_WINDOW = int(os.environ.get("FANARCHIVE_COMMENT_WINDOW", "900"))

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("FANARCHIVE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "fanarchive" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("FANARCHIVE_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Without collected files (tests, a first run) whitenoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = True

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
HTTPS = env_bool("FANARCHIVE_HTTPS")
# No inline script or style; frames only from the embed hosts the sanitizer allows.
CONTENT_SECURITY_POLICY = content_security_policy(https=HTTPS)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

EMAIL_BACKEND = os.environ.get(
    "FANARCHIVE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# Mail goes out by SMTP when FANARCHIVE_EMAIL_HOST is set (and no other backend was chosen).
if os.environ.get("FANARCHIVE_EMAIL_HOST"):
    EMAIL_HOST = os.environ["FANARCHIVE_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("FANARCHIVE_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("FANARCHIVE_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("FANARCHIVE_EMAIL_PASSWORD", "")
    EMAIL_USE_SSL = env_bool("FANARCHIVE_EMAIL_SSL")
    EMAIL_USE_TLS = not EMAIL_USE_SSL and env_bool("FANARCHIVE_EMAIL_TLS", True)
    EMAIL_TIMEOUT = 20
    if not os.environ.get("FANARCHIVE_EMAIL_BACKEND"):
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("FANARCHIVE_EMAIL_FROM", "fanarchive <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FANARCHIVE_LOG_LEVEL", "WARNING")},
}

# --- Archive ----------------------------------------------------------------------------------
# Where the real AO3 data and novels used by `fanarchive demo` live (the steering repo's shared/).
FANARCHIVE_SHARED_DATA = Path(
    os.environ.get("FANARCHIVE_SHARED_DATA") or BASE_DIR.parent / "shared" / "data"
)
WORKS_PER_PAGE = 20
# The in-memory engine (fanarchive/search/engine/); the SQL reference stays selectable:
# FANARCHIVE_SEARCH_BACKEND=fanarchive.search.backends.reference.ReferenceBackend
FANARCHIVE_SEARCH_BACKEND = os.environ.get(
    "FANARCHIVE_SEARCH_BACKEND", "fanarchive.search.engine.EngineBackend"
)

# --- Downloads (issue 7) --------------------------------------------------------------------
# The archive's public address: EPUB identifiers and the links back in every download use it.
FANARCHIVE_SITE_URL = os.environ.get("FANARCHIVE_SITE_URL", "http://127.0.0.1:8000")
# PDF, AZW3 and MOBI are made by calibre's ebook-convert, in background tasks (django-tasks with
# its database backend; run `fanarchive db_worker` beside the server). Files are cached here.
DOWNLOADS_DIR = DATA_DIR / "downloads"
DOWNLOADS_CONVERT_TIMEOUT = int(os.environ.get("FANARCHIVE_CONVERT_TIMEOUT", "120"))
TASKS = {
    "default": {
        "BACKEND": os.environ.get("FANARCHIVE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Downloads per client address per minute; past it a friendly 429 with Retry-After, no ban.
DOWNLOADS_PER_MINUTE = int(os.environ.get("FANARCHIVE_DOWNLOADS_PER_MINUTE", "30"))
# How many reverse proxies in front of the archive append to X-Forwarded-For (0: none, use
# REMOTE_ADDR). Behind one nginx, set 1, or every reader shares the proxy's address.
FANARCHIVE_TRUSTED_PROXIES = int(os.environ.get("FANARCHIVE_TRUSTED_PROXIES", "0"))
# Rate-limit counters must be shared by every server process (gunicorn runs one per core; the
# default LocMemCache is per process): a file cache in the data folder needs no service.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "ratelimit"),
    },
}

# --- Load shedding (issue 8) -----------------------------------------------------------------
# Past either limit a request is answered at once with 503 and Retry-After (seconds): it waited
# longer than MAX_QUEUE_MS for a server thread, or MAX_IN_FLIGHT requests already run in its
# process. 0: no limit (runserver, tests); `fanarchive serve` sets them from its options.
FANARCHIVE_MAX_IN_FLIGHT = int(os.environ.get("FANARCHIVE_MAX_IN_FLIGHT", "0"))
FANARCHIVE_MAX_QUEUE_MS = int(os.environ.get("FANARCHIVE_MAX_QUEUE_MS", "0"))
FANARCHIVE_RETRY_AFTER = int(os.environ.get("FANARCHIVE_RETRY_AFTER", "2"))
# Guests' work pages and listing blurbs kept in each server process, dropped through the search
# change log (fanarchive/search/page_cache.py, blurb_cache.py). On in `fanarchive serve`.
FANARCHIVE_GUEST_CACHE = env_bool("FANARCHIVE_GUEST_CACHE")
