"""Samenspel settings, read from the environment.

Development needs no variables at all: debug on, SQLite, mail to the console.
Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.getenv(name, default).split(",") if part.strip()]


DEBUG = envbool("DEBUG", "true")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is false.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_ROOT = os.getenv("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "teams",
    "assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Inside the session and the user: it keeps a user who just wrote on the primary.
    "config.replica.PrimaryAfterWriteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its page.
    "axes.middleware.AxesMiddleware",
]

# One cache for every process and machine when REDIS_URL is set (redis://host:6379/0): the
# sessions, and what the meeting screens compute (assessment/meetings/steps.py). Without
# it, each process has its own. The lockout counters (django-axes) and the start limits
# (assessment/responding/limits.py) live in the database either way: already shared, and
# they need its transactions and the account's export.
REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering costs a page some seconds, not a hung worker
            # (gunicorn's timeout is 30 s); a busy one still answers within them.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
    # Read from the cache, written through to the database: a Redis restart logs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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
            ],
        },
    },
]


def envdatabase(name: str, default: str) -> dj_database_url.DBConfig:
    value = os.getenv(name, default)
    try:
        # Health checks let a kept connection notice a database restart and reconnect.
        config = dj_database_url.parse(
            value, conn_max_age=envint("DB_CONN_MAX_AGE", "0"), conn_health_checks=True
        )
    except Exception as error:
        raise ImproperlyConfigured(f"{name} is not a usable database URL: {error}") from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name} names no known database engine.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # The web server, the task worker and the periodic run write to one file: readers
        # never wait for a writer (WAL), and a write transaction takes the lock when it
        # begins and waits for it, instead of failing on "database is locked" half-way.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            **config.get("OPTIONS", {}),
        }
    return config


DATABASES = {"default": envdatabase("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# A PostgreSQL streaming replica, for the read-only views that ask for it
# (config/replica.py: @reads_from_replica). A test cannot stream into its own database, so
# in tests the replica is the primary itself (a test mirror).
if os.getenv("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **envdatabase("DATABASE_REPLICA_URL", ""),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]
# After a signed-in user sends a form (or a request of theirs writes), their reads stay on
# the primary this long: the replica may not have their change yet. Streaming replicas lag
# well under a second when healthy.
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", "15")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "teams.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
INVITATION_VALID_DAYS = envint("INVITATION_VALID_DAYS", "14")

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our date formats first, then Django's: "24 nov. 2026" (config/formats).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nl",)

STATIC_URL = "static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "static-collected"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.getenv(
            "STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

EMAIL_BACKEND = os.getenv(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
# The sender's name and address, per installation: "Samenspel Gemeente Voorbeeld <...>".
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Samenspel <noreply@localhost>")
# Without a timeout a mail server that stops answering would hold a worker forever.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "30")

# Background work (mail, and later PDFs): django-tasks with its database backend, so the
# queue lives in the database already run, and `manage.py db_worker` runs it, on as many
# machines as wanted. TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs
# every task at once inside the request instead (the tests do).
TASKS = {
    "default": {
        "BACKEND": os.getenv("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A mail claimed by a worker this long ago without being sent (the worker died), or due
# this long without a worker taking it (its task was lost), is handed out again by
# `manage.py periodic`. Well above EMAIL_TIMEOUT, so a slow send is never taken twice.
OUTBOX_ABANDONED_AFTER = envint("OUTBOX_ABANDONED_AFTER", "600")
# Reminders of personal invitations go out from this hour (local time) on their day.
REMINDER_HOUR = envint("REMINDER_HOUR", "8")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A session ends after a working day, or sooner when the browser closes on a shared computer.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(60 * 60 * 10))
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", "true")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Only our own files run or load. Pages carry no inline script (chart data travels
# in JSON script elements, which browsers never execute) and no inline style. The two
# hashes are the style elements plotly.js adds (an empty one and its own rules), and
# 'unsafe-hashes' lets only those hashes through as style attributes: plotly sets
# empty ones, and "font-style:italic" on the <tspan> of an <i> in a label (the note under a
# reverse-scored statement). A new plotly.js may need new hashes: the browser tests fail
# and name them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": [
            "'self'",
            "'unsafe-hashes'",
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
            "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='",
            "'sha256-r8zR3S6YuWY5tpo2Y0PvZHW5fa+SKLNon9zbEWb5UPA='",  # font-style:italic
        ],
        # Bootstrap draws checkboxes and select arrows with data: SVG images.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Repeated wrong passwords lock the account, and the address, for a while (see
# config/login_guard.py). TRUSTED_PROXIES: how many reverse proxies stand in front.
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", "0")
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "config.login_guard.client_ip"
AXES_USERNAME_CALLABLE = "config.login_guard.login_username"
AXES_CLIENT_STR_CALLABLE = "config.login_guard.pseudonymous_client"
# A successful login must not clear the count: axes would clear every failure of that
# address too, so an attacker could log in to their own account between guesses.
# Failures expire after the cool-off; a password reset clears the account's.
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# The round link starts at most this many new responses per round and hour, per browser
# (by a cookie) and per address (by TRUSTED_PROXIES, as the login lock): padding a round
# with invented colleagues takes more than a few clicks. A staff room of 40 behind one
# school's address must always get in (see responding/limits.py).
RESPONSES_PER_BROWSER_PER_HOUR = envint("RESPONSES_PER_BROWSER_PER_HOUR", "3")
RESPONSES_PER_ADDRESS_PER_HOUR = envint("RESPONSES_PER_ADDRESS_PER_HOUR", "60")
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    # Load balancers ask for the health check over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")

# Secret links (respondent, invitation, password reset) never reach the logs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"hide_secrets": {"()": "config.logs.HideSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["hide_secrets"]}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    # Django's own console handler would print the same lines once more, unfiltered.
    "loggers": {"django": {"handlers": ["console"], "propagate": False}},
}
