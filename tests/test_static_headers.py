"""Static files served by WhiteNoise, as in production (hashed, compressed names from
collectstatic), carry the same no-sniffing and referrer headers as the pages."""

import json
import secrets

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from leeds_communities.static_headers import add_static_headers


@pytest.fixture
def collected(tmp_path):
    """Production's static storage and middleware order, over a small collected tree."""
    source = tmp_path / "source" / "css"
    source.mkdir(parents=True)
    (source / "app.css").write_text("body { color: #0b0c0c; }\n" * 50)
    root = tmp_path / "staticfiles"
    production = {
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        "STATICFILES_DIRS": [tmp_path / "source"],
        "INSTALLED_APPS": [a for a in settings.INSTALLED_APPS if a != "django.contrib.admin"],
        "STATIC_ROOT": root,
        "MIDDLEWARE": [
            settings.MIDDLEWARE[0],
            "whitenoise.middleware.WhiteNoiseMiddleware",
            *settings.MIDDLEWARE[1:],
        ],
        "WHITENOISE_ADD_HEADERS_FUNCTION": add_static_headers,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
    }
    with override_settings(**production):
        call_command("collectstatic", "--noinput", "-v", "0")
        manifest = json.loads((root / "staticfiles.json").read_text())
        yield "/static/" + manifest["paths"]["css/app.css"]


def test_a_static_file_says_nosniff_and_the_referrer_policy(client, collected):
    response = client.get(collected, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_whitenoise_itself_adds_them_wherever_it_sits_among_the_middleware(collected):
    # Ahead of Django's SecurityMiddleware (or in front of the whole app), nothing else would.
    whitenoise = WhiteNoiseMiddleware(get_response=lambda request: HttpResponse("page"))
    response = whitenoise(RequestFactory().get(collected))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Cross-Origin-Opener-Policy" not in response


def test_production_serves_static_files_with_these_headers():
    from tests.test_settings import _manage

    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; f = settings.WHITENOISE_ADD_HEADERS_FUNCTION; "
        "print(f.__module__, f.__name__)",
        DJANGO_SETTINGS_MODULE="leeds_communities.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="communities.example.org",
    )
    assert result.stdout.split() == ["leeds_communities.static_headers", "add_static_headers"], (
        result.stderr
    )
