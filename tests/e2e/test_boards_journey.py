"""The boards register in a real browser: signing in, filtering with and without JavaScript,
following a board to its terms of reference and the partnership structure, with axe-core run on
every page along the way."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from boards.models import Board, Membership, TermsOfReference
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TermsFactory,
    TermsSectionFactory,
)

COMMITTEES = [
    f"{area} Community Committee"
    for area in (
        "Inner East",
        "Inner North East",
        "Inner North West",
        "Inner South",
        "Inner West",
        "Outer East",
        "Outer North East",
        "Outer North West",
        "Outer South",
        "Outer West",
    )
]
PARTNERSHIPS = [f"Board {n:03d}" for n in range(1, 16)]
CHAIR_NAME = "Councillor Ruth Ashworth"
CHAIR_TITLE = "Executive Member for Communities"
BOARD_COUNT = 1 + len(COMMITTEES) + len(PARTNERSHIPS) + 3  # plus the three below


@pytest.fixture
def register(transactional_db):
    """About thirty boards: the Communities Board with its chair and agreed terms, ten community
    committees reporting to it, and a spread of partnerships (one disbanded, one too new for the
    2013 structure)."""
    council = OrganisationFactory(name="Leeds City Council")
    communities = BoardFactory(
        name="Communities Board",
        kind=Board.Kind.STRATEGIC_PARTNERSHIP_BOARD,
        remit="Leads the city's work on strong, safe and cohesive communities.",
    )
    chair = PersonFactory(name=CHAIR_NAME, job_title=CHAIR_TITLE, organisation=council)
    MembershipFactory(
        board=communities,
        person=chair,
        role=Membership.Role.CHAIR,
        start=datetime.date(2011, 1, 1),
    )
    MembershipFactory(board=communities, person=PersonFactory(name="Sam Patel"))
    terms = TermsFactory(
        board=communities,
        version=1,
        title="Communities Board terms of reference",
        status=TermsOfReference.Status.AGREED,
    )
    TermsSectionFactory(terms=terms, order=1, heading="Purpose", body="To lead the work.")
    TermsSectionFactory(terms=terms, order=2, heading="Meetings", body="Quarterly.")
    for name in COMMITTEES:
        BoardFactory(
            name=name,
            kind=Board.Kind.COMMUNITY_COMMITTEE,
            reports_to=communities,
            remit="Local decisions on local services and the wellbeing budget.",
        )
    for name in PARTNERSHIPS:
        BoardFactory(name=name, kind=Board.Kind.PARTNERSHIP)
    BoardFactory(
        name="Safer Leeds Partnership",
        kind=Board.Kind.COMMUNITY_SAFETY_PARTNERSHIP,
        remit="Reduces crime and the fear of crime.",
    )
    BoardFactory(
        name="Neighbourhood Renewal Partnership",
        kind=Board.Kind.PARTNERSHIP,
        status=Board.Status.DISBANDED,
        established=datetime.date(2005, 4, 1),
        disbanded=datetime.date(2012, 3, 31),
    )
    BoardFactory(
        name="Cohesion Network",
        kind=Board.Kind.NETWORK,
        established=datetime.date(2016, 9, 1),
    )
    assert Board.objects.count() == BOARD_COUNT
    return communities


def results_rows(page):
    return page.locator("#board-results table.govuk-table tbody tr")


def results_names(page):
    return page.locator("#board-results table.govuk-table tbody td:first-child a")


def test_login_page_is_accessible_and_explains_a_wrong_password(page, scrutiny_member, axe_check):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    axe_check(page)

    page.locator("#id_username").fill(scrutiny_member.username)
    page.locator("#id_password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    expect(summary).to_be_focused()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    axe_check(page)


def test_boards_journey(signed_in_page, e2e_user, register, axe_check):
    page = signed_in_page
    expect(page.locator("header")).to_contain_text(e2e_user.get_full_name())
    expect(page.locator("header")).to_contain_text("Scrutiny member")

    # The register, unfiltered: the first page of 25.
    page.goto("/boards/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Boards register")
    expect(results_rows(page)).to_have_count(25)
    expect(page.locator("#board-results caption")).to_contain_text(f"{BOARD_COUNT} results")
    axe_check(page)

    # Filter with JavaScript: htmx swaps the results in place and pushes the URL.
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__marker = 1; }")
    with page.expect_response(lambda r: "kind=community_committee" in r.url) as response_info:
        page.locator("#id_kind").select_option(label="Community Committee")
    response = response_info.value
    assert response.ok
    assert response.request.headers.get("hx-request") == "true"

    expect(page).to_have_url(re.compile(r"[?&]kind=community_committee(&|$)"))
    expect(results_rows(page)).to_have_count(len(COMMITTEES))
    assert sorted(results_names(page).all_inner_texts()) == sorted(COMMITTEES)
    expect(page.locator("#board-results tbody td:nth-child(2)")).to_have_text(
        ["Community Committee"] * len(COMMITTEES)
    )
    expect(page.locator("#board-results caption")).to_contain_text(f"{len(COMMITTEES)} results")
    assert page.evaluate("() => window.__marker") == 1, "the filter reloaded the whole page"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("#id_kind")).to_have_value("community_committee")
    axe_check(page)

    # Open a board from the register.
    page.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(re.compile(r"/boards/$"))
    expect(results_rows(page)).to_have_count(25)
    results_names(page).filter(has_text=re.compile(r"^Communities Board$")).click()
    expect(page).to_have_url(re.compile(r"/boards/communities-board/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Communities Board")
    chair_row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(r"^Chair$"))
    )
    expect(chair_row.locator("dd")).to_have_text(f"{CHAIR_NAME}, {CHAIR_TITLE}")
    expect(page.locator("#members ~ ul").first).to_contain_text(CHAIR_NAME)
    axe_check(page)

    # Its agreed terms of reference.
    page.get_by_role("link", name="version 1, Communities Board terms of reference").click()
    expect(page).to_have_url(re.compile(r"/boards/communities-board/terms/1/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Communities Board terms of reference"
    )
    expect(page.locator("main").get_by_role("heading", level=2)).to_have_text(
        ["1. Purpose", "2. Meetings"]
    )
    axe_check(page)

    # The partnership structure as it stood on 1 June 2013.
    page.goto("/boards/structure/?on=2013-06-01")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Partnership structure on 1 June 2013"
    )
    tree = page.locator("ul.lc-tree")
    communities = tree.locator(":scope > li").filter(
        has=page.get_by_role("link", name="Communities Board", exact=True)
    )
    expect(communities).to_contain_text(f"chair: {CHAIR_NAME}")
    expect(communities.locator("ul > li > a")).to_have_count(len(COMMITTEES))
    expect(tree.get_by_role("link", name="Cohesion Network")).to_have_count(0)
    expect(tree.get_by_role("link", name="Neighbourhood Renewal Partnership")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(f"{BOARD_COUNT - 2} boards existed on this date")
    axe_check(page)


def test_filter_the_register_without_javascript(js_disabled_page, register, axe_check):
    page = js_disabled_page
    page.goto("/boards/")
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    expect(results_rows(page)).to_have_count(25)

    page.locator("#id_q").fill("safer")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"/boards/\?q=safer(&|$)"))
    expect(page.locator("#id_q")).to_have_value("safer")
    expect(results_names(page)).to_have_text(["Safer Leeds Partnership"])
    expect(page.locator("#board-results caption")).to_contain_text("1 result")
