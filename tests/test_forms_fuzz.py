"""Every POST form governance support can reach, filled with hostile values: never a 500, and a
refused submission (anything but a redirect) writes nothing.

The forms are found by crawling the demo data, so a form added later is fuzzed without anyone
listing it here.
"""

import io
import random
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import Resolver404, resolve

from leeds_communities.security import SECURITY_ACTIONS
from tests.crawl import crawl
from tests.test_hostile_input import HOSTILE, SCRIPT

ATTEMPTS = 12
# The crawl must at least find these (it finds every form reachable by links).
EXPECTED = {
    "actionplans:output_update",
    "actionplans:import_outputs",
    "actionplans:returns_remind",
    "meetings:meeting_update",
    "meetings:agenda_item_create",
    "meetings:decision_edit",
    "meetings:meeting_record_update",
    "meetings:action_track",
    "meetings:report_update",
    "meetings:appendix_create",
    "neighbourhoods:priority_lsoas",
}
# Signing out would end the crawl's session; the rest are fuzzed.
LEAVE_ALONE = {"logout"}
HTMX = {"HX-Request": "true"}


class _Forms(HTMLParser):
    """POST forms with their action and the names and kinds of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": {}}
        elif self._current is not None and tag in ("input", "select", "textarea"):
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken":
                kind = attrs.get("type", tag) if tag == "input" else tag
                self._current["fields"].setdefault(name, kind)

    def handle_endtag(self, tag):
        if tag == "form" and self._current is not None:
            self.forms.append(self._current)
            self._current = None


def _row_counts():
    """Rows in every table of the project's apps, leaving out the security trail."""
    counts = {}
    for config in apps.get_app_configs():
        if config.label not in {
            "boards",
            "actionplans",
            "neighbourhoods",
            "meetings",
            "leeds_communities",
        }:
            continue
        for model in config.get_models():
            queryset = model.objects.all()
            if model.__name__ == "AuditEvent":
                queryset = queryset.exclude(action__in=SECURITY_ACTIONS)
            counts[model.__name__] = queryset.count()
    return counts


def _value(rng, kind):
    if kind == "file":
        name = rng.choice(["x.csv", "x.pdf", "../../x.pdf", "x" * 300])
        body = rng.choice([b"", b"%PDF-1.4\n", b"\x00\xff" * 50, SCRIPT.encode(), b"a,b\n1,2\n"])
        return SimpleUploadedFile(name, body, content_type=rng.choice(["text/csv", "image/png"]))
    return rng.choice(HOSTILE + [str(rng.randint(-5, 10**6)), "2013-05-24", "on"]).replace(
        "\x00", ""
    )


@pytest.fixture
def demo(db):
    call_command("load_demo_data", stdout=io.StringIO())


def test_every_form_refuses_hostile_input_without_an_error_or_a_write(
    client, demo, governance_support
):
    client.force_login(governance_support)
    _, failures, bodies = crawl(client)
    assert failures == []
    forms = {}
    for url, html in bodies.items():
        parser = _Forms()
        parser.feed(html)
        for form in parser.forms:
            action = urljoin(url, form["action"] or url)
            try:
                match = resolve(urlsplit(action).path)
            except Resolver404:
                continue
            if match.url_name not in LEAVE_ALONE:
                forms.setdefault(match.view_name, (url, action, form["fields"]))
    assert set(forms) >= EXPECTED, sorted(EXPECTED - set(forms))

    rng = random.Random(20070401)  # noqa: S311 - test data
    for view_name, (page, action, fields) in sorted(forms.items()):
        # Any page may be asked for by htmx, whether or not it expects to be.
        for url in {page, action}:
            response = client.get(url, headers=HTMX)
            assert response.status_code < 500, (view_name, url, "htmx")
        for attempt in range(ATTEMPTS):
            htmx = attempt % 3 == 2
            data = {name: _value(rng, kind) for name, kind in fields.items()}
            before = _row_counts()
            response = client.post(action, data, headers=HTMX if htmx else {})
            assert response.status_code < 500, (view_name, data, htmx)
            if response.get("Content-Type", "").startswith("text/html"):
                assert SCRIPT not in response.content.decode(errors="replace"), view_name
            # htmx is told of a success with a 200 fragment, so only a plain POST shows a refusal.
            if response.status_code != 302 and not htmx:
                assert _row_counts() == before, (view_name, response.status_code, data)
            client.force_login(governance_support)  # a form may have ended the session
