"""The chair's journey: open a meeting, read a report, download both packs; axe on each page."""

import re

import pytest
from playwright.sync_api import expect

from boards.models import Membership
from tests.factories import BoardFactory, MembershipFactory
from tests.meetings.conftest import EXEMPT_APPENDIX_TITLE, EXEMPT_REPORT_SUBJECT
from tests.meetings.factories import (
    AgendaItemFactory,
    AppendixFactory,
    ExemptReportFactory,
    MeetingFactory,
    RecommendationFactory,
    ReportFactory,
    ReportSectionFactory,
)


@pytest.fixture
def e2e_user(chair):
    return chair


@pytest.fixture
def meeting(transactional_db, chair_person):
    board = BoardFactory(name="Communities Board", slug="communities-board")
    MembershipFactory(board=board, person=chair_person, role=Membership.Role.CHAIR)
    BoardFactory(name="Other Board")
    meeting = MeetingFactory(board=board, venue="Civic Hall, Leeds")
    report = ReportFactory(
        board=board, subject="Working with Communities in Leeds", author_name="Rachael Loftus"
    )
    ReportSectionFactory(report=report, order=1, number="1.0", heading="Purpose of this report")
    RecommendationFactory(report=report, order=1, number="7.1")
    AppendixFactory(
        report=report,
        order=1,
        number="1",
        title=EXEMPT_APPENDIX_TITLE,
        is_exempt=True,
        exempt_rule="10.4 (3)",
    )
    AgendaItemFactory(meeting=meeting, order=1, title="Working with communities", report=report)
    AgendaItemFactory(
        meeting=meeting,
        order=2,
        title="Property matter",
        report=ExemptReportFactory(board=board, subject=EXEMPT_REPORT_SUBJECT),
    )
    return meeting


def test_the_chair_opens_a_meeting_reads_a_report_and_downloads_the_packs(
    signed_in_page, meeting, axe_check
):
    page = signed_in_page
    page.goto("/meetings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    axe_check(page)

    page.get_by_role("link", name="24 May 2013").click()
    expect(page).to_have_url(re.compile(rf"/boards/communities-board/meetings/{meeting.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting of 24 May 2013")
    expect(page.locator("main")).to_contain_text(EXEMPT_REPORT_SUBJECT)  # a member sees it
    axe_check(page)

    for link_name in (
        "Download the public pack (PDF)",
        "Download the members' pack (PDF), including items not for publication",
    ):
        href = page.get_by_role("link", name=link_name).get_attribute("href")
        response = page.request.get(href)
        assert response.ok
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF")

    page.get_by_role("link", name="Working with Communities in Leeds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Working with Communities in Leeds")
    expect(page.locator("main")).to_contain_text(
        "Does the report contain confidential or exempt information?"
    )
    axe_check(page)


def test_the_public_see_notices_not_exempt_papers(page, meeting, axe_check):
    page.goto(f"/boards/communities-board/meetings/{meeting.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text("2. Property matter")
    expect(main).to_contain_text("Access to Information Procedure Rule 10.4 (3)")
    expect(main).not_to_contain_text(EXEMPT_REPORT_SUBJECT)
    expect(main).not_to_contain_text(EXEMPT_APPENDIX_TITLE)
    expect(page.get_by_role("link", name=re.compile("members' pack"))).to_have_count(0)
    axe_check(page)
    response = page.request.get(
        f"/boards/communities-board/meetings/{meeting.pk}/pack.pdf?members=1", max_redirects=0
    )
    assert response.status == 302


def test_governance_support_schedules_a_meeting_and_edits_a_report(
    page, meeting, governance_support, axe_check
):
    from tests.e2e.conftest import sign_in

    sign_in(page, governance_support.username)
    page.goto("/boards/communities-board/")
    page.get_by_role("link", name="Schedule a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a meeting")
    axe_check(page)
    page.get_by_label("Date", exact=True).fill("not a date")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real date")
    axe_check(page)
    page.get_by_label("Date", exact=True).fill("2026-12-03")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting of 3 December 2026")

    page.goto(f"/boards/communities-board/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Record attendance, declarations and actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Attendance, declarations and actions"
    )
    axe_check(page)

    page.goto(f"/boards/communities-board/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Working with Communities in Leeds").click()
    page.get_by_role("link", name=re.compile("Change the front sheet")).click()
    axe_check(page)
    page.go_back()
    page.get_by_role("link", name="Change the sections and recommendations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sections and recommendations")
    axe_check(page)
