"""Production: every secret from the environment; HTTPS only."""

from leeds_communities.env import check_secret_key, env_bool, env_int, env_list, env_str
from leeds_communities.static_headers import add_static_headers

from .base import *  # noqa: F403

SECRET_KEY = check_secret_key("SECRET_KEY", SECRET_KEY)  # noqa: F405

if DEBUG:  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DEBUG must be false in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set ALLOWED_HOSTS in production.")

MIDDLEWARE = [
    MIDDLEWARE[0],  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_ADD_HEADERS_FUNCTION = add_static_headers

# Persistent connections, checked before reuse, so the app recovers by itself when PostgreSQL
# restarts.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer asks over plain HTTP whether this server is up.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Only `make loadtest`, which speaks plain HTTP to 127.0.0.1, turns these off.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DEMO_ACCOUNTS = False

AUTH_PASSWORD_VALIDATORS[1] = {  # noqa: F405
    "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
    "OPTIONS": {"min_length": 12},
}

# One JSON object a line, for the log collector.
LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405

# Reminders to lead agencies go out through the council's mail relay.
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="-").removeprefix("-")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="-").removeprefix("-")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", default="Leeds Communities <governance-support@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
