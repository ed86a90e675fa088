"""Settings shared by every environment; every value a deployment changes comes from the environment."""

from pathlib import Path
from typing import Any

import dj_database_url

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[3]
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "gpvoice.core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver leaves static files to WhiteNoise too, so development serves them as production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Our apps come first so that their templates override allauth's.
    "gpvoice.core",
    "gpvoice.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "gpvoice.directory",
    "gpvoice.governance",
    "gpvoice.ballots",
    "gpvoice.priorities",
    "gpvoice.intake",
    "gpvoice.notifications",
    "gpvoice.meetings",
    "gpvoice.soundingboard",
    "gpvoice.events",
    "gpvoice.glance",
    "gpvoice.representation",
    "gpvoice.engagement",
    "gpvoice.jobs",
    "gpvoice.api",
    "gpvoice.operations",
    "gpvoice.nonprod",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    # First, so that every answer (static files and redirects too) has a request id and a log line.
    "gpvoice.core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gpvoice.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A shared cache (rate limits) that does not answer: a 503 page, never an unlimited sign-in.
    "gpvoice.core.middleware.SharedCacheDownMiddleware",
    # Last, so the 404 page has the user and messages. A NUL (or other unusable text) in a URL: 404.
    "gpvoice.core.middleware.InvalidPathMiddleware",
]

ROOT_URLCONF = "gpvoice.config.urls"
WSGI_APPLICATION = "gpvoice.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "gpvoice.config.jinja2_env.environment"},
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'gpvoice.sqlite3'}")
    # Connections are kept for DB_CONN_MAX_AGE seconds and checked before reuse in each request,
    # so a database restart costs one reconnect instead of an error.
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True)
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE makes SQLite take the write lock at BEGIN, so concurrent writers queue
        # instead of failing mid-transaction; select_for_update() is a no-op there.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif config["ENGINE"] == "django.db.backends.postgresql" and not env_bool("DB_JIT", False):
        # PostgreSQL's JIT compiler pays off on long analytical queries; on a page's short ones it
        # spent 50 ms compiling a 7 ms query whenever the planner overestimated (ADR 9).
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in: emailed login codes for everyone; passwords + MFA for officers (see accounts.officers).
ACCOUNT_LOGIN_METHODS = {"email"}
# Signup is closed (see accounts.adapter); password1 here keeps the password field on the sign-in form.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 300
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_ADAPTER = "gpvoice.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/ip,5/5m/key",
    "request_login_code": "10/m/ip,3/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "GP Voice"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
# Confidential consultations: members see no count from fewer than this many answers (engagement).
ENGAGEMENT_MIN_CELL = env_int("ENGAGEMENT_MIN_CELL", 3)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "GP Voice <no-reply@gpvoice.invalid>")
# Links in emails sent by scheduled tasks, which have no request to build them from.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Reminders go this many hours before a ballot or ratification closes, if the practice has not
# answered (docs/adr/0010-notifications.md).
NOTIFY_REMINDER_HOURS = env_int("NOTIFY_REMINDER_HOURS", 48)
# Seals secret ballots (docs/adr/0003). Set its own value in production, and keep it as carefully
# as the database backups: without it, weighted tallies of secret ballots cannot be recomputed.
BALLOT_SEAL_KEY = env_str("BALLOT_SEAL_KEY", "")
# Earlier seal keys, comma-separated: they no longer seal but still open (rotation, ADR 3).
BALLOT_SEAL_OLD_KEYS = env_list("BALLOT_SEAL_OLD_KEYS")

# Background work: every email and scheduled job runs as a django-tasks task, stored in the database
# and run by `gpvoice worker` (see gpvoice/jobs). Larger deployments can swap in another documented
# django-tasks backend (e.g. the RQ one) here.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# How long an audited write waits for its group's audit chain before giving up with a clear error
# (PostgreSQL; docs/adr/0002). SQLite queues writers on its own busy timeout.
AUDIT_LOCK_TIMEOUT_MS = env_int("AUDIT_LOCK_TIMEOUT_MS", 10_000)

# How long (seconds) each worker reuses its last health-probe answer (gpvoice.core.health).
HEALTH_CACHE_SECONDS = env_int("HEALTH_CACHE_SECONDS", 2)

# A per-process cache is refused by `check --deploy` unless one worker serves the site (ALLOW_LOCAL_CACHE).
ALLOW_LOCAL_CACHE = env_bool("ALLOW_LOCAL_CACHE", False)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL", "")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# The NHS.UK CSS asks for its images at /assets/images/…, so every static file lives under /assets/
# (gpvoice.core.assets). WhiteNoise serves them from STATIC_ROOT after `gpvoice collectstatic`:
# hashed names cached for a year, gzip-compressed copies.
STATIC_URL = "/assets/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Uploaded files (requests' attachments) when the default file storage is the file system.
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "media"))
NHSUK_DIST = BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
NHSUK_BUILD_DIR = BASE_DIR / "var" / "nhsuk"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "gpvoice.core.assets.NhsukFrontendFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "gpvoice.core.assets.StaticFilesStorage"},
}

# Leadership groups and LMCs are not NHS bodies, so the NHS logo is off unless an NHS body opts in.
SHOW_NHS_LOGO = env_bool("SHOW_NHS_LOGO", False)
SERVICE_NAME = env_str("SERVICE_NAME", "GP Voice")
# Where people report an accessibility problem: the organisation that runs this deployment.
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "")
# The browser tests write their findings here; the accessibility statement reads them.
ACCESSIBILITY_REPORT_PATH = env_str(
    "ACCESSIBILITY_REPORT_PATH", str(BASE_DIR / "var" / "accessibility-report.json")
)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# One JSON object per line on stderr (gpvoice.core.logs): one line per request, no paths, no personal data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "gpvoice.core.logs.JsonFormatter"}},
    "filters": {"withhold_paths": {"()": "gpvoice.core.logs.WithholdPaths"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["withhold_paths"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default handlers print to the console or mail admins; ours alone write the lines.
        "django": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO"), "propagate": False},
        # runserver (development only) writes raw request lines; the request log replaces them.
        "django.server": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # WeasyPrint (meeting packs) narrates every step at INFO, from its import onwards: errors only.
        "weasyprint": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Backup and data protection (gpvoice.operations). A backup names its deployment and a restore
# refuses another's; without DEPLOYMENT_ID the name is derived from SECRET_KEY (set it, so that a
# new SECRET_KEY does not orphan the backups). Retention periods in days (gpvoice apply-retention).
DEPLOYMENT_ID = env_str("DEPLOYMENT_ID", "")
RETENTION_INVITATIONS_DAYS = env_int("RETENTION_INVITATIONS_DAYS", 90)
RETENTION_SIGN_IN_DAYS = env_int("RETENTION_SIGN_IN_DAYS", 30)
RETENTION_EMAILS_DAYS = env_int("RETENTION_EMAILS_DAYS", 30)
# Sounding board (gpvoice.soundingboard): a plan and its reviews are deleted this long after the
# review is returned or the plan withdrawn (an audit entry stays); a reviewer reads the plan until
# this long after returning their review; a plan takes at most this many documents.
RETENTION_SOUNDINGBOARD_DAYS = env_int("RETENTION_SOUNDINGBOARD_DAYS", 180)
SOUNDINGBOARD_REVIEWER_ACCESS_DAYS = env_int("SOUNDINGBOARD_REVIEWER_ACCESS_DAYS", 14)
SOUNDINGBOARD_MAX_FILES = env_int("SOUNDINGBOARD_MAX_FILES", 5)
