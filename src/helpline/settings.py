"""Settings for Helpline.

Everything that differs between a laptop demo and a production server comes from the
environment (see docs/configuration.md). ``HELPLINE_ENV=production`` turns on the strict
mode: the secrets must be given, HTTPS is enforced and ``manage.py check --deploy`` is clean.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("HELPLINE_DATA_DIR", Path.cwd() / "var")).resolve()

ENV = os.environ.get("HELPLINE_ENV", "development")
PRODUCTION = ENV == "production"
DEBUG = os.environ.get("HELPLINE_DEBUG", "0" if PRODUCTION else "1") == "1"


def _secret(name: str) -> str:
    """A secret from the environment; in development one is made once and kept in DATA_DIR."""
    value = os.environ.get(name, "")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when HELPLINE_ENV=production.")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f".{name.lower()}"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret("HELPLINE_SECRET_KEY")
# Key of the HMAC that turns a caller's phone number into an anonymous repeat-caller key.
# Changing it breaks the link between earlier and later contacts: keep it with the backups.
CALLER_KEY_SECRET = _secret("HELPLINE_CALLER_KEY_SECRET")
if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("HELPLINE_SECRET_KEY must be at least 50 characters long.")
if PRODUCTION and len(CALLER_KEY_SECRET) < 32:
    raise ImproperlyConfigured("HELPLINE_CALLER_KEY_SECRET must be at least 32 characters long.")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "HELPLINE_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
    ).split(",")
    if h.strip()
]
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("HELPLINE_ALLOWED_HOSTS must be set when HELPLINE_ENV=production.")
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("HELPLINE_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_countries",
    "axes",
    "helpline.common",
    "helpline.accounts",
    "helpline.consultations",
    "helpline.knowledge",
    "helpline.directory",
    "helpline.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helpline.urls"
WSGI_APPLICATION = "helpline.wsgi.application"

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
                "helpline.common.context_processors.network",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL -----------------
_default_sqlite = f"sqlite:///{DATA_DIR / 'helpline.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (one per thread): opening one costs its PRAGMAs and a cold cache.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            " PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
            " PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # Tests use a file too, so that locking behaves as in production (WAL, busy timeout).
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-helpline.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: after 5 failures for one username from one address, wait 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("HELPLINE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# A session lasts one working shift at most and ends when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("HELPLINE_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy: every script and stylesheet comes from this server; no inline
# scripts. Inline styles stay allowed for the admin site and htmx's indicator styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("HELPLINE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- Languages and time -------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", _("Russian")),
    ("en", _("English")),
    ("uz", _("Uzbek")),
    ("tg", _("Tajik")),
    ("ky", _("Kyrgyz")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("HELPLINE_TIME_ZONE", "Europe/Moscow")
USE_TZ = True

# Citizenship select: the countries most callers come from first.
COUNTRIES_FIRST = ["UZ", "TJ", "KG", "KZ", "AM", "AZ", "MD", "UA", "BY", "TM", "GE"]
COUNTRIES_FIRST_REPEAT = False
COUNTRIES_FIRST_BREAK = "──────────"

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("HELPLINE_STATIC_ROOT", DATA_DIR / "static"))
_pico = Path(os.environ.get("HELPLINE_ASSETS_DIR", Path.cwd() / "node_modules")) / "@picocss"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from finders in dev
STATICFILES_DIRS = [("vendor/pico", _pico / "pico" / "css")] if (_pico / "pico").is_dir() else []
HELPLINE_HAS_PICO = bool(STATICFILES_DIRS)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- The network (shown in the UI) --------------------------------------------------------
HELPLINE_NETWORK_NAME = os.environ.get("HELPLINE_NETWORK_NAME", "Migrant Information Network")
HELPLINE_HOTLINE_NUMBER = os.environ.get("HELPLINE_HOTLINE_NUMBER", "8-800-333-00-16")
# The hotline's name as printed on referral slips (next to its free number).
HELPLINE_HOTLINE_NAME = os.environ.get("HELPLINE_HOTLINE_NAME", HELPLINE_NETWORK_NAME)
# Region used to read phone numbers typed without a country code.
HELPLINE_PHONE_REGION = os.environ.get("HELPLINE_PHONE_REGION", "RU")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"axes": {"level": "WARNING"}},
}
