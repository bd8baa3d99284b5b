"""Development on a laptop: `make run`. Safe defaults, so a fresh clone needs no configuration."""

import os

os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from .base import *  # noqa: E402,F403

DEMO_ACCOUNTS = True

# Reminder e-mails are printed to the terminal, never sent, on a developer's machine.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "Leeds Communities <governance-support@localhost>"
