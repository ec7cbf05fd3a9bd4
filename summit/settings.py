"""Settings for Summit: one file, every deployment choice an environment variable.

The defaults are safe for development (SQLite beside the code, DEBUG on only when asked).
Production sets at least SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Pages, assets and translations sit in the package, so that an installed copy has them too.
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Under the test runner assets are read from the source folders, not from collectstatic.
TESTING = "pytest" in sys.modules
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Everyone can read this key: sessions, password-reset links and signed values made with it
# can be forged. The test runner and the type checker (whose Django plugin reads these
# settings) serve nothing.
if SECRET_KEY == DEVELOPMENT_SECRET_KEY and not (DEBUG or TESTING or "mypy" in sys.modules):
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key, which is public, and DEBUG is off. Set SECRET_KEY "
        "to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or DEBUG=1 on a development machine."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, whose forms it patches: texts in English and French, side by side.
    "modeltranslation",
    "summit.apps.SummitAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "csp",
    "axes",
    "django_filters",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "common",
    "people",
    "agenda",
    "meetings",
    "outbox",
    "ops",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # Outermost, so that every answer carries the policy, the API's JSON errors included.
    "summit.middleware.CSPMiddleware",
    # Inside it: the hashes of the styles a page carries, for its policy.
    "summit.middleware.StyleHashesMiddleware",
    # Next, so that it sees every answer, Django's 400 for an unknown host included.
    "summit.middleware.ApiErrorsAsJsonMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which serves static files compressed beforehand.
    "common.compression.CompressionMiddleware",
    "common.middleware.RefuseOversizedBodyMiddleware",
    "common.middleware.PageMethodsMiddleware",
    "common.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "summit.middleware.ConditionalGetMiddleware",
    "summit.middleware.LocaleMiddleware",
    "summit.middleware.ApiLanguageMiddleware",
    "summit.middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the login is known: every edit made in a request (admin, API, staff pages) is
    # recorded with who made it.
    "simple_history.middleware.HistoryRequestMiddleware",
    "summit.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "agenda.middleware.SummitTimezoneMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading a logged-in request's user in one plain statement.
    "common.logins.ModelBackend",
]
# Django's database sessions, read in one plain statement.
SESSION_ENGINE = "common.logins"
# Repeated failed logins lock that username from that address for a while. The address is
# the client's as the trusted proxies saw it (TRUSTED_PROXIES): counted by the proxy's own,
# anyone could lock anyone out.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "common.clients.client_address"
AXES_LOCKOUT_CALLABLE = "summit.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# A try while locked does not start the cool-off again: the locked page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# New-password emails: at most so many an hour to one email address, and asked for from one
# client address (counted in the default cache).
PASSWORD_RESETS_PER_EMAIL = int(os.environ.get("PASSWORD_RESETS_PER_EMAIL", "3"))
PASSWORD_RESETS_PER_CLIENT = int(os.environ.get("PASSWORD_RESETS_PER_CLIENT", "10"))

ROOT_URLCONF = "summit.urls"
WSGI_APPLICATION = "summit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "summit.language.switch",
                "summit.context.current_summit",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing at once; WAL lets readers go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "people.passwords.MaximumLengthValidator"},
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes a bad token a 401, not a 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["common.permissions.ReadOrModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "common.filters.FilterBackend",
        "common.filters.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "common.pagination.Pagination",
    # JSON only: form encodings would read an empty field as an absent one.
    "DEFAULT_PARSER_CLASSES": ["common.parsers.StrictJSONParser"],
    # And JSON out, with markup quoted from the request escaped; no HTML pages of the
    # browsable API (the documentation is at /api/docs/).
    "DEFAULT_RENDERER_CLASSES": ["common.renderers.EscapedJSONRenderer"],
    "PAGE_SIZE": 50,
    # Counted per client (common.clients) in the default cache: set CACHE_URL in production,
    # so that every worker counts against one allowance.
    "DEFAULT_THROTTLE_CLASSES": [
        "common.throttling.AnonRateThrottle",
        "common.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "300/min"),
        "user": os.environ.get("API_USER_RATE", "1200/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "common.schema.SummitSchema",
    "EXCEPTION_HANDLER": "common.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Summit API",
    "DESCRIPTION": (
        "The programme of a summit: sessions, people, venues and meetings. Public data needs no "
        "login; writing needs staff permissions. Times are ISO 8601 with a UTC offset. Every "
        'answer is JSON; an error is `{"detail": "..."}`, or names the fields of refused input '
        "with their messages. A method an address does not list is a 405 with `Allow`; an "
        "address without its final slash is a 308 to the one with it. Texts (titles, "
        "abstracts, names, positions, bios) are in the language of `?lang=en|fr`, else of "
        "`Accept-Language`, else English, as `Content-Language` says; each is also given in "
        "every language (`title_en`, `title_fr`: read-only, null when not written), and a "
        "write of `title` writes the text of the request's language."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {"ReleaseChangeKindEnum": "agenda.releases.ChangeKind"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "me"
LOGOUT_REDIRECT_URL = "current-summit"

# Stored in UTC; each summit shows its own zone (agenda.middleware activates it).
TIME_ZONE = "UTC"
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["summit.formats"]
# Content (titles, abstracts, names, positions, bios) has a column per language on the same
# row (title_en, title_fr): no extra query, plain columns to search. A text missing in one
# language is read in the other; a new row written in French gets the English text too.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr")
MODELTRANSLATION_AUTO_POPULATE = "default"
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"
# The type checker reads the models as written: the managers modeltranslation makes at run
# time are beyond django-stubs, which would lose the type of every manager. Without them the
# admin's translated pages cannot be built, and the checker does not build them.
if "mypy" in sys.modules:
    MODELTRANSLATION_ENABLE_REGISTRATIONS = False
    INSTALLED_APPS[INSTALLED_APPS.index("summit.apps.SummitAdminConfig")] = (
        "django.contrib.admin.apps.SimpleAdminConfig"
    )

# The record of every edit (django-simple-history, common/history.py) is read in the admin;
# nothing is reverted from there (a deleted row comes back through "Recover deleted").
SIMPLE_HISTORY_REVERT_DISABLED = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Uploads: a summit's logo and hero image (summit.views.media) and people's photos and
# thumbnails (summit.media, by visibility). A front server must not serve MEDIA_ROOT whole:
# people's originals are never served and a hidden person's thumbnail stays hidden.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(
    os.environ.get(
        "MEDIA_ROOT",
        Path(tempfile.gettempdir()) / "summit-test-media" if TESTING else BASE_DIR / "media",
    )
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Rendered pages, feeds and exports are kept here (agenda.cached), under the programme's
# version, and the API's throttles and the new-password limits count here: production shares
# one Redis between its workers (`check --deploy` warns otherwise). Unset: each process's own
# memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "1000"))},
    },
    # Small pieces kept in their thousands (each event of a feed, about 1 KB).
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_FRAGMENTS", "50000"))},
    },
}
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
        },
        "fragments": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "fragments",
        },
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"CACHE_URL must be a Redis URL (redis://, rediss:// or unix://), not {CACHE_URL!r}."
    )
# In front of either: each process's own copies of the renderings it served last, kept
# without pickling, so that a warm page or feed costs no copy of its megabytes
# (common.recent; only what never changes under its key goes there). With the default cache
# in local memory, renderings are kept here alone, within CACHE_RECENT_BYTES.
CACHES["recent"] = {
    "BACKEND": "common.recent.RecentCache",
    "OPTIONS": {"MAX_BYTES": int(os.environ.get("CACHE_RECENT_BYTES", str(64 * 1024 * 1024)))},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Summit <no-reply@localhost>")
# A mail server that does not answer must not hold a worker for long.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))

# Work after the response (email): Django's Tasks API. One machine: the database backend and
# `manage.py db_worker`; several: RQ on Redis (TASKS_BACKEND=rq, REDIS_URL) and `rqworker`.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if TESTING else "database")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
# Spreadsheets in the admin (common.spreadsheets): control characters that XLSX cannot hold
# are dropped on export rather than failing it.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
OUTBOX_RETRY_SECONDS = int(os.environ.get("OUTBOX_RETRY_SECONDS", "30"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "10"))

# How many proxies stand in front of the server (0: clients connect to it directly). Only
# behind one is X-Forwarded-Proto trusted to say that the request came over https; without a
# proxy any client could send that header.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
if TRUSTED_PROXIES > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and env_bool("HTTPS", False))
SESSION_COOKIE_SECURE = env_bool("HTTPS", False)
CSRF_COOKIE_SECURE = env_bool("HTTPS", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Scripts and styles come from our own static files; the few that must sit in a page (the
# colours of its tracks, the geometry of the timetable) carry the request's nonce. Nothing
# else inline runs, so markup slipped into a title or a bio can neither run nor restyle.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.NONCE],
        # data: for the icons of Swagger UI at /api/docs/ (an image runs no script).
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The ORGANIZER of meeting invitations sent by email.
SUMMIT_ORGANIZER_EMAIL = os.environ.get("SUMMIT_ORGANIZER_EMAIL", "protocol@summit.invalid")

# The slot finder: minutes kept free before and after a meeting, and the step between the
# start times it tries.
SUMMIT_MEETING_BUFFER_MINUTES = int(os.environ.get("SUMMIT_MEETING_BUFFER_MINUTES", "10"))
SUMMIT_SLOT_STEP_MINUTES = int(os.environ.get("SUMMIT_SLOT_STEP_MINUTES", "15"))

# The domain part of every calendar UID: keep it fixed once calendars have subscribed.
SUMMIT_ICAL_UID_DOMAIN = os.environ.get("SUMMIT_ICAL_UID_DOMAIN", "summit.invalid")

# Travel between two venues with no recorded travel time: assume this many minutes.
SUMMIT_UNKNOWN_TRAVEL_MINUTES = int(os.environ.get("SUMMIT_UNKNOWN_TRAVEL_MINUTES", "0"))
AXES_VERBOSE = False
