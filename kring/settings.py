"""Kring settings: one module, configured through environment variables.

Every value that differs between a laptop, CI and production comes from the environment
(see README, "Configuration"); the defaults give a working development setup on SQLite.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

from kring.lib.languages import EXTRA_LANG_INFO, FAMILY_LANGUAGES

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def required(name: str, development_default: str) -> str:
    """A value production must set: only a DEBUG start falls back to a public development
    value, so a production start without it refuses to run instead of using a known key."""
    value = os.environ.get(name, "")
    if value:
        return value
    if DEBUG:
        return development_default
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off (README, Configuration).")


SECRET_KEY = required("SECRET_KEY", "kring-development-key-not-for-production")
# Research pseudonyms have a key of their own, so a leaked SECRET_KEY cannot map them back to
# cases (and a leaked pseudonym key signs no session).
KRING_PSEUDONYM_KEY = required("KRING_PSEUDONYM_KEY", "kring-development-pseudonyms-only")
if KRING_PSEUDONYM_KEY == SECRET_KEY:
    raise ImproperlyConfigured("KRING_PSEUDONYM_KEY must differ from SECRET_KEY.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required("ALLOWED_HOSTS", "127.0.0.1,localhost"))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "kring.audit.admin_apps.KringAdminConfig",  # django.contrib.admin: 2FA only, logged
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    # Before django_tasks_db: its db_worker command adds the lock that lets a dead worker's
    # task be put back in the queue (kring/periodic/workers.py).
    "kring.periodic",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "kring.accounts",
    "kring.audit",
    "kring.coordinators",
    "kring.intake",
    "kring.cases",
    "kring.preparation",
    "kring.plans",
    "kring.stats",
    "kring.demo",
    "kring.privacy",
    "kring.money",
    "kring.translations",
    "kring.training",
    "kring.coaching",
    "kring.evaluation",
    "kring.api",
    # django-ninja's own Swagger UI files, served from here: the CSP allows no CDN.
    "ninja",
    "rosetta",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # With DEBUG (make demo) the house 404 and 500 pages, not Django's debug pages.
    "kring.lib.error_pages.HouseErrorPagesMiddleware",
    # Static files with hashed names, compressed, cached forever (collectstatic; README).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kring.lib.middleware.ChosenLanguageMiddleware",
    "kring.lib.middleware.HostileInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kring.lib.middleware.StaffLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Everyone logged in passes a second factor before any other page (docs/security.md).
    "kring.accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "kring.lib.security.SessionTimeoutMiddleware",
    "kring.lib.security.NoStoreMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # No read or change without its log row: a failed write to the log answers 503.
    "kring.audit.middleware.FailClosedMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by authenticate() into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kring.urls"
WSGI_APPLICATION = "kring.wsgi.application"

TEMPLATES = [
    {
        # Django's, with .txt templates (plain-text mail) rendered unescaped (lib/templates.py).
        "BACKEND": "kring.lib.templates.KringTemplates",
        "DIRS": [BASE_DIR / "kring" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "kring.lib.security.session_timeout",
            ],
            "libraries": {"kring_forms": "kring.lib.form_tags"},
            # {% form_field %} on every page with a form, without a {% load %} in each.
            "builtins": ["kring.lib.form_tags"],
        },
    },
]

# Django's form renderer with a lighter select template (kring/lib/renderers.py).
FORM_RENDERER = "kring.lib.renderers.KringFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'kring.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection is tested before each request reuses it, so after the database
        # went away (a restart, a failover) the next request connects afresh.
        conn_health_checks=True,
    )
}
# No server-side cursors: outside a transaction Django declares each one WITH HOLD, so every
# select's options (ModelChoiceField iterates its queryset) took three round trips instead of
# one; and a transaction pooler (PgBouncer, README "Connections") cannot keep a cursor between
# statements. Long walks page by key instead (kring/audit/chain.py).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: django-axes refuses a locked-out username+address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "kring.accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Django's PBKDF2, computed on a low-priority thread per process, and at most
# KRING_LOGIN_CHECKS logins per process waiting for it (kring/accounts/login.py).
PASSWORD_HASHERS = env_list(
    "PASSWORD_HASHERS",
    "kring.accounts.login.PacedPBKDF2PasswordHasher",
)
KRING_LOGIN_CHECKS = int(os.environ.get("KRING_LOGIN_CHECKS", "2"))
# However many web processes a machine runs, at most this many hash a password at once (one
# lock file each in KRING_LOGIN_LOCK_DIR, default the temporary directory): the cores.
KRING_LOGIN_HASHERS = int(os.environ.get("KRING_LOGIN_HASHERS", str(os.cpu_count() or 1)))
KRING_LOGIN_LOCK_DIR = os.environ.get("KRING_LOGIN_LOCK_DIR", "")

LANGUAGE_CODE = "nl"
# The family's languages (kring/lib/languages.py, README "Languages"); staff screens offer
# only Dutch and English. Django knows no Tigrinya, Somali or Papiamento: added to LANG_INFO.
LANGUAGES = FAMILY_LANGUAGES
LANG_INFO.update(EXTRA_LANG_INFO)
# django-rosetta edits only the family's catalogues in kring/locale (README "Languages").
ROSETTA_ACCESS_CONTROL_FUNCTION = "kring.translations.access.can_translate"
ROSETTA_LANGUAGES = [(code, name) for code, name in FAMILY_LANGUAGES if code not in ("nl", "en")]
ROSETTA_SHOW_AT_ADMIN_PANEL = False
ROSETTA_WSGI_AUTO_RELOAD = False
ROSETTA_MESSAGES_SOURCE_LANGUAGE_CODE = "nl"
ROSETTA_MESSAGES_SOURCE_LANGUAGE_NAME = "Nederlands"
ROSETTA_ENABLE_TRANSLATION_SUGGESTIONS = False
ROSETTA_EXCLUDED_APPLICATIONS = ["django.contrib.admin", "django.contrib.auth"]
LOCALE_PATHS = [BASE_DIR / "kring" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "kring" / "static"]
# `collectstatic` writes hashed, compressed copies to STATIC_ROOT; WhiteNoise serves them with
# a year's cache. With DEBUG the pages link the plain names (served from the app folders).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Mail: console in development, a folder of .eml files with EMAIL_BACKEND=file, SMTP in
# production (EMAIL_BACKEND=smtp plus EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, ...). Without
# DEBUG it is SMTP unless set otherwise: a production that forgot the setting must not print
# families' mail, with their personal links, into its logs.
_EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "console" if DEBUG else "smtp")
_MAILER_OPTIONS: dict[str, dict[str, object]] = {
    "console": {},
    "file": {"file_path": os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))},
    "smtp": {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    },
}
MAILERS = {
    "default": {
        # EMAIL_BACKEND=file: one .eml file per message (kring/lib/mail.py).
        "BACKEND": "kring.lib.mail.EmlFileBackend"
        if _EMAIL_BACKEND == "file"
        else f"django.core.mail.backends.{_EMAIL_BACKEND}.EmailBackend",
        "OPTIONS": _MAILER_OPTIONS[_EMAIL_BACKEND],
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kring <noreply@kring.example>")

# Background work lives in the same database, so a task enqueued inside a transaction is
# committed (or rolled back) with it. TASKS_BACKEND=immediate runs tasks in the web process.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[os.environ.get("TASKS_BACKEND", "database")]}}

SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Transport and cookies (docs/security.md): `manage.py check --deploy` is clean without DEBUG.
# KRING_PLAIN_HTTP is for `make prod-local` only: the production settings over plain http on
# this machine (no TLS, no proxy), so cookies are not marked Secure and no HSTS is sent.
KRING_PLAIN_HTTP = env_bool("KRING_PLAIN_HTTP", False)
# With DEBUG, Kring still shows its own Dutch 404 and 500 pages, as production does (the demo
# runs with DEBUG); KRING_DEBUG_ERROR_PAGES=1 brings back Django's debug pages for development.
KRING_DEBUG_ERROR_PAGES = env_bool("KRING_DEBUG_ERROR_PAGES", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not (DEBUG or KRING_PLAIN_HTTP)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"  # Strict would drop it on mail links
SECURE_HSTS_SECONDS = 0 if DEBUG or KRING_PLAIN_HTTP else 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("KRING_HSTS_PRELOAD", True)
# Behind a TLS proxy Django learns https from X-Forwarded-Proto (the proxy must set it and
# strip a client's own); only then can it redirect plain http without a redirect loop.
KRING_BEHIND_PROXY = env_bool("KRING_BEHIND_PROXY", False)
if KRING_BEHIND_PROXY and KRING_PLAIN_HTTP:
    raise ImproperlyConfigured("KRING_PLAIN_HTTP cannot be combined with KRING_BEHIND_PROXY.")
SECURE_SSL_REDIRECT = KRING_BEHIND_PROXY
if KRING_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies (load balancer, TLS terminator) append to X-Forwarded-For; the client's
# address for rate limits and the lockout is the entry the nearest one added (lib.http).
KRING_PROXY_COUNT = int(os.environ.get("KRING_PROXY_COUNT", "1"))
RATELIMIT_IP_META_KEY = "kring.lib.http.client_address"
AXES_CLIENT_IP_CALLABLE = "kring.lib.http.client_address"
# The load balancer's and the orchestrator's probes speak plain http to the app itself.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
# Sessions: logged out after KRING_SESSION_IDLE_MINUTES without a request (warned
# KRING_SESSION_WARNING_MINUTES in), and KRING_SESSION_MAX_HOURS after logging in at the latest
# (kring.lib.security.SessionTimeoutMiddleware).
KRING_SESSION_IDLE_MINUTES = int(os.environ.get("KRING_SESSION_IDLE_MINUTES", "15"))
KRING_SESSION_WARNING_MINUTES = int(os.environ.get("KRING_SESSION_WARNING_MINUTES", "13"))
KRING_SESSION_MAX_HOURS = int(os.environ.get("KRING_SESSION_MAX_HOURS", "8"))
SESSION_COOKIE_AGE = 60 * 60 * KRING_SESSION_MAX_HOURS

# Rate limits (django-ratelimit) count in the database, so every web process shares them;
# `manage.py createcachetable` makes the table (tests make it with their database).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kring_cache",
    }
}
RATELIMIT_VIEW = "kring.lib.ratelimits.too_many_requests"
# Per user (or per address without login): PDFs rendered, dashboard CSVs, research exports.
KRING_RATE_PDF = os.environ.get("KRING_RATE_PDF", "30/m")
KRING_RATE_CSV = os.environ.get("KRING_RATE_CSV", "60/m")
KRING_RATE_EXPORT = os.environ.get("KRING_RATE_EXPORT", "20/h")

# Login (docs/security.md): a second factor for every role that reads case data, and a lockout
# of one account from one address after five failures, lifted after fifteen minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Passkeys are bound to the site's host name (SITE_URL); a passkey is a second factor here,
# never a login without the password. Browsers allow passkeys only over https or on
# http://localhost, so a plain-http development SITE_URL uses them on localhost.
_SITE = urlsplit(SITE_URL)
_PASSKEY_ORIGIN = SITE_URL if _SITE.scheme == "https" else f"http://localhost:{_SITE.port or 80}"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS", _PASSKEY_ORIGIN)
OTP_WEBAUTHN_RP_ID = urlsplit(OTP_WEBAUTHN_ALLOWED_ORIGINS[0]).hostname or "localhost"
OTP_WEBAUTHN_RP_NAME = "Kring"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_TOTP_ISSUER = "Kring"

# Logs go to standard error: one JSON object per line in production (python-json-logger), for
# the log collector; plain lines with DEBUG (KRING_LOG_FORMAT=text|json overrides).
_LOG_FORMAT = os.environ.get("KRING_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": _LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The method's deadlines, in days (domain.md): first contact within 3 days of the request,
# work started within 7 days. Configurable per organisation.
KRING_FIRST_CONTACT_DAYS = int(os.environ.get("KRING_FIRST_CONTACT_DAYS", "3"))
KRING_START_DAYS = int(os.environ.get("KRING_START_DAYS", "7"))
# Preparation: first visit within 7 days of the request. The conference has no fixed deadline:
# the family sets the pace and the coordinator records the date agreed with them (the form
# suggests KRING_CONFERENCE_WEEKS after the assignment). A preparation longer than
# KRING_LONG_PREPARATION_WEEKS is a signal on the manager's list, not "late".
KRING_FIRST_VISIT_DAYS = int(os.environ.get("KRING_FIRST_VISIT_DAYS", "7"))
KRING_CONFERENCE_WEEKS = int(os.environ.get("KRING_CONFERENCE_WEEKS", "6"))
KRING_LONG_PREPARATION_WEEKS = int(os.environ.get("KRING_LONG_PREPARATION_WEEKS", "10"))
# Public intake spam limit: at most this many requests per address per hour.
KRING_INTAKE_RATE_LIMIT = int(os.environ.get("KRING_INTAKE_RATE_LIMIT", "5"))
# A certificate of conduct (VOG) counts as valid this many years after its date.
KRING_VOG_VALID_YEARS = int(os.environ.get("KRING_VOG_VALID_YEARS", "3"))
# How many first conferences of trained candidates (EK1) one regional manager supports at a
# time; matching proposes an EK1 coordinator only where a manager is below it (docs/coaching.md).
KRING_SUPPORT_MAX_FIRST_CONFERENCES = int(
    os.environ.get("KRING_SUPPORT_MAX_FIRST_CONFERENCES", "2")
)
# A coordinator answers an offer within this many hours, or it passes to the next candidate.
KRING_OFFER_ANSWER_HOURS = int(os.environ.get("KRING_OFFER_ANSWER_HOURS", "24"))
# The plan goes to everyone within two working days of the conference (Dutch public holidays
# do not count); follow-up from four weeks after the plan was sent; the implementation is
# registered from three months after it, with an escalation at five; a family link stays
# valid a year.
KRING_PLAN_SEND_DAYS = int(os.environ.get("KRING_PLAN_SEND_DAYS", "2"))
KRING_FOLLOW_UP_DAYS = int(os.environ.get("KRING_FOLLOW_UP_DAYS", "28"))
KRING_IMPLEMENTATION_MONTHS = int(os.environ.get("KRING_IMPLEMENTATION_MONTHS", "3"))
KRING_IMPLEMENTATION_ESCALATION_MONTHS = int(
    os.environ.get("KRING_IMPLEMENTATION_ESCALATION_MONTHS", "5")
)
KRING_FAMILY_LINK_DAYS = int(os.environ.get("KRING_FAMILY_LINK_DAYS", "365"))
# After the implementation registration closes the course, the family reads its plan this
# many days more (about three months); early endings revoke the links at once.
KRING_FAMILY_LINK_AFTER_CLOSE_DAYS = int(os.environ.get("KRING_FAMILY_LINK_AFTER_CLOSE_DAYS", "91"))
# Personal links (docs/security.md): a professional's invitation works this many days after
# it was sent, a date-poll link this many days after the date was fixed; failed attempts at
# any personal link are limited per address (django-ratelimit rate).
KRING_INVITATION_LINK_DAYS = int(os.environ.get("KRING_INVITATION_LINK_DAYS", "14"))
KRING_POLL_LINK_DAYS = int(os.environ.get("KRING_POLL_LINK_DAYS", "7"))
KRING_LINK_FAILURE_RATE = os.environ.get("KRING_LINK_FAILURE_RATE", "20/10m")
# The questionnaire after every conference (docs/evaluation.md): its link works this many
# days after it was made; results are shown only when at least this many people answered.
KRING_EVALUATION_LINK_DAYS = int(os.environ.get("KRING_EVALUATION_LINK_DAYS", "60"))
KRING_EVALUATION_MIN_ANSWERS = int(os.environ.get("KRING_EVALUATION_MIN_ANSWERS", "3"))
# Days after the questionnaire's mail that someone who did not answer is reminded, once (0: never).
KRING_EVALUATION_REMINDER_DAYS = int(os.environ.get("KRING_EVALUATION_REMINDER_DAYS", "14"))

# Retention (docs/security.md "Retention"): months after a case's closing after which
# `purge_expired` removes each kind of personal data; the figures (stats.CaseFact) stay.
KRING_RETENTION_CIRCLE_MONTHS = int(os.environ.get("KRING_RETENTION_CIRCLE_MONTHS", "12"))
KRING_RETENTION_PROFESSIONAL_MONTHS = int(
    os.environ.get("KRING_RETENTION_PROFESSIONAL_MONTHS", "12")
)
KRING_RETENTION_PLAN_MONTHS = int(os.environ.get("KRING_RETENTION_PLAN_MONTHS", "24"))
KRING_RETENTION_REQUEST_MONTHS = int(os.environ.get("KRING_RETENTION_REQUEST_MONTHS", "24"))
# Finished background tasks (their arguments hold mail addresses), in days.
KRING_RETENTION_MAIL_DAYS = int(os.environ.get("KRING_RETENTION_MAIL_DAYS", "90"))
# Records of data subjects' requests, in months after they were done.
KRING_RETENTION_SUBJECT_REQUEST_MONTHS = int(
    os.environ.get("KRING_RETENTION_SUBJECT_REQUEST_MONTHS", "24")
)

# Health (kring/lib/health.py): /health/queue/ fails when the oldest task waiting for a worker
# has waited longer than this many minutes.
KRING_TASK_LAG_MINUTES = int(os.environ.get("KRING_TASK_LAG_MINUTES", "15"))
