"""Settings shared by every environment; each value that varies comes from the environment."""

import datetime
from pathlib import Path

from csp.constants import NONE, SELF

from leeds_communities.env import env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "leeds_communities.apps.LeedsCommunitiesConfig",
    "boards",
    "actionplans",
    "neighbourhoods",
    "boards.meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "leeds_communities.middleware.DatabaseUnavailableMiddleware",
    "leeds_communities.middleware.RejectNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Background work (board packs) goes through Django's tasks API; the database backend
# needs no extra server; its worker is `manage.py pack_worker` (leeds_communities/worker.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A pack build that reports no progress for this long has lost its worker (killed, restarted):
# it is failed as stale and queued again, up to PACK_BUILD_ATTEMPTS times for the same content.
PACK_BUILD_STALE_AFTER = env_int("PACK_BUILD_STALE_AFTER", default=300)
PACK_BUILD_ATTEMPTS = env_int("PACK_BUILD_ATTEMPTS", default=3)
# The pack worker (`manage.py pack_worker`, leeds_communities/worker.py) touches its heartbeat as
# it polls; /healthz answers 503 when tasks wait and none was seen for this many seconds.
WORKER_HEARTBEAT_TIMEOUT = env_int("WORKER_HEARTBEAT_TIMEOUT", default=60, minimum=1)
# What the worker also does every WORKER_SWEEP_EVERY seconds between tasks (dotted paths).
WORKER_SWEEPS = ["boards.meetings.tasks.retry_stale_builds"]
WORKER_SWEEP_EVERY = env_int("WORKER_SWEEP_EVERY", default=60, minimum=1)

# One cache shared by every process (web workers, the pack worker, commands): the database's own,
# so it needs no other server. Its table is made by a migration (`createcachetable`).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "lc_cache",
    }
}
# The kept latest returns' index includes the colour for PostgreSQL's index-only scans; SQLite
# (development, tests) ignores the included column, which is all this warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Dashboard aggregates are cached until the data under them changes (`actionplans.freshness`);
# this bounds how long an unused one is kept. 0 turns the caching off.
AGGREGATE_CACHE_TIMEOUT = env_int("AGGREGATE_CACHE_TIMEOUT", default=3600, minimum=0)

# Dashboard PDFs are made while the reader waits: each client (signed-in user, or address) may
# ask for DASHBOARD_PDF_LIMIT every DASHBOARD_PDF_PERIOD seconds, and one holds at most
# DASHBOARD_PDF_MAX_ROWS table rows (leeds_communities/pdf_limits.py).
DASHBOARD_PDF_LIMIT = env_int("DASHBOARD_PDF_LIMIT", default=6, minimum=1)
DASHBOARD_PDF_PERIOD = env_int("DASHBOARD_PDF_PERIOD", default=60, minimum=1)
DASHBOARD_PDF_MAX_ROWS = env_int("DASHBOARD_PDF_MAX_ROWS", default=200, minimum=1)

ROOT_URLCONF = "leeds_communities.urls"

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
                "leeds_communities.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "leeds_communities.forms.GovukFormRenderer"

WSGI_APPLICATION = "leeds_communities.wsgi.application"

DATABASES = {
    "default": env_database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Optional read replica for read-only pages (see leeds_communities/replica.py).
if env_str("DATABASE_REPLICA_URL", default="-") != "-":
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", default="")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["leeds_communities.replica.ReplicaRouter"]
    MIDDLEWARE.append("leeds_communities.replica.ReplicaMiddleware")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded appendices and built packs (a shared volume when there are several app servers).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Evidence attached to a return (a PDF, an image, an Office document) may be at most this big.
RETURN_EVIDENCE_MAX_BYTES = env_int(
    "RETURN_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024, minimum=1024
)

# Signed-in sessions last a working day at most.
SESSION_COOKIE_AGE = int(datetime.timedelta(hours=8).total_seconds())

# Sign-in throttling: five failures for one username from one address locks that pair out for
# 15 minutes (not the username everywhere, which would let anyone lock a colleague out).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The proxies in front of the app (the load balancer: 1) that each append the address they saw
# to X-Forwarded-For. 0 trusts no header: the client is REMOTE_ADDR. Throttling and the audit log
# take the client's address from one place, leeds_communities.security.client_address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "leeds_communities.security.client_address"

# No inline script or style anywhere: scripts and styles come from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

DJANGO_TABLES2_TEMPLATE = "tables/govuk_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}

# Whether `make run` may create the demo accounts with their well-known passwords.
DEMO_ACCOUNTS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "leeds_communities.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
