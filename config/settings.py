"""Settings of the Maalem host site.

Every value a deployment changes comes from the environment; the README lists them. With no
environment at all the site runs on the embedded default: SQLite plus a file-system Celery broker,
both under ``var/``.
"""

from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DEBUG = env.bool("DEBUG", default=False)
# pytest sets PYTEST_VERSION while it runs.
TESTING = "PYTEST_VERSION" in env
# Runtime files: the SQLite database, uploads, the file-system broker. Tests keep their own, so a
# `make run` on the same machine never picks up a test's task.
VAR_DIR = Path(
    env.str("MAALEM_VAR_DIR", default=str(BASE_DIR / ("var/test" if TESTING else "var")))
)
VAR_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for a development machine).")
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "maalem.core",
    "lms.courses",
    "lms.accounts",
    "lms.crafts",
    "lms.certificates",
    "onboarding",
    "onboarding.marketplace",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
]

MIDDLEWARE = [
    "config.http_cache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.courses.middleware.KnownSiteMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lms.courses.middleware.RememberLanguageMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its own answer.
    "axes.middleware.AxesMiddleware",
]

# What several machines need; sign-in limits, cookies, HTTPS, CSP and Permissions-Policy.
from .caches import cache_settings  # noqa: E402
from .exports import *  # noqa: E402, F403
from .payments_sandbox import payments_sandbox_state_file  # noqa: E402
from .production import *  # noqa: E402, F403
from .queues import *  # noqa: E402, F403
from .security import *  # noqa: E402, F403
from .storage import storage_settings  # noqa: E402

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'maalem.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: wait for a lock, and let readers read during a commit.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file, not memory, so that a Celery worker process can see the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-maalem.sqlite3")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"] = {**DATABASE_CONNECTION, **DATABASES["default"]}  # noqa: F405
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache, and sessions read through it when it is shared (config/caches.py).
vars().update(cache_settings(env.cache("CACHE_URL", default="locmemcache://")))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "maalem_accounts:login"
LOGIN_REDIRECT_URL = "lms:my_learning"
LOGOUT_REDIRECT_URL = "/"

# Languages: the interface through gettext, the content through Wagtail's own i18n.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="fr")
LANGUAGES = [("ar", "العربية"), ("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Africa/Casablanca")
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Files: folders under var/, or S3-compatible buckets (config/storage.py).
vars().update(storage_settings(VAR_DIR, development=DEBUG or TESTING))
# The state file of `make run`'s payments sandbox, where the demo seeds its sellers' accounts.
PAYMENTS_SANDBOX_STATE_FILE = payments_sandbox_state_file(VAR_DIR)
# Uploaded pictures: the largest file and the most pixels accepted, before anything is decoded.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("IMAGE_MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = env.str("SITE_NAME", default="Maalem")
WAGTAILADMIN_BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "csv", "xlsx", "docx", "odt", "zip"]
WAGTAILMEDIA = {"MEDIA_MODEL": "wagtailmedia.Media"}
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# E-mail: moderation notices and password resets. `make run` (DEBUG) prints every message on the
# console, so no mail server is needed; production names its server with EMAIL_URL, e.g.
# smtp+tls://user:password@smtp.example.org:587, or keeps Django's SMTP default (localhost:25).
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND",
        default=(
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend"
        ),
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Maalem <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Celery: the embedded default is a file-system broker under var/, so no server is needed.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "celery" / "queue"
    _processed = VAR_DIR / "celery" / "processed"
    _control = VAR_DIR / "celery" / "control"
    for _folder in (_queue, _processed, _control):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(_processed),
        "control_folder": str(_control),
        "store_processed": False,
    }
else:
    # Above the longest task, so Redis does not hand a running task to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fix-up closes every database connection before and after each task (Celery 5.6
# and later), so each task would pay for a new PostgreSQL session whatever CONN_MAX_AGE says. With
# a reuse limit no worker reaches, it leaves them be; config.celery closes them by Django's rule
# instead. With CONN_MAX_AGE=0 (the default) that still closes every connection after each task.
CELERY_DB_REUSE_MAX = 2**62
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {"task": "config.tasks.clear_expired_sessions", "schedule": 3600.0},
    "purge-expired-data": {"task": "config.tasks.purge_expired_data", "schedule": 86400.0},
    **ONBOARDING_BEAT_SCHEDULE,  # noqa: F405 (config/queues.py)
    **EXPORTS_BEAT_SCHEDULE,  # noqa: F405 (config/queues.py)
    # Retries the certificates that failed to issue, and finds completions whose signal was lost.
    "certificates-sweep": {
        "task": "lms.certificates.tasks.sweep_pending_certificates",
        "schedule": 60.0,
    },
}

# One region and one SMS backend for sign-in codes and onboarding news alike.
MAALEM_PHONE_REGION = env.str("PHONE_REGION", default="MA")
if _phone_regions := env.list("PHONE_REGIONS", default=[]):
    MAALEM_PHONE_REGIONS = _phone_regions  # unset, only PHONE_REGION's numbers are accepted
MAALEM_SMS_BACKEND = env.str("SMS_BACKEND", default="maalem.core.sms.ConsoleSMSBackend")

# Learner sign-in by phone and one-time code; staff and demo accounts keep a password page.
LMS_ACCOUNTS_PASSWORD_SIGN_IN_URL = "lms:password_login"
LMS_ACCOUNTS_REDIRECT_URL = "lms:my_learning"

# Onboarding: the external services it talks to, each a swappable backend.
ONBOARDING_PROVIDERS = {
    "payments": {
        "BACKEND": "onboarding.providers.payments.HTTPPaymentsBackend",
        "OPTIONS": {
            # The sandbox that `make run` starts beside the site, unless a real provider is set.
            "base_url": env.str("PAYMENTS_API_URL", default="http://127.0.0.1:8765"),
            "api_key": env.str("PAYMENTS_API_KEY", default="sandbox-key"),
            # Several secrets are accepted while one is being rotated out.
            # The sandbox's secret is public: production must name its own (onboarding.E004).
            "webhook_secrets": env.list(
                "PAYMENTS_WEBHOOK_SECRETS", default=["whsec_sandbox"] if DEBUG or TESTING else []
            ),
            "timeout": env.float("PAYMENTS_TIMEOUT", default=10.0),
        },
    },
    "marketplace": {"BACKEND": "onboarding.marketplace.backend.LocalMarketplaceBackend"},
}

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail runs its index updates as tasks; one line per saved object is noise.
        "django_tasks": {"level": "WARNING"},
    },
}

# Certificates
LMS_CERTIFICATES_BASE_URL = env.str("CERTIFICATES_BASE_URL", default=WAGTAILADMIN_BASE_URL)
LMS_CERTIFICATES_VERIFY_RATE = env.str("CERTIFICATES_VERIFY_RATE", default="30/m")
if _certificate_key := env.str("CERTIFICATE_SIGNING_KEY", default=""):
    LMS_CERTIFICATES_SIGNING_KEYS = [_certificate_key]
elif not DEBUG and not TESTING:
    from django.core.exceptions import ImproperlyConfigured

    # A key made per machine would sign credentials that the other machines cannot vouch for.
    raise ImproperlyConfigured(
        "Set CERTIFICATE_SIGNING_KEY to a private Ed25519 JWK (or DEBUG=true for a development "
        'machine); make one with: python -c "from lms.certificates.keys import '
        'new_signing_key; print(new_signing_key())"'
    )
else:
    # Development and tests: a key made on first run and kept under var/, so no setup is needed.
    # A deployment sets CERTIFICATE_SIGNING_KEY and keeps it safe: credentials carry its kid.
    from lms.certificates.keys import signing_key_from_file

    LMS_CERTIFICATES_SIGNING_KEYS = [
        signing_key_from_file(VAR_DIR / "certificate-signing-key.json")
    ]
# WeasyPrint logs every layout step at INFO: one line per step per certificate is noise.
LOGGING["loggers"]["weasyprint.progress"] = {"level": "WARNING"}
