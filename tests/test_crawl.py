"""Follow every link from the home page, over the whole demo data, as the public and as
governance support: no page may fail, and exempt text never reaches the public."""

import io

import pytest
from django.core.management import call_command

from boards.meetings.models import Appendix
from tests.actionplans.evidence_files import attach_probe_evidence
from tests.crawl import SECTIONS, crawl
from tests.test_publication import PROBE, asked_exports, record_probe_in_open_quarter


@pytest.fixture
def demo(db):
    call_command("load_demo_data", stdout=io.StringIO())


def test_the_public_can_follow_every_link_without_an_error(client, demo, governance_support):
    """Also the publication walk: the open quarter's return (its probe commentary) appears on no
    page, export or PDF the public can reach, nor on those that name the open quarter."""
    quarter, output = record_probe_in_open_quarter(governance_support)
    # Evidence too: a public file of the open quarter and a private one are never reached.
    evidence = attach_probe_evidence(governance_support, output, PROBE)
    start = ["/", *asked_exports(quarter, output), *evidence]
    seen, failures, bodies = crawl(client, start=start, downloads=True)
    assert "Published evidence.pdf" in bodies[evidence[4]], "public evidence is listed"
    assert len(seen) > 100, "the crawl should reach every section"
    assert any(url.endswith("_export=csv") for url in bodies), "exports were read"
    assert any("format=pdf" in url for url in bodies), "PDFs were read"
    assert [url for url, text in bodies.items() if PROBE in text] == []
    for section in SECTIONS:
        assert any(url.startswith(section) for url in seen), section
    assert failures == [(evidence[1], 404), (evidence[3], 404)]
    exempt = [a.body for a in Appendix.objects.filter(is_exempt=True) if a.body]
    assert exempt, "the demo data has an exempt appendix to look for"
    for url, html in bodies.items():
        for text in exempt:
            assert text[:60] not in html, f"exempt text on {url}"


def test_governance_support_can_follow_every_link_without_an_error(
    client, demo, governance_support
):
    client.force_login(governance_support)
    seen, failures, _ = crawl(client)
    assert len(seen) > 100
    assert failures == []
