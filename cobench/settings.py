"""cobench settings: one file, read from the environment with safe defaults.

Production variables (see docs/operations.md): SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL, COBENCH_HTTPS=1. DEBUG is off unless DEBUG=1.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("COBENCH_VAR_DIR", BASE_DIR.parent / "var")).resolve()


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("DEBUG")
ALLOWED_HOSTS = _list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "csp",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "cobench.core",
    "cobench.tenancy",
    "cobench.audit",
    "cobench.security",
    "cobench.charters",
    "cobench.concerns",
    "cobench.notifications",
    "cobench.status",
    "cobench.meetings",
    "cobench.compounds",
    "cobench.compound_requests",
    "cobench.search",
    "cobench.assays",
    "cobench.web",
    "cobench.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cobench.core.middleware.SecurityHeadersMiddleware",
    "cobench.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cobench.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cobench.security.middleware.RefusedAccessMiddleware",
    "cobench.core.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cobench.tenancy.signin.SessionActivityMiddleware",
    "cobench.tenancy.signin.RequireMfaMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: it answers a lockout
]

ROOT_URLCONF = "cobench.urls"
WSGI_APPLICATION = "cobench.wsgi.application"

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
                "cobench.notifications.context.unread",
                "cobench.tenancy.signin.idle_timeout",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cobench.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

AUTH_USER_MODEL = "tenancy.User"
# django-axes first: it refuses a locked-out sign-in before any password is checked
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# passwords (ASVS 6.2): at least 12 and up to 128 characters, not like the person's username,
# name or e-mail, not a common password; no forced rotation
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "cobench.tenancy.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "project-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the site shell's own and vendored assets
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "cobench.web.staticfiles.StaticStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "files"  # outside the web root; served only through permission checks

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12  # a sign-in lasts 12 hours at most, however active
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles and connections only from cobench itself,
# no inline script or style anywhere (every script is a static file, every style a class),
# no plug-ins, no framing, no <base> and no form posting elsewhere. See docs/operations.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Pico's checkboxes and selects draw their marks as data: SVGs
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# powerful browser features no page of cobench uses, off for every response (and any frame)
COBENCH_PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
)

if _flag("COBENCH_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# the sign-in lockout (django-axes; cobench.security.lockout): after this many failed sign-ins
# for one account, or from one address, within the cooling-off period, sign-ins are refused
# until it is over (the same limit for bad API tokens from one address: 429)
COBENCH_LOCKOUT_ACCOUNT_FAILURES = int(os.environ.get("COBENCH_LOCKOUT_ACCOUNT_FAILURES", "5"))
COBENCH_LOCKOUT_ADDRESS_FAILURES = int(os.environ.get("COBENCH_LOCKOUT_ADDRESS_FAILURES", "20"))
COBENCH_LOCKOUT_MINUTES = int(os.environ.get("COBENCH_LOCKOUT_MINUTES", "15"))
# reverse proxies in front that add the client's address to X-Forwarded-For (0: none, the
# client is REMOTE_ADDR); the lockout and the security log count by that address
COBENCH_PROXY_COUNT = int(os.environ.get("COBENCH_PROXY_COUNT", "0"))
AXES_FAILURE_LIMIT = COBENCH_LOCKOUT_ACCOUNT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=COBENCH_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # the order LockoutHandler reads
AXES_HANDLER = "cobench.security.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "cobench.security.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "cobench.core.middleware.address_of"
# a try during the cooling-off is refused without extending it
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # sign-ins and sign-outs are in the security log
AXES_VERBOSE = False

# two-factor sign-in (django-allauth's mfa, cobench.tenancy.mfa): an authenticator app's
# six-digit code (TOTP) after the password, with single-use recovery codes. allauth's account
# app runs only the sign-in's steps: Django's form checks the password (so django-axes sees
# it), no sign-up, no e-mail verification. A code is accepted in its own 30 seconds only, once.
ACCOUNT_ADAPTER = "cobench.tenancy.mfa.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("COBENCH_MFA_ISSUER", "cobench")
MFA_TOTP_TOLERANCE = 0
MFA_RECOVERY_CODES_SHOW_ONCE = True
# changing one's two-factor set-up asks for a recent sign-in (COBENCH_RECENT_SIGN_IN_MINUTES),
# as creating an API token does, instead of allauth's own re-authentication pages
MFA_REAUTHENTICATION_REQUIRED = False
# Django's cache (allauth keeps its used-code marks and rate limits there) is a table of the
# database, made by a migration: shared by every process, so a code is refused everywhere
# once used
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cobench_cache",
    }
}

# cobench's own settings
COBENCH_API_TOKEN_DAYS = int(os.environ.get("COBENCH_API_TOKEN_DAYS", "90"))
# sign-in sessions (cobench.tenancy.signin): signed out after this long without a request;
# creating an API token needs a sign-in this recent
COBENCH_IDLE_TIMEOUT_MINUTES = int(os.environ.get("COBENCH_IDLE_TIMEOUT_MINUTES", "30"))
COBENCH_RECENT_SIGN_IN_MINUTES = int(os.environ.get("COBENCH_RECENT_SIGN_IN_MINUTES", "15"))
COBENCH_PAGE_SIZE = 50
# the prefix of registry ids (CB-000123); one registry per sponsor organization
COBENCH_REGISTRY_PREFIX = os.environ.get("COBENCH_REGISTRY_PREFIX", "CB")
# attachments (cobench.core.attachments): size limit, and the types accepted (each is sniffed)
COBENCH_MAX_ATTACHMENT_BYTES = int(os.environ.get("COBENCH_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024))
# bulk import of structures (cobench.compounds.imports): file size limit, time cap per
# structure, worker processes (0: one per CPU), and the largest file imported at once in the
# web request (larger ones run in `cobench worker`)
COBENCH_MAX_IMPORT_BYTES = int(os.environ.get("COBENCH_MAX_IMPORT_BYTES", 200 * 1024 * 1024))
COBENCH_IMPORT_TIMEOUT_S = float(os.environ.get("COBENCH_IMPORT_TIMEOUT_S", "10"))
COBENCH_IMPORT_WORKERS = int(os.environ.get("COBENCH_IMPORT_WORKERS", "0"))
COBENCH_IMPORT_INLINE_RECORDS = int(os.environ.get("COBENCH_IMPORT_INLINE_RECORDS", "200"))
# the in-process search indexes (cobench.search.index) are kept here between processes;
# COBENCH_SEARCH_INDEX_DIR="" keeps them in memory only
COBENCH_SEARCH_INDEX_DIR = os.environ.get("COBENCH_SEARCH_INDEX_DIR", str(VAR_DIR / "search-index"))
COBENCH_ATTACHMENT_TYPES = _list(
    "COBENCH_ATTACHMENT_TYPES",
    "application/pdf,image/png,image/jpeg,text/plain,text/csv,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = COBENCH_PAGE_SIZE
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_CLASS = "cobench.api.pagination.Pagination"

COBENCH_BASE_URL = os.environ.get("COBENCH_BASE_URL", "http://127.0.0.1:8000")
COBENCH_DIGEST_HOUR_UTC = int(os.environ.get("COBENCH_DIGEST_HOUR_UTC", "7"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cobench <cobench@localhost>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("EMAIL_USE_TLS")
