"""Environment variables that fail loudly on bad values."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name) or default
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is less than {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but lists nothing.")
    return items


def env_database(name: str, default: str) -> dict:
    import dj_database_url

    raw = os.environ.get(name) or default
    if not raw.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"{name} must be a postgres:// or sqlite:// URL, not {raw.split(':', 1)[0]!r}."
        )
    try:
        return dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from exc


# Words of the keys people leave in place: examples, the local and test settings' own keys.
_PLACEHOLDER_WORDS = ("changeme", "change-me", "change_me", "secret", "placeholder", "insecure")
_MAKE_ONE = "Make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def check_secret_key(name: str, value: str) -> str:
    """A production secret: at least 50 characters, varied, and no placeholder. The message
    never repeats the value."""
    if len(value) < 50:
        raise ImproperlyConfigured(
            f"{name} is {len(value)} characters long; use at least 50 random ones. {_MAKE_ONE}"
        )
    lowered = value.lower()
    if len(set(value)) < 5 or any(word in lowered for word in _PLACEHOLDER_WORDS):
        raise ImproperlyConfigured(
            f"{name} looks like a placeholder, not a random secret. {_MAKE_ONE}"
        )
    return value
