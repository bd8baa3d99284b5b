# ruff: noqa: F811 - the dashboards' `city` fixture, imported, is the tests' argument
"""Dashboard PDFs are limited: a few per client a minute (then 429 with Retry-After), and a
bounded number of table rows (beyond it a page offering the CSV/XLSX export)."""

import datetime
import re

import pytest
from django.urls import reverse

from leeds_communities import ratelimit
from leeds_communities.models import RateLimitWindow
from tests.actionplans.test_dashboards import OUTPUTS_URL, Q3, _grow, city  # noqa: F401

pytestmark = pytest.mark.django_db

PDF = {**Q3, "format": "pdf"}


@pytest.fixture
def low_limit(settings, monkeypatch):
    settings.DASHBOARD_PDF_LIMIT = 2
    settings.DASHBOARD_PDF_PERIOD = 60
    # The windows are whole minutes of the clock: a test whose requests straddled the turn of a
    # minute would start a new window. The limiter's clock stands still, 15 s into a window.
    still = datetime.datetime(2026, 12, 1, 9, 30, 15, tzinfo=datetime.UTC)
    monkeypatch.setattr(ratelimit.timezone, "now", lambda: still)
    return settings


def test_a_client_over_the_limit_gets_429_with_retry_after(client, city, low_limit):
    for _ in range(2):
        response = client.get(OUTPUTS_URL, PDF)
        assert response["Content-Type"] == "application/pdf"
    refused = client.get(reverse("dashboards:index"), PDF)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    html = refused.content.decode()
    assert "You have asked for too many PDFs for now" in html
    assert f"Try again in {refused['Retry-After']} second" in html
    # The web page itself is never limited.
    assert client.get(OUTPUTS_URL, Q3).status_code == 200


def test_the_limit_is_per_client(client, city, low_limit, scrutiny_member):
    for _ in range(2):
        client.get(OUTPUTS_URL, PDF, REMOTE_ADDR="192.0.2.1")
    assert client.get(OUTPUTS_URL, PDF, REMOTE_ADDR="192.0.2.1").status_code == 429
    other = client.get(OUTPUTS_URL, PDF, REMOTE_ADDR="192.0.2.2")
    assert other["Content-Type"] == "application/pdf"
    # A signed-in reader counts as themself wherever they ask from.
    client.force_login(scrutiny_member)
    assert client.get(OUTPUTS_URL, PDF, REMOTE_ADDR="192.0.2.1")["Content-Type"] == (
        "application/pdf"
    )


def test_behind_the_proxy_each_client_has_its_own_limit(client, city, low_limit):
    low_limit.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(2):
        client.get(OUTPUTS_URL, PDF, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    blocked = client.get(OUTPUTS_URL, PDF, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert blocked.status_code == 429
    other = client.get(OUTPUTS_URL, PDF, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other["Content-Type"] == "application/pdf"


def test_the_window_ends_and_the_client_may_ask_again():
    start = datetime.datetime(2027, 1, 4, 9, 0, 0, tzinfo=datetime.UTC)
    for second in range(3):
        assert (
            ratelimit.hit("k", limit=3, period=60, now=start + datetime.timedelta(seconds=second))
            is None
        )
    wait = ratelimit.hit("k", limit=3, period=60, now=start + datetime.timedelta(seconds=15))
    assert wait == 45
    assert (
        ratelimit.hit("k", limit=3, period=60, now=start + datetime.timedelta(seconds=61)) is None
    )
    # Windows a day old are forgotten when a new one opens.
    ratelimit.hit("k", limit=3, period=60, now=start + datetime.timedelta(days=2))
    assert RateLimitWindow.objects.count() == 1


def test_a_pdf_of_too_many_rows_is_refused_with_the_exports_offered(
    client,
    city,
    settings,
):
    settings.DASHBOARD_PDF_MAX_ROWS = 50
    _grow(city, 60)
    response = client.get(OUTPUTS_URL, PDF)
    assert response.status_code == 422
    html = response.content.decode()
    assert "This PDF would be too long" in html
    rows = int(re.search(r'id="pdf-rows">(\d+)<', html).group(1))
    assert rows > 50
    assert "_export=csv" in html and "_export=xlsx" in html
    assert "format=pdf" not in html
    csv = client.get(OUTPUTS_URL, {**Q3, "_export": "csv"})
    body = b"".join(csv.streaming_content) if csv.streaming else csv.content
    assert csv.status_code == 200 and body.decode().count("\n") > 60
    # A narrower selection prints.
    narrow = client.get(OUTPUTS_URL, {**PDF, "status": "RED"})
    assert narrow["Content-Type"] == "application/pdf"
    settings.DASHBOARD_PDF_MAX_ROWS = 200
    assert client.get(OUTPUTS_URL, PDF)["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    "name", ["dashboards:index", "dashboards:trend", "dashboards:exceptions", "dashboards:outputs"]
)
def test_every_dashboard_pdf_is_limited(client, city, low_limit, name):
    for _ in range(2):
        client.get(reverse(name), PDF)
    assert client.get(reverse(name), PDF).status_code == 429


def test_the_count_is_kept_on_the_primary_even_where_pages_read_the_replica(settings):
    from leeds_communities import replica

    # No replica is configured here, so reading from it would fail loudly.
    settings.DATABASE_ROUTERS = ["leeds_communities.replica.ReplicaRouter"]
    token = replica._use_replica.set(True)
    try:
        assert ratelimit.hit("replica-page", limit=1, period=60) is None
        assert ratelimit.hit("replica-page", limit=1, period=60) is not None
    finally:
        replica._use_replica.reset(token)
