"""Follow every link from the home page, over the whole demo data, as the public and as
governance support: no page may fail, and exempt text never reaches the public."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command

from boards.models import Appendix

MAX_PAGES = 400
SECTIONS = [
    "/boards/",
    "/actionplans/",
    "/dashboards/",
    "/meetings/",
    "/reports/",
    "/neighbourhoods/",
]
# Downloads and feeds are checked for their status only; their links are not followed.
NOT_HTML = re.compile(r"(\.pdf|\.ics|_export=|format=(csv|pdf))")
# Long generated lists would spend the budget on one section: sample their pages.
SKIP = re.compile(r"(\?|&)(page|sort)=|/admin/|/accounts/logout/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


@pytest.fixture
def demo(db):
    call_command("load_demo_data", stdout=io.StringIO())


def _crawl(client):
    seen, queue, failures = set(), ["/"], []
    bodies = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500 or response.status_code == 404:
            failures.append((url, response.status_code))
            continue
        content_type = response.get("Content-Type", "")
        if NOT_HTML.search(url) or not content_type.startswith("text/html"):
            continue
        html = response.content.decode()
        bodies[url] = html
        parser = _Links()
        parser.feed(html)
        for href in parser.links:
            target = urldefrag(urljoin(url, href))[0]
            parts = urlsplit(target)
            if parts.netloc or parts.scheme not in ("", "http") or SKIP.search(target):
                continue
            if target not in seen:
                queue.append(target)
    return seen, failures, bodies


def test_the_public_can_follow_every_link_without_an_error(client, demo):
    seen, failures, bodies = _crawl(client)
    assert len(seen) > 100, "the crawl should reach every section"
    for section in SECTIONS:
        assert any(url.startswith(section) for url in seen), section
    assert failures == []
    exempt = [a.body for a in Appendix.objects.filter(is_exempt=True) if a.body]
    assert exempt, "the demo data has an exempt appendix to look for"
    for url, html in bodies.items():
        for text in exempt:
            assert text[:60] not in html, f"exempt text on {url}"


def test_governance_support_can_follow_every_link_without_an_error(
    client, demo, governance_support
):
    client.force_login(governance_support)
    seen, failures, _ = _crawl(client)
    assert len(seen) > 100
    assert failures == []
