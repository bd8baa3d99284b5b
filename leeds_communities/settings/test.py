"""The test suite: fast hashing, SQLite unless DATABASE_URL says PostgreSQL."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_ACCOUNTS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Throttling counts failed sign-ins across tests; its own tests turn it back on.
AXES_ENABLED = False

# Tasks run at once, inside the request or command that enqueues them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Query counts are pinned with the aggregate cache off; tests of the cache turn it on.
AGGREGATE_CACHE_TIMEOUT = 0

# The crawls read every PDF they reach; the limit's own tests set it low again.
DASHBOARD_PDF_LIMIT = 10_000
