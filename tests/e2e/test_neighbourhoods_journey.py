"""Neighbourhoods in a real browser: the map (keyboard to an LSOA's profile), the LSOA table
with and without JavaScript, and governance support choosing a neighbourhood's LSOAs, with
axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from neighbourhoods.data import import_neighbourhood_data, seed_priority_neighbourhoods
from neighbourhoods.models import PriorityNeighbourhood


@pytest.fixture
def leeds(transactional_db):
    import_neighbourhood_data()
    seed_priority_neighbourhoods()


@pytest.fixture
def e2e_user(governance_support):
    return governance_support


def test_the_map_leads_to_an_lsoa_profile(page, leeds, axe_check):
    page.goto("/neighbourhoods/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neighbourhoods")
    axe_check(page)

    page.get_by_role("link", name="Map of Leeds by deprivation decile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Map of Leeds by deprivation")
    areas = page.locator("svg.lc-map__svg a")
    expect(areas).to_have_count(482)
    axe_check(page)

    # A keyboard user reaches an area by its accessible name and follows it.
    area = page.get_by_role("link", name=re.compile(r"^Leeds 011A \(E01011264\)"))
    area.focus()
    expect(area).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/neighbourhoods/lsoas/E01011264/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Leeds 011A")
    expect(page.locator("main")).to_contain_text("IMD 2019: rank 13,915 of 32,844, decile 5.")
    expect(page.locator("svg.lc-map__svg")).to_be_visible()
    axe_check(page)

    # Another domain, chosen with the form.
    page.goto("/neighbourhoods/map/")
    page.locator("#map-domain").select_option(label="Crime")
    page.get_by_role("button", name="Show on the map").click()
    expect(page).to_have_url(re.compile(r"domain=crime"))
    expect(page.locator("#map-title")).to_have_text("Leeds LSOAs by Crime 2019 decile")


def test_the_lsoa_table_filters_in_place(page, leeds, axe_check):
    page.goto("/neighbourhoods/lsoas/")
    expect(page.locator("#lsoa-results caption")).to_contain_text("482 results")
    axe_check(page)
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__marker = 1; }")
    with page.expect_response(lambda r: "ward=burmantofts-richmond-hill" in r.url):
        page.locator("#id_ward").select_option(label="Burmantofts & Richmond Hill")
    expect(page.locator("#lsoa-results caption")).to_contain_text("14 results")
    assert page.evaluate("() => window.__marker") == 1, "the filter reloaded the whole page"
    axe_check(page)


def test_the_lsoa_table_filters_without_javascript(js_disabled_page, leeds):
    page = js_disabled_page
    page.goto("/neighbourhoods/lsoas/")
    page.locator("#id_imd_decile").select_option("1")
    page.locator("#id_edition").select_option("2015")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"imd_decile=1"))
    expect(page.locator("#lsoa-results caption")).to_contain_text("105 results")


def test_governance_support_chooses_a_neighbourhoods_lsoas(signed_in_page, leeds, axe_check):
    page = signed_in_page
    page.goto("/neighbourhoods/priority/new-wortley/")
    expect(page.locator("main")).to_contain_text("Boundary not yet defined")
    axe_check(page)
    page.get_by_role("link", name="Choose its LSOAs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose the LSOAs of New Wortley")
    axe_check(page)
    page.locator("summary", has_text="Armley").click()
    page.locator("details", has_text="Armley").locator("input[type=checkbox]").first.check()
    page.get_by_role("button", name="Save the LSOAs").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods/priority/new-wortley/$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "New Wortley now has 1 LSOA."
    )
    expect(page.locator("svg.lc-map__svg")).to_be_visible()
    axe_check(page)
    assert PriorityNeighbourhood.objects.get(slug="new-wortley").lsoas.count() == 1
