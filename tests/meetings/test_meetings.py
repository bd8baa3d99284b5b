"""Meetings, reports and their exempt material on the web pages, the calendar and the feed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse

from actionplans.models import Output
from boards.meetings import services
from boards.meetings.models import ActionArising, Appendix, Meeting, Report
from tests.factories import ActionPlanFactory, BoardFactory, OrganisationFactory
from tests.meetings.conftest import (
    EXEMPT_APPENDIX_TEXT,
    EXEMPT_APPENDIX_TITLE,
    EXEMPT_REPORT_SUBJECT,
    EXEMPT_REPORT_TEXT,
    PUBLIC_REPORT_SUBJECT,
    PUBLIC_REPORT_TEXT,
)
from tests.meetings.factories import (
    ActionArisingFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db

EXEMPT_STRINGS = [
    EXEMPT_REPORT_SUBJECT,
    EXEMPT_REPORT_TEXT,
    EXEMPT_APPENDIX_TITLE,
    EXEMPT_APPENDIX_TEXT,
]


def _meeting_url(m):
    return reverse("meetings:meeting_detail", args=[m.board.slug, m.meeting.pk])


# --- who may read exempt material ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees_exempt"),
    [
        ("anonymous", False),
        ("officer", False),
        ("scrutiny_member", False),
        ("chair", True),
        ("governance_support", True),
    ],
)
def test_reports_for_user_hide_exempt_reports_from_all_but_members_and_support(
    request, exempt_meeting, persona, sees_exempt
):
    from django.contrib.auth.models import AnonymousUser

    user = request.getfixturevalue(persona) or AnonymousUser()
    subjects = set(Report.objects.for_user(user).values_list("subject", flat=True))
    assert PUBLIC_REPORT_SUBJECT in subjects
    assert (EXEMPT_REPORT_SUBJECT in subjects) is sees_exempt
    titles = set(Appendix.objects.for_user(user).values_list("title", flat=True))
    assert (EXEMPT_APPENDIX_TITLE in titles) is sees_exempt


def test_a_chair_of_another_board_does_not_see_this_boards_exempt_reports(
    exempt_meeting, chair, chair_person
):
    other = BoardFactory(name="Other Board")
    ReportFactory(board=other, subject="Other secret", is_exempt=True, exempt_rule="10.4 (1)")
    subjects = set(Report.objects.for_user(chair).values_list("subject", flat=True))
    assert "Other secret" not in subjects
    assert EXEMPT_REPORT_SUBJECT in subjects


def test_an_exempt_report_must_name_its_rule(exempt_meeting):
    with pytest.raises(IntegrityError):
        ReportFactory(board=exempt_meeting.board, is_exempt=True, exempt_rule="")


# --- the meeting page ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "officer", "scrutiny_member"])
def test_the_public_meeting_page_shows_the_heading_and_a_notice_but_nothing_exempt(
    persona, persona_client, exempt_meeting
):
    html = persona_client(persona).get(_meeting_url(exempt_meeting)).content.decode()
    assert "2. Property matter" in html
    assert "Access to Information Procedure Rule 10.4 (3)" in html
    assert PUBLIC_REPORT_SUBJECT in html
    for secret in EXEMPT_STRINGS:
        assert secret not in html
    assert "?members=1" not in html


def test_a_board_member_sees_exempt_papers_marked_not_for_publication(
    persona_client, exempt_meeting
):
    html = persona_client("chair").get(_meeting_url(exempt_meeting)).content.decode()
    assert EXEMPT_REPORT_SUBJECT in html
    assert EXEMPT_APPENDIX_TITLE in html
    assert "Not for publication" in html
    assert "?members=1" in html


def test_the_meeting_page_shows_decisions_attendance_and_actions(client, exempt_meeting):
    AttendanceFactory(meeting=exempt_meeting.meeting, name="Cllr A Member", kind="apologies")
    ActionArisingFactory(meeting=exempt_meeting.meeting, text="Draft a work programme")
    html = client.get(_meeting_url(exempt_meeting)).content.decode()
    assert "Decision: Agreed" in html
    assert "The partnership agreed." in html
    assert "Cllr A Member" in html and "Apologies" in html
    assert "Draft a work programme" in html
    assert "Civic Hall, Leeds" in html
    assert 'Time</dt><dd class="govuk-summary-list__value">Not recorded' in html


def test_a_meeting_of_another_board_is_not_found_under_this_board(client, exempt_meeting):
    other = BoardFactory(name="Elsewhere")
    url = reverse("meetings:meeting_detail", args=[other.slug, exempt_meeting.meeting.pk])
    assert client.get(url).status_code == 404


def test_the_meeting_page_runs_a_fixed_number_of_queries(
    client, exempt_meeting, django_assert_num_queries
):
    for n in range(4, 24):
        item = AgendaItemFactory(
            meeting=exempt_meeting.meeting,
            order=n,
            report=ReportFactory(board=exempt_meeting.board),
        )
        ActionArisingFactory(meeting=exempt_meeting.meeting, agenda_item=item)
        AttendanceFactory(meeting=exempt_meeting.meeting)
    with django_assert_num_queries(MEETING_PAGE_QUERIES):
        response = client.get(_meeting_url(exempt_meeting))
    assert response.status_code == 200


# meeting, agenda items (+ report, decision), appendices, attendance, declarations, actions, packs,
# pack builds under way
MEETING_PAGE_QUERIES = 8


# --- the report page -----------------------------------------------------------------------------


def test_the_report_page_shows_the_front_sheet(client, exempt_meeting):
    report = exempt_meeting.public_report
    html = client.get(report.get_absolute_url()).content.decode()
    assert '<h1 class="govuk-heading-xl">Working with Communities in Leeds</h1>' in html
    for label in (
        "Report of",
        "Report to",
        "Report author",
        "Are specific electoral wards affected?",
        "Is the decision eligible for call-in?",
        "Does the report contain confidential or exempt information?",
    ):
        assert label in html
    assert PUBLIC_REPORT_TEXT in html
    assert "That the partnership agrees." in html
    # The front sheet names the exempt appendix's rule, but the public see none of it.
    assert "appendix 2, Access to Information Procedure Rule 10.4 (3)" in html
    assert EXEMPT_APPENDIX_TITLE not in html and EXEMPT_APPENDIX_TEXT not in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 404), ("officer", 404), ("scrutiny_member", 404), ("chair", 200)],
)
def test_an_exempt_report_page_is_not_found_by_outsiders(
    persona, status, persona_client, exempt_meeting
):
    response = persona_client(persona).get(exempt_meeting.exempt_report.get_absolute_url())
    assert response.status_code == status
    if status == 404:
        assert EXEMPT_REPORT_SUBJECT not in response.content.decode()


# --- the calendar and the iCalendar feed ---------------------------------------------------------


def test_the_calendar_filters_by_board_and_date(client):
    a = BoardFactory(name="Alpha Board")
    b = BoardFactory(name="Beta Board")
    MeetingFactory(board=a, date=datetime.date(2013, 5, 24))
    MeetingFactory(board=a, date=datetime.date(2016, 9, 21))
    MeetingFactory(board=b, date=datetime.date(2013, 6, 1))
    url = reverse("meetings:meeting_list")
    html = client.get(url, {"board": a.slug}).content.decode()
    assert "2 results" in html and "Beta Board" not in html.split("<table")[1]
    html = client.get(url, {"start": "2013-01-01", "end": "2013-12-31"}).content.decode()
    assert "2 results" in html and "21 Sep 2016" not in html
    html = client.get(url, {"start": "not a date"}).content.decode()
    assert "Enter a valid date" in html or "Enter a real date" in html


def test_the_calendar_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for n in range(30):
        MeetingFactory(board=BoardFactory(), date=datetime.date(2013, 1, 1) + datetime.timedelta(n))
    with django_assert_num_queries(3):  # count, page of meetings with boards, filter's boards
        response = client.get(reverse("meetings:meeting_list"))
    assert response.status_code == 200


def test_the_calendar_exports_csv_without_exempt_material(client, exempt_meeting):
    response = client.get(reverse("meetings:meeting_list"), {"_export": "csv"})
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    text = body.decode()
    assert "Communities Board" in text
    for secret in EXEMPT_STRINGS:
        assert secret not in text


def test_the_ical_feed_lists_the_boards_meetings_with_public_headings_only(client, exempt_meeting):
    MeetingFactory(
        board=exempt_meeting.board,
        date=datetime.date(2030, 1, 15),
        start_time=datetime.time(14, 0),
        status=Meeting.Status.SCHEDULED,
    )
    response = client.get(reverse("meetings:meeting_calendar_ics", args=["communities-board"]))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 2
    assert "DTSTART;VALUE=DATE:20130524" in text  # no time recorded: an all-day event
    assert "DTSTART:20300115T140000Z" in text  # 2pm in January is 14:00 UTC
    assert "LOCATION:Civic Hall\\, Leeds" in text
    assert "Property matter" in text.replace("\r\n ", "")
    for secret in EXEMPT_STRINGS:
        assert secret not in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


# --- actions arising become tracked outputs -------------------------------------------------------


def test_governance_support_turns_an_action_into_an_output_in_one_step(
    exempt_meeting, governance_support
):
    action = ActionArisingFactory(
        meeting=exempt_meeting.meeting,
        text="Draft the work programme",
        due=datetime.date(2013, 9, 30),
    )
    plan = ActionPlanFactory(owner=exempt_meeting.board)
    agency = OrganisationFactory(name="Leeds City Council")
    output = services.track_action_as_output(
        action=action,
        plan=plan,
        ref="CB001",
        lead_agency=agency,
        commencement=datetime.date(2013, 6, 1),
        acting_user=governance_support,
    )
    action.refresh_from_db()
    assert action.output == output
    assert (output.plan, output.title, output.due) == (
        plan,
        "Draft the work programme",
        datetime.date(2013, 9, 30),
    )
    with pytest.raises(ValidationError):
        services.track_action_as_output(
            action=action,
            plan=plan,
            ref="CB002",
            lead_agency=agency,
            commencement=datetime.date(2013, 6, 1),
            acting_user=governance_support,
        )
    assert Output.objects.count() == 1


def test_a_chair_cannot_turn_an_action_into_an_output(exempt_meeting, chair):
    action = ActionArisingFactory(meeting=exempt_meeting.meeting)
    with pytest.raises(PermissionDenied):
        services.track_action_as_output(
            action=action,
            plan=ActionPlanFactory(),
            ref="X1",
            lead_agency=OrganisationFactory(),
            commencement=datetime.date(2013, 6, 1),
            acting_user=chair,
        )
    assert not Output.objects.exists()


def test_the_track_form_creates_the_output_and_returns_to_the_meeting(
    persona_client, exempt_meeting
):
    action = ActionArisingFactory(meeting=exempt_meeting.meeting, text="Appoint a working group")
    plan = ActionPlanFactory(owner=exempt_meeting.board)
    agency = OrganisationFactory(name="Voluntary Action Leeds")
    url = reverse(
        "meetings:action_track", args=["communities-board", exempt_meeting.meeting.pk, action.pk]
    )
    client = persona_client("governance_support")
    response = client.post(url, {"plan": plan.pk, "ref": "", "lead_agency": agency.pk})
    assert response.status_code == 400
    assert "Enter a reference for the output" in response.content.decode()
    response = client.post(
        url,
        {"plan": plan.pk, "ref": "CB7", "lead_agency": agency.pk, "commencement": "2013-06-01"},
    )
    assert response.status_code == 302
    assert ActionArising.objects.get(pk=action.pk).output.ref == "CB7"
    html = client.get(_meeting_url(exempt_meeting)).content.decode()
    assert f"Output CB7 of {plan}" in html


def test_the_calendar_answers_htmx_with_the_results_only(client, exempt_meeting):
    url = reverse("meetings:meeting_list")
    response = client.get(url, {"board": "communities-board"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert "<h1" not in html and "<table" in html
    assert "Subscribe to the Communities Board’s meetings (iCalendar)" in html
