"""Settings come from the environment, fail loudly on bad values, and pass the deploy check."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from leeds_communities.env import check_secret_key, env_bool, env_database, env_int, env_list

BASE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_passes_the_deploy_check_in_production():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="leeds_communities.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="communities.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_debug():
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="leeds_communities.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="communities.example.org",
        DEBUG="true",
    )
    assert result.returncode != 0
    assert "DEBUG must be false in production" in result.stderr


def test_production_requires_a_secret_key():
    env = {"DJANGO_SETTINGS_MODULE": "leeds_communities.settings.production"}
    result = _manage("check", **env, ALLOWED_HOSTS="communities.example.org", SECRET_KEY="")
    assert result.returncode != 0


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("short-but-random-Zq8", "is 20 characters long"),
        ("changeme", "is 8 characters long"),
        ("test-only-not-secret", "is 20 characters long"),
        ("changeme" * 7, "looks like a placeholder"),
        ("local-development-only-not-secret-" + "a1B2c3D4e5F6g7H8", "looks like a placeholder"),
        ("django-insecure-" + "k" * 40, "looks like a placeholder"),
        ("ab" * 30, "looks like a placeholder"),
    ],
)
def test_production_refuses_a_weak_secret_key_without_repeating_it(key, message):
    with pytest.raises(ImproperlyConfigured, match=message) as refused:
        check_secret_key("SECRET_KEY", key)
    assert key not in str(refused.value)


def test_a_long_random_secret_key_is_accepted():
    key = secrets.token_urlsafe(50)
    assert check_secret_key("SECRET_KEY", key) == key


@pytest.mark.parametrize("key", ["changeme", "secret", "test-only-not-secret", "x" * 49])
def test_production_does_not_start_with_a_short_or_placeholder_secret_key(key):
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="leeds_communities.settings.production",
        SECRET_KEY=key,
        ALLOWED_HOSTS="communities.example.org",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY" in result.stderr


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please"])
def test_a_bad_boolean_fails_loudly(monkeypatch, raw):
    monkeypatch.setenv("DEBUG", raw)
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env_bool("DEBUG", default=False)


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("False", False), ("0", False)])
def test_booleans_parse(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert env_bool("DEBUG", default=not expected) is expected


def test_an_empty_host_list_fails_loudly(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " , ")
    with pytest.raises(ImproperlyConfigured):
        env_list("ALLOWED_HOSTS", default=[])


def test_a_database_url_of_another_kind_fails_loudly(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/db")
    with pytest.raises(ImproperlyConfigured, match="postgres"):
        env_database("DATABASE_URL", default="sqlite:///x.sqlite3")


def test_postgres_urls_parse(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://root@127.0.0.1:5432/leeds")
    config = env_database("DATABASE_URL", default="sqlite:///x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "leeds"


def test_a_malformed_number_fails_loudly(monkeypatch):
    from leeds_communities.env import env_int

    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(
        ImproperlyConfigured, match="EMAIL_PORT='twenty-five' is not a whole number"
    ):
        env_int("EMAIL_PORT", default=25)
    monkeypatch.delenv("EMAIL_PORT")
    assert env_int("EMAIL_PORT", default=25) == 25


@pytest.mark.parametrize("raw", ["-1", "one", "1.5"])
def test_a_bad_proxy_count_fails_loudly(monkeypatch, raw):
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", raw)
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT"):
        env_int("TRUSTED_PROXY_COUNT", default=0, minimum=0)
