"""Reading action plans in a real browser: the plans index filtered with and without JavaScript,
the Leeds Regeneration Plan's Q3 2006/07 summary (seed 003) and a plan's status matrix, with
axe-core run on every page."""

import re

import pytest
from playwright.sync_api import expect

from actionplans.demo import load_action_plans
from actionplans.narrative import load_narrative_reports
from boards.demo import load_boards

SUMMARY = "/actionplans/summary/?programme=leeds-regeneration-plan-20052008&year=2006/07&quarter=3"


@pytest.fixture
def demo(transactional_db):
    load_boards()
    load_action_plans()
    load_narrative_reports()


def _rows(page):
    return page.locator("#summary-table tbody tr")


def test_reading_the_summary_and_a_plan(page, demo, axe_check):
    page.goto("/actionplans/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plans")
    axe_check(page)

    # The programme's summary link opens seed 003's table.
    page.get_by_role(
        "link", name="Summary progress table for Leeds Regeneration Plan 2005–2008"
    ).click()
    expect(page).to_have_url(re.compile(r"/actionplans/summary/\?programme=leeds-regeneration"))
    expect(page.locator("#summary-table caption")).to_contain_text(
        "Quarter 3 2006/07 – Leeds Regeneration Plan 2005–2008"
    )
    expect(_rows(page).locator("th")).to_have_text(
        [
            re.compile(r"^East"),
            re.compile(r"^North East"),
            re.compile(r"^North West"),
            re.compile(r"^South"),
            re.compile(r"^West"),
            "All district plans",
            re.compile(r"^City-wide"),
            "Total",
        ]
    )
    expect(_rows(page).last.locator("td")).to_have_text(
        ["582", "438", "75", "53", "9", "8", "1", "42", "7", "41", "7"]
    )
    expect(page.locator("#illustrative-notice")).to_be_visible()
    axe_check(page)

    # A plan from the table, at the same quarter.
    _rows(page).nth(1).get_by_role("link", name="North East").click()
    expect(page).to_have_url(re.compile(r"/plans/north-east-district-partnership-action-plan/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "North East District Partnership Action Plan"
    )
    expect(page.locator("#illustrative-notice")).to_be_visible()
    expect(page.locator("#id_quarter")).to_have_value("3")
    counts = page.locator("#status-counts tbody td")
    expect(counts).to_have_text(["82", "3", "0", "5", "1"])
    matrix = page.locator("table.lc-matrix")
    # Q4 is open: the public sees the published quarters only.
    expect(matrix.locator("thead th")).to_have_text(
        ["Output", "Q1 2006/07", "Q2 2006/07", "Q3 2006/07"]
    )
    expect(matrix.locator("tbody tr")).to_have_count(91)
    axe_check(page)

    # Another quarter, chosen with the form.
    page.locator("#id_quarter").select_option("2")
    page.get_by_role("button", name="Show status").click()
    expect(page).to_have_url(re.compile(r"quarter=2"))
    expect(
        page.get_by_role("heading", name="Status at the end of Quarter 2 2006/07")
    ).to_be_visible()

    # A bad choice on the summary is explained, not an error page.
    page.goto("/actionplans/summary/?programme=no-such&year=2006/07&quarter=3")
    expect(page.locator(".govuk-error-summary")).to_contain_text("no such programme")
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe_check(page)


def test_filtering_the_plans_with_javascript(page, demo, axe_check):
    page.goto("/actionplans/")
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__marker = 1; }")
    with page.expect_response(lambda r: "scope=district" in r.url) as response_info:
        page.locator("#id_scope").select_option(label="District")
    assert response_info.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"[?&]scope=district(&|$)"))
    expect(page.locator("#plan-results tbody tr")).to_have_count(5)
    assert page.evaluate("() => window.__marker") == 1, "the filter reloaded the whole page"
    axe_check(page)

    page.get_by_role("link", name="Communities Board: 2014/15 performance report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2014/15 PERFORMANCE REPORTING")
    expect(page.locator("table.lc-narrative tbody tr").first).to_contain_text("Locality Projects")
    axe_check(page)


def test_filtering_the_plans_without_javascript(js_disabled_page, demo):
    page = js_disabled_page
    page.goto("/actionplans/")
    page.locator("#id_q").fill("Strong and Resilient")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]q=Strong"))
    expect(page.locator("#plan-results tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Strong and Resilient Communities project").click()
    expect(page.locator("main")).to_contain_text(
        "Instil a sense of belonging and pride in being a citizen of Leeds"
    )
    expect(page.locator("#no-quarters")).to_be_visible()
