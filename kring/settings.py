"""Kring settings: one module, configured through environment variables.

Every value that differs between a laptop, CI and production comes from the environment
(see README, "Configuration"); the defaults give a working development setup on SQLite.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("KRING_ALLOW_INSECURE_KEY", True):
        raise RuntimeError("SECRET_KEY must be set in production")
    SECRET_KEY = "kring-development-key-not-for-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "kring.accounts",
    "kring.audit",
    "kring.coordinators",
    "kring.intake",
    "kring.cases",
    "kring.preparation",
    "kring.plans",
    "kring.stats",
    "kring.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kring.lib.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "kring.urls"
WSGI_APPLICATION = "kring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kring" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'kring.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
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
PASSWORD_HASHERS = env_list(
    "PASSWORD_HASHERS",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "kring" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "kring" / "static"]

# Mail: console in development, a folder of .eml files with EMAIL_BACKEND=file, SMTP in
# production (EMAIL_BACKEND=smtp plus EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, ...).
_EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "console")
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
        "BACKEND": f"django.core.mail.backends.{_EMAIL_BACKEND.replace('file', 'filebased')}"
        ".EmailBackend",
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
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = 60 * 60 * 8

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The method's deadlines, in days (domain.md): first contact within 3 days of the request,
# work started within 7 days. Configurable per organisation.
KRING_FIRST_CONTACT_DAYS = int(os.environ.get("KRING_FIRST_CONTACT_DAYS", "3"))
KRING_START_DAYS = int(os.environ.get("KRING_START_DAYS", "7"))
# Preparation: first visit within 7 days of the request, the conference within ~6 weeks of the
# assignment.
KRING_FIRST_VISIT_DAYS = int(os.environ.get("KRING_FIRST_VISIT_DAYS", "7"))
KRING_CONFERENCE_WEEKS = int(os.environ.get("KRING_CONFERENCE_WEEKS", "6"))
# Public intake spam limit: at most this many requests per address per hour.
KRING_INTAKE_RATE_LIMIT = int(os.environ.get("KRING_INTAKE_RATE_LIMIT", "5"))
# A certificate of conduct (VOG) counts as valid this many years after its date.
KRING_VOG_VALID_YEARS = int(os.environ.get("KRING_VOG_VALID_YEARS", "3"))
# A coordinator answers an offer within this many hours, or it passes to the next candidate.
KRING_OFFER_ANSWER_HOURS = int(os.environ.get("KRING_OFFER_ANSWER_HOURS", "24"))
# The plan goes to everyone within two days; follow-up after four weeks; the implementation
# is registered three to five months after the conference; a family link stays valid a year.
KRING_PLAN_SEND_DAYS = int(os.environ.get("KRING_PLAN_SEND_DAYS", "2"))
KRING_FOLLOW_UP_DAYS = int(os.environ.get("KRING_FOLLOW_UP_DAYS", "28"))
KRING_IMPLEMENTATION_MONTHS = int(os.environ.get("KRING_IMPLEMENTATION_MONTHS", "3"))
KRING_FAMILY_LINK_DAYS = int(os.environ.get("KRING_FAMILY_LINK_DAYS", "365"))
