"""A scrutiny member in a real browser: open the dashboard, drill into a number, filter in place,
export and print; and the same filters without JavaScript. axe-core runs on every page."""

import re

import pytest
from playwright.sync_api import expect

from actionplans.demo import load_action_plans
from boards.demo import load_boards

DASHBOARD = "/dashboards/?year=2006/07&quarter=3"


@pytest.fixture
def demo(transactional_db):
    load_boards()
    load_action_plans()


def test_scrutiny_members_journey(signed_in_page, demo, axe_check):
    page = signed_in_page
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Dashboards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboards")
    expect(page.locator("#dashboard-body")).to_contain_text("Quarter 3 2006/07")
    expect(page.locator("#overall")).to_have_text("All outputs in this selection: 582")
    expect(page.locator("svg.lc-chart__svg desc").first).to_contain_text("582 outputs")
    axe_check(page)

    # Drill into the city-wide plan's red outputs from the table beside the chart.
    plan_table = page.locator(
        "#panel-plan ~ .lc-table-wrapper table, section:has(#panel-plan) table"
    )
    row = plan_table.locator("tr", has=page.get_by_role("link", name="City-wide Action Plan"))
    red_link = row.get_by_role("link", name=re.compile(r" red in City-wide Action Plan$"))
    expected = int(red_link.inner_text().split()[0])
    red_link.click()
    expect(page).to_have_url(re.compile(r"/dashboards/outputs/\?.*status=RED"))
    expect(page.locator("#dashboard-body tbody tr")).to_have_count(expected)
    expect(page.locator("#dashboard-body tbody")).not_to_contain_text("Green")
    axe_check(page)

    # Widen to every status, then narrow by lead agency in place (htmx), keeping the plan.
    page.evaluate("() => { window.__marker = 1; }")
    with page.expect_response(lambda r: "lead_agency=" in r.url):
        page.locator("#id_status").select_option("")
        page.locator("#id_lead_agency").select_option(label="West Yorkshire Police")
    expect(page).to_have_url(re.compile(r"lead_agency=west-yorkshire-police"))
    expect(page.locator("#dashboard-body tbody tr").first).to_contain_text("West Yorkshire Police")
    assert page.evaluate("() => window.__marker") == 1, "the filter reloaded the whole page"
    axe_check(page)

    # Export exactly these rows.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^CSV")).click()
    csv_text = download_info.value.path().read_text(encoding="utf-8")
    shown = page.locator("#dashboard-body caption .govuk-caption-m").inner_text()
    assert len(csv_text.strip().splitlines()) - 1 == int(shown.split()[0])
    assert "West Yorkshire Police" in csv_text

    # Print: the same view as a PDF.
    pdf_href = page.get_by_role("link", name=re.compile(r"^Print as PDF")).get_attribute("href")
    assert "lead_agency=west-yorkshire-police" in pdf_href
    response = page.request.get(pdf_href)
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_the_dashboard_filters_without_javascript(js_disabled_page, demo):
    page = js_disabled_page
    page.goto(DASHBOARD)
    page.locator("#id_scope").select_option(label="City-wide")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"scope=city_wide"))
    expect(page.locator("#overall")).to_have_text("All outputs in this selection: 164")
    # (axe-core needs JavaScript: the same page is checked with it in the journey above.)
