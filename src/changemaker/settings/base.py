"""Settings shared by every environment. Values that differ come from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parents[1]
BASE_DIR = Path(os.environ.get("CHANGEMAKER_HOME", SRC_DIR.parents[1]))
VAR_DIR = Path(os.environ.get("CHANGEMAKER_VAR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "changemaker.core",  # before django_tasks_db: its db_worker command wraps theirs
    "django_tasks_db",
    "changemaker.budgeting.apps.BudgetingConfig",
    "changemaker.consultations.apps.ConsultationsConfig",
    "changemaker.support.apps.SupportConfig",
    "changemaker.insight.apps.InsightConfig",
    "changemaker.evidence.apps.EvidenceConfig",
    "changemaker.culture.apps.CultureConfig",
    "changemaker.listening.apps.ListeningConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "changemaker.core.middleware.CurrentCouncilMiddleware",
    "changemaker.core.middleware.ThrottledMiddleware",
    "changemaker.core.middleware.MethodNotAllowedMiddleware",
    "axes.middleware.AxesMiddleware",
    "changemaker.core.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "changemaker.urls"
WSGI_APPLICATION = "changemaker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "changemaker.core.context_processors.shell",
            ],
        },
    },
]
FORM_RENDERER = "changemaker.core.forms.GovUKFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'changemaker.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# SQLite, set on every connection: the web server and the worker write at the same time, so
# wait up to 30 s for the lock (busy timeout), take it at the start of each transaction so that
# two writers never deadlock, and keep a write-ahead log (WAL) so that pages keep reading while
# the worker writes. synchronous=NORMAL is safe with WAL (a power cut may lose the last commit,
# never corrupt the file).
SQLITE_OPTIONS = {
    "timeout": 30,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "core:sign-in"
LOGIN_REDIRECT_URL = "core:account"
LOGOUT_REDIRECT_URL = "core:home"

# The client's address (changemaker.core.net.client_ip): REMOTE_ADDR, unless this many reverse
# proxies of ours stand in front of the application (then the address they forwarded).
CHANGEMAKER_TRUSTED_PROXY_COUNT = int(os.environ.get("CHANGEMAKER_TRUSTED_PROXY_COUNT", "0"))

# Sign-in throttling that cannot be turned against someone else: five failures for the same
# account from the same address (see CHANGEMAKER_TRUSTED_PROXY_COUNT) pause sign-in for that
# account from that address for fifteen minutes, counted from the last failure; the account
# can still be signed in to from elsewhere, and a password reset ends the pause. One address
# failing this many times across accounts in that time is paused too. Nothing personal is
# written to the log.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "changemaker.core.net.axes_client_ip"
CHANGEMAKER_SIGN_IN_ADDRESS_LIMIT = 50
AXES_USERNAME_FORM_FIELD = "email"
AXES_LOCKOUT_TEMPLATE = "core/account/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_SENSITIVE_PARAMETERS = ["password", "email", "username"]

OTP_TOTP_ISSUER = "Changemaker"
# Roles that see personal data must sign in with two factors (core.models.accounts
# TWO_FACTOR_ROLES, enforced by core.middleware.TwoFactorMiddleware). Development may turn that
# off for a quick look at the demo; production refuses to start with it on.
CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR = False

# Throttles on anonymous writes, "count/period" (second, minute, hour, day); names and
# defaults in changemaker.core.throttle.DEFAULTS and each capability's apps.py. Counted in
# the database, exact across processes.
CHANGEMAKER_THROTTLES: dict[str, str] = {}

# An opinion map (its points, groups and what each group thinks) is shown only once this many
# people have voted, so that nobody's votes can be read off it; each consultation may ask for
# more (or, down to consultations.models.MIN_PEOPLE_FLOOR, fewer).
CHANGEMAKER_CONSULTATION_MIN_PARTICIPANTS = int(
    os.environ.get("CHANGEMAKER_CONSULTATION_MIN_PARTICIPANTS", "7")
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# A form sent with a token the session no longer holds (left open across a sign-in or
# sign-out): the site's own page, in the person's language, instead of Django's.
CSRF_FAILURE_VIEW = "changemaker.core.views.pages.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploads waiting for a background job (e.g. a Polis import): outside MEDIA_ROOT, never served.
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": VAR_DIR / "private", "base_url": "/private-not-served/"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": PRIVATE_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: small and checked (see changemaker.core.validators).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job's worker beats every JOBS_HEARTBEAT_SECONDS (from a thread, so a handler busy in
# one long call still beats). A running job with no beat for JOBS_LOST_AFTER_SECONDS lost its
# worker (killed, out of memory, machine restarted): it is failed, or retried once if its handler
# is safe to retry. Workers look for lost jobs at start-up and every JOBS_SWEEP_SECONDS, and so
# does every start of a job of the same kind. See docs/operations.md, "Recovering a stuck job".
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "10"))
JOBS_LOST_AFTER_SECONDS = float(os.environ.get("JOBS_LOST_AFTER_SECONDS", "120"))
JOBS_SWEEP_SECONDS = float(os.environ.get("JOBS_SWEEP_SECONDS", "30"))

_MAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
        }
        if _MAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Changemaker <no-reply@localhost>")
# GOV.UK Notify instead of SMTP when a key is set: one email template whose subject is
# ((subject)) and body ((body)). See changemaker.core.mail.
GOVUK_NOTIFY_API_KEY = os.environ.get("GOVUK_NOTIFY_API_KEY", "")
if GOVUK_NOTIFY_API_KEY:
    MAILERS = {
        "default": {
            "BACKEND": "changemaker.core.mail.NotifyEmailBackend",
            "OPTIONS": {
                "api_key": GOVUK_NOTIFY_API_KEY,
                "template_id": os.environ.get("GOVUK_NOTIFY_TEMPLATE_ID", ""),
                "base_url": os.environ.get(
                    "GOVUK_NOTIFY_URL", "https://api.notifications.service.gov.uk"
                ),
            },
        }
    }
# Where links in emails point when the council has no web address of its own.
CHANGEMAKER_SITE_URL = os.environ.get("CHANGEMAKER_SITE_URL", "http://localhost:8000")

# Logs carry no personal data: no request bodies, no e-mail addresses, no query strings.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "changemaker.core.logging.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's default logging gives "django" a console handler of its own (in DEBUG) and an
    # e-mail handler, and "django.server" (runserver's request lines, query strings included)
    # a handler that bypasses the root: both now write through the root's filtered handler only.
    "loggers": {
        "django": {"level": "INFO", "handlers": [], "propagate": True},
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING", "handlers": [], "propagate": True},
        "axes": {"level": "WARNING"},
    },
}

# Evidence feeds of other councils are fetched only from public internet addresses (an
# officer's address must not reach services inside the council's own network).
CHANGEMAKER_FEEDS_ALLOW_PRIVATE = env_bool("CHANGEMAKER_FEEDS_ALLOW_PRIVATE")
