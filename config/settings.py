"""Suunta's one settings module.

Every knob comes from the environment and has a default that is safe on a
developer's laptop: SQLite and a filesystem Celery broker under ``var/``.
Production sets ``DEBUG=False``, ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``DATABASE_URL`` and ``REDIS_URL`` (see README).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    """Read a boolean; refuse anything but the words True and False."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw in ("True", "true", "1"):
        return True
    if raw in ("False", "false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("SUUNTA_VAR_DIR", BASE_DIR / "var"))

DEBUG = envbool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is False")
    SECRET_KEY = "laptop-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "accounts.apps.SuperuserAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "strategy",
    "indicators",
    "maturity",
    "reports",
    "translations",
    "accounts",
    "search",
    "rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "api",  # the REST API under /api/v1/
    "accessibility",
    "stratml",
    "public",  # the public pages for residents under /public/
    "demo",  # the seed strategies, demo people and figures: python manage.py load_demo
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so that static files keep their long caching.
    "accounts.middleware_headers.PrivateCacheMiddleware",
    "accounts.middleware_headers.AccessDeniedLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After htmx (they answer htmx requests with HX-Redirect); axes last, as it asks.
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

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
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "strategy.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'suunta.sqlite3'}",
        # Each web thread keeps its connection between requests instead of
        # opening one per request (a PostgreSQL connection costs a few ms of
        # both processes' time); a connection that died is replaced first.
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, tests) share the file: wait for locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            # WAL with synchronous=NORMAL: a commit no longer waits for the disk
            # (the WAL is synced at checkpoints); the database stays consistent.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not memory: the live server and a real Celery worker share it.
    # One file per test run, so that parallel runs do not collide.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("SUUNTA_TEST_DB_NAME") or str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
    }
elif os.environ.get("SUUNTA_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["SUUNTA_TEST_DB_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Languages: Finnish first (the seeds' language), then Swedish, then English.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "fi")
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Helsinki")
USE_I18N = True
USE_TZ = True

# Content people write is stored per language; an empty translation falls back
# to whichever language has text, Finnish first.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_LANGUAGES = ("fi", "sv", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fi", "sv", "en")}

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security: strict by default in production, relaxed only where DEBUG needs it.
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # No inline styles: charts carry presentation attributes, bars are
    # <progress> elements; the nonce is for Django's own admin and error pages.
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Email: printed to the console on a laptop; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": envint("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST  # the deprecated setting name; MAILERS carries it
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "suunta@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Celery: Redis when REDIS_URL is set, else a broker on the filesystem that
# needs no server (for `make run` on a laptop).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_DIR = Path(os.environ.get("CELERY_BROKER_DIR", VAR_DIR / "celery"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600)
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Exchange tables; kombu's default is "control" in the working directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600),
        # How often a worker looks into the folder (the tests look ten times a second).
        "polling_interval": envint("CELERY_BROKER_POLLING_MILLISECONDS", 1000) / 1000,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
# Durable jobs: acknowledge after the work, requeue when a worker dies,
# take one job at a time, and recycle workers to give memory back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = envint("CELERY_WORKER_MAX_TASKS_PER_CHILD", 20)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = envint("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 600_000)
# How long the worker waits for the result of a pool process that died before
# it gives the job up as lost (and queues it again); the tests wait one second.
CELERY_WORKER_LOST_WAIT = envint("CELERY_WORKER_LOST_WAIT", 10)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 1800)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 1700)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}

# Product knobs.
SUUNTA_STALE_ITEM_DAYS = envint("SUUNTA_STALE_ITEM_DAYS", 30)
SUUNTA_MATURITY_MIN_RESPONDENTS = envint("SUUNTA_MATURITY_MIN_RESPONDENTS", 3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if envbool("DJANGO_ALLOW_ASYNC_UNSAFE", False):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# --- plans ---
# Reminders of stale plan items: beat runs the task daily; the service sends
# each head at most one email a week (ReminderLog), so a missed day or a
# second beat does no harm.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["plan-reminders"] = {
    "task": "strategy.tasks.plan_reminders_send",
    "schedule": crontab(hour=envint("SUUNTA_REMINDER_HOUR", 7), minute=0),
}
# Write emails as files into this folder instead of sending them (tests with a
# real worker read them there; also handy on a laptop).
if os.environ.get("SUUNTA_EMAIL_FILE_PATH"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["SUUNTA_EMAIL_FILE_PATH"]},
        }
    }

# --- reports: stalled report jobs ---
# A report job whose worker died (kill -9, out of memory, a lost machine) would
# stay "queued" or "running" for ever: the filesystem broker has already
# deleted its message, and Redis hands it out again only after the visibility
# timeout. Every five minutes beat runs reports.tasks.report_jobs_reap, which
# queues such a job again once, then marks it failed (reports.services).
# The bounds follow from the task's limits (README, "Environment variables"):
#   running: CELERY_TASK_TIME_LIMIT + margin since the attempt started, since
#            no live worker runs a job past its hard time limit;
#   queued:  CELERY_TASK_TIME_LIMIT x (retries + 1) + the longest back-off
#            x retries + margin since it was ordered or queued again,
#            so that a job between its retries is never taken for lost.
SUUNTA_REPORT_MAX_RETRIES = 3
# Attempts wait 1, 2, 4 ... seconds, at most this long (the tests set 0).
SUUNTA_REPORT_RETRY_BACKOFF_MAX_SECONDS = envint("SUUNTA_REPORT_RETRY_BACKOFF_MAX_SECONDS", 60)
SUUNTA_REPORT_STALE_MARGIN_SECONDS = 300
SUUNTA_REPORT_RUNNING_STALE_SECONDS = envint(
    "SUUNTA_REPORT_RUNNING_STALE_SECONDS", CELERY_TASK_TIME_LIMIT + SUUNTA_REPORT_STALE_MARGIN_SECONDS
)
SUUNTA_REPORT_QUEUED_STALE_SECONDS = envint(
    "SUUNTA_REPORT_QUEUED_STALE_SECONDS",
    CELERY_TASK_TIME_LIMIT * (SUUNTA_REPORT_MAX_RETRIES + 1)
    + SUUNTA_REPORT_RETRY_BACKOFF_MAX_SECONDS * SUUNTA_REPORT_MAX_RETRIES
    + SUUNTA_REPORT_STALE_MARGIN_SECONDS,
)
CELERY_BEAT_SCHEDULE["report-jobs-reap"] = {
    "task": "reports.tasks.report_jobs_reap",
    "schedule": envint("SUUNTA_REPORT_REAP_EVERY_SECONDS", 300),
    # A worker that was down for hours should not work through a backlog of reapers.
    "options": {"expires": 240},
}

# --- accounts: sign-in throttling, second factor, sessions, admin ---
# Failed sign-ins are counted per (username, address) pair by django-axes in
# the database: after SUUNTA_LOGIN_FAILURE_LIMIT failures that pair is refused,
# even with the right password, for SUUNTA_LOGIN_COOLOFF_MINUTES (each refused
# try starts the wait again); the same person can still sign in from another
# address. The /admin/ login counts too. The address is REMOTE_ADDR, or
# behind SUUNTA_PROXY_HOPS reverse proxies the address the outermost one saw
# (strategy.security.client_address): gunicorn does not rewrite REMOTE_ADDR,
# so without it every client would share the proxy's address.
from datetime import timedelta  # noqa: E402

SUUNTA_PROXY_HOPS = envint("SUUNTA_PROXY_HOPS", 0)
SUUNTA_LOGIN_FAILURE_LIMIT = envint("SUUNTA_LOGIN_FAILURE_LIMIT", 3)
SUUNTA_LOGIN_COOLOFF_MINUTES = envint("SUUNTA_LOGIN_COOLOFF_MINUTES", 15)
# Django's own backend after axes'; single sign-on appends its backend below.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ThrottlingBackend",  # axes, first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = SUUNTA_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SUUNTA_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "strategy.security.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
# Sign-ins are in the security log (strategy.security); a second, unbounded
# table of every sign-in would only keep personal data longer.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Password reset requests: at most this many per address and per email
# address in the window, counted in the "throttle" cache (Redis when
# REDIS_URL is set, so that every web worker sees the same counts).
SUUNTA_PASSWORD_RESET_LIMIT = envint("SUUNTA_PASSWORD_RESET_LIMIT", 5)
SUUNTA_PASSWORD_RESET_WINDOW_MINUTES = envint("SUUNTA_PASSWORD_RESET_WINDOW_MINUTES", 60)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "suunta-throttle",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "suunta-throttle"},
    # Rendered page regions keyed by the version of what they show
    # (strategy.fragments): each process keeps its own, bounded in number,
    # so that memory stays flat and clearing it in tests reaches no server.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "suunta-fragments",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": envint("SUUNTA_FRAGMENT_CACHE_ENTRIES", 300)},
    },
    # A search's ranked matches (search.services.search_cached), so that paging
    # through them reads them back; up to a few hundred kB each at city scale.
    "search_results": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "suunta-search-results",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": envint("SUUNTA_SEARCH_CACHE_ENTRIES", 40)},
    },
    # Rows of long tables (the plan page's items), a few kB each.
    "fragment_rows": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "suunta-fragment-rows",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": envint("SUUNTA_FRAGMENT_ROW_ENTRIES", 5000)},
    },
}

# Second factor (TOTP, django-otp): anyone may turn it on in their security
# page and is then asked for a code after the password. With
# SUUNTA_OWNER_REQUIRE_TOTP a strategy owner who signs in with a password must
# set it up and use it; single sign-on leaves the second factor to the provider.
SUUNTA_OWNER_REQUIRE_TOTP = envbool("SUUNTA_OWNER_REQUIRE_TOTP", False)
OTP_TOTP_ISSUER = "Suunta"

# Sessions end after SUUNTA_SESSION_IDLE_MINUTES without a request, and in any
# case SUUNTA_SESSION_MAX_HOURS after sign-in (accounts.middleware).
SUUNTA_SESSION_IDLE_MINUTES = envint("SUUNTA_SESSION_IDLE_MINUTES", 30)
SUUNTA_SESSION_MAX_HOURS = envint("SUUNTA_SESSION_MAX_HOURS", 10)
SESSION_COOKIE_AGE = SUUNTA_SESSION_MAX_HOURS * 3600

# --- security headers ---
# Permissions-Policy (django-permissions-policy): browser features Suunta never
# uses are denied to the page and to anything it might embed. Only features
# Chromium knows: it logs an error for every other one on every page.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "hid", "idle-detection", "interest-cohort",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

# --- single sign-on (OpenID Connect) ---
# Off unless SUUNTA_OIDC_CLIENT_ID is set; then the login page offers "Sign in
# with <SUUNTA_OIDC_PROVIDER_NAME>" and accounts.oidc signs people in
# (mozilla-django-oidc). Endpoints: each explicit SUUNTA_OIDC_*_ENDPOINT wins;
# the missing ones are read from SUUNTA_OIDC_ISSUER's
# /.well-known/openid-configuration on first use and cached by the process,
# so that starting Suunta never waits for the provider. See README.
OIDC_RP_CLIENT_ID = os.environ.get("SUUNTA_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("SUUNTA_OIDC_CLIENT_SECRET", "")
SUUNTA_OIDC_ISSUER = os.environ.get("SUUNTA_OIDC_ISSUER", "").rstrip("/")
SUUNTA_OIDC_PROVIDER_NAME = os.environ.get("SUUNTA_OIDC_PROVIDER_NAME", "") or "OpenID Connect"
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("SUUNTA_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("SUUNTA_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("SUUNTA_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("SUUNTA_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SCOPES = os.environ.get("SUUNTA_OIDC_SCOPES", "") or "openid email profile"
OIDC_RP_SIGN_ALGO = os.environ.get("SUUNTA_OIDC_SIGN_ALGO", "") or "RS256"
SUUNTA_OIDC_EMAIL_CLAIM = os.environ.get("SUUNTA_OIDC_EMAIL_CLAIM", "") or "email"
SUUNTA_OIDC_GROUPS_CLAIM = os.environ.get("SUUNTA_OIDC_GROUPS_CLAIM", "") or "groups"
SUUNTA_OIDC_CREATE_USERS = envbool("SUUNTA_OIDC_CREATE_USERS", False)
# PKCE and a nonce on every sign-in; never wait long for the provider.
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = envint("SUUNTA_OIDC_TIMEOUT", 10)
OIDC_VERIFY_SSL = True
# Role names Membership accepts (strategy.models.Role's values). The settings
# cannot import models; tests/accounts/test_oidc.py keeps the two equal.
SUUNTA_OIDC_ROLE_NAMES = ("owner", "head", "staff", "viewer", "translator")


def oidc_group_roles(name: str, raw: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """Parse ``group=role@organisation-slug`` pairs separated by commas.

    One group may appear several times (it then gives several roles); anything
    malformed stops Suunta with an error naming the variable, because a typo
    here would silently give or withhold somebody's rights.
    """
    mapping: dict[str, list[tuple[str, str]]] = {}
    for entry in raw.split(","):
        entry = entry.strip()
        if not entry:
            continue
        group, equals, target = (part.strip() for part in entry.partition("="))
        role, at, slug = (part.strip() for part in target.rpartition("@")) if "@" in target else ("", "", "")
        if not equals or not group or not at or not role or not slug:
            raise ImproperlyConfigured(
                f"{name}: {entry!r} is not group=role@organisation-slug"
            )
        if role not in SUUNTA_OIDC_ROLE_NAMES:
            raise ImproperlyConfigured(
                f"{name}: unknown role {role!r} in {entry!r}; use one of {', '.join(SUUNTA_OIDC_ROLE_NAMES)}"
            )
        if not all(char.isalnum() or char in "-_" for char in slug):
            raise ImproperlyConfigured(f"{name}: {slug!r} in {entry!r} is not an organisation slug")
        if (role, slug) in mapping.get(group, []):
            raise ImproperlyConfigured(f"{name}: {entry!r} is given twice")
        mapping.setdefault(group, []).append((role, slug))
    return {group: tuple(targets) for group, targets in mapping.items()}


SUUNTA_OIDC_GROUP_ROLES = oidc_group_roles(
    "SUUNTA_OIDC_GROUP_ROLES", os.environ.get("SUUNTA_OIDC_GROUP_ROLES", "")
)
if OIDC_RP_CLIENT_ID:
    if not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("SUUNTA_OIDC_CLIENT_SECRET must be set when SUUNTA_OIDC_CLIENT_ID is")
    if OIDC_RP_SIGN_ALGO not in ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256"):
        raise ImproperlyConfigured(
            f"SUUNTA_OIDC_SIGN_ALGO must be RS256, RS384, RS512, ES256, ES384, ES512 or HS256, not {OIDC_RP_SIGN_ALGO!r}"
        )
    if "openid" not in OIDC_RP_SCOPES.split():
        raise ImproperlyConfigured(f"SUUNTA_OIDC_SCOPES must include openid, not {OIDC_RP_SCOPES!r}")
    _oidc_needed = {
        "SUUNTA_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
        "SUUNTA_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
    }
    if OIDC_RP_SIGN_ALGO != "HS256":
        _oidc_needed["SUUNTA_OIDC_JWKS_ENDPOINT"] = OIDC_OP_JWKS_ENDPOINT
    _oidc_missing = [variable for variable, value in _oidc_needed.items() if not value]
    if _oidc_missing and not SUUNTA_OIDC_ISSUER:
        raise ImproperlyConfigured(
            f"SUUNTA_OIDC_ISSUER must be set, or else {', '.join(_oidc_missing)}"
        )
    for _variable in ("SUUNTA_OIDC_ISSUER", *_oidc_needed, "SUUNTA_OIDC_USERINFO_ENDPOINT"):
        _url = os.environ.get(_variable, "")
        if _url and not _url.startswith(("https://", "http://")):
            raise ImproperlyConfigured(f"{_variable} must be an http(s) URL, not {_url!r}")
# The login page's "Sign in with …" button reads the provider's name from here.
TEMPLATES[0]["OPTIONS"]["context_processors"].append("accounts.oidc.oidc_sign_in")
AUTHENTICATION_BACKENDS.append("accounts.oidc.SuuntaOIDCBackend")
# Refused single sign-on callbacks are not password guesses: axes must not
# count them (they have no username, so they would lock out a whole address).
AXES_WHITELIST_CALLABLE = "accounts.oidc.axes_exempt"

# --- indicators: spreadsheet imports ---
# An upload is refused above SUUNTA_IMPORT_MAX_BYTES; an XLSX file (a zip
# archive) also when it has more than SUUNTA_IMPORT_MAX_ENTRIES entries,
# unpacks to more than SUUNTA_IMPORT_MAX_UNCOMPRESSED_BYTES, has a large entry
# packed more than SUUNTA_IMPORT_MAX_RATIO-fold, or more than
# SUUNTA_IMPORT_MAX_SHARED_STRINGS different texts. Files are read up to
# SUUNTA_IMPORT_MAX_ROWS rows, empty ones included. A 100,000-row export is
# about 2.5 MB packed and 28 MB unpacked, eleven-fold (indicators.importing).
SUUNTA_IMPORT_MAX_BYTES = envint("SUUNTA_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
SUUNTA_IMPORT_MAX_ROWS = envint("SUUNTA_IMPORT_MAX_ROWS", 100_000)
SUUNTA_IMPORT_MAX_ENTRIES = envint("SUUNTA_IMPORT_MAX_ENTRIES", 1000)
SUUNTA_IMPORT_MAX_UNCOMPRESSED_BYTES = envint("SUUNTA_IMPORT_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
SUUNTA_IMPORT_MAX_RATIO = envint("SUUNTA_IMPORT_MAX_RATIO", 100)
SUUNTA_IMPORT_MAX_SHARED_STRINGS = envint("SUUNTA_IMPORT_MAX_SHARED_STRINGS", 200_000)
# A StratML file (strategy import) is refused above SUUNTA_STRATML_MAX_BYTES,
# checked before it is stored or read; its XML may hold no DTD or entities.
SUUNTA_STRATML_MAX_BYTES = envint("SUUNTA_STRATML_MAX_BYTES", 5 * 1024 * 1024)
# A checked import that nobody saves is cancelled (and its file removed) after this.
SUUNTA_IMPORT_PREVIEW_HOURS = envint("SUUNTA_IMPORT_PREVIEW_HOURS", 24)
# Import jobs that no worker will finish are marked failed (see
# indicators.services.import_jobs_fail_stale); every five minutes.
CELERY_BEAT_SCHEDULE["import-stale-jobs"] = {
    "task": "indicators.tasks.import_jobs_fail_stale_task",
    "schedule": crontab(minute="*/5"),
}
CELERY_BEAT_SCHEDULE["stratml-stale-jobs"] = {
    "task": "stratml.tasks.stratml_import_jobs_fail_stale_task",
    "schedule": crontab(minute="*/5"),
}
CELERY_BEAT_SCHEDULE["translation-stale-imports"] = {
    "task": "translations.tasks.translation_imports_fail_stale_task",
    "schedule": crontab(minute="*/5"),
}

# --- accessibility statement and feedback ---
# The statement (/accessibility/) names the operator of this installation,
# where feedback goes and the supervisory authority; its compliance status,
# dates and known problems are kept by a superuser in Suunta (accessibility
# app). Feedback is emailed to SUUNTA_ACCESSIBILITY_FEEDBACK_EMAIL in
# SUUNTA_ACCESSIBILITY_FEEDBACK_LANGUAGE; one address may send at most
# SUUNTA_ACCESSIBILITY_FEEDBACK_LIMIT messages in the window.


def envurl(name: str, default: str) -> str:
    """Read an http(s) URL; refuse anything else."""
    raw = os.environ.get(name, "") or default
    if not raw.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{name} must be an http(s) URL, not {raw!r}")
    return raw


def envemail(name: str, default: str) -> str:
    """Read an email address (or nothing); refuse anything that is not one."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    raw = (os.environ.get(name, "") or default).strip()
    if raw:
        try:
            validate_email(raw)
        except ValidationError as exc:
            raise ImproperlyConfigured(f"{name} must be an email address, not {raw!r}") from exc
    return raw


def envchoice(name: str, default: str, choices: list[str]) -> str:
    raw = os.environ.get(name, "") or default
    if raw not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw


SUUNTA_ACCESSIBILITY_OPERATOR = os.environ.get("SUUNTA_ACCESSIBILITY_OPERATOR", "").strip() or "Suunta"
SUUNTA_ACCESSIBILITY_FEEDBACK_EMAIL = envemail("SUUNTA_ACCESSIBILITY_FEEDBACK_EMAIL", DEFAULT_FROM_EMAIL)
SUUNTA_ACCESSIBILITY_FEEDBACK_LANGUAGE = envchoice(
    "SUUNTA_ACCESSIBILITY_FEEDBACK_LANGUAGE", LANGUAGE_CODE, [code for code, _name in LANGUAGES]
)
SUUNTA_ACCESSIBILITY_AUTHORITY_NAME = os.environ.get("SUUNTA_ACCESSIBILITY_AUTHORITY_NAME", "").strip()
SUUNTA_ACCESSIBILITY_AUTHORITY_URL = envurl(
    "SUUNTA_ACCESSIBILITY_AUTHORITY_URL", "https://www.saavutettavuusvaatimukset.fi/"
)
SUUNTA_ACCESSIBILITY_AUTHORITY_EMAIL = envemail("SUUNTA_ACCESSIBILITY_AUTHORITY_EMAIL", "")
SUUNTA_ACCESSIBILITY_FEEDBACK_LIMIT = envint("SUUNTA_ACCESSIBILITY_FEEDBACK_LIMIT", 5)
SUUNTA_ACCESSIBILITY_FEEDBACK_WINDOW_MINUTES = envint("SUUNTA_ACCESSIBILITY_FEEDBACK_WINDOW_MINUTES", 60)

# --- REST API (api/) ---
# Requests a minute per token (or signed-in person) and per address without
# credentials; counted in the "throttle" cache so that every worker shares them.
SUUNTA_API_REQUESTS_PER_MINUTE = envint("SUUNTA_API_REQUESTS_PER_MINUTE", 120)
SUUNTA_API_ANON_REQUESTS_PER_MINUTE = envint("SUUNTA_API_ANON_REQUESTS_PER_MINUTE", 20)
# Rows per page of a list; a client may ask for up to SUUNTA_API_MAX_PAGE_SIZE.
SUUNTA_API_PAGE_SIZE = envint("SUUNTA_API_PAGE_SIZE", 50)
SUUNTA_API_MAX_PAGE_SIZE = envint("SUUNTA_API_MAX_PAGE_SIZE", 200)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",  # first: its challenge makes a 401
        "rest_framework.authentication.SessionAuthentication",  # the docs page, with CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.PersonRateThrottle", "api.throttles.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "person": f"{SUUNTA_API_REQUESTS_PER_MINUTE}/min",
        "anonymous": f"{SUUNTA_API_ANON_REQUESTS_PER_MINUTE}/min",
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Suunta API",
    "DESCRIPTION": "Strategies, annual plans, indicators, maturity results and reports, as the caller may see them.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Without deep links the operation's path is text, not a link nested in its button;
    # without syntax colours the examples keep the contrast WCAG AA asks for (axe).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "persistAuthorization": False, "syntaxHighlight": {"activated": False}},
    "SECURITY": [{"bearerAuth": []}],
    "ENUM_NAME_OVERRIDES": {
        "StrategyStatusEnum": "strategy.models.Strategy.Status",
        "PlanStatusEnum": "strategy.models.AnnualPlan.Status",
        "PlanItemStatusEnum": "strategy.models.PlanItem.Status",
        "ReportStatusEnum": "reports.models.Report.Status",
        "LanguageEnum": "config.settings.LANGUAGES",
    },
}
