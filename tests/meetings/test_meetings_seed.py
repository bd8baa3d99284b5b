"""The demo meetings and reports drawn from the seeds, as the public and a chair see them."""

import re

import pytest

from actionplans.demo import load_action_plans
from boards.demo import load_boards
from boards.meetings.demo import load_meetings
from boards.meetings.models import Appendix, Meeting, Report
from leeds_communities.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds():
    load_boards()
    load_action_plans()
    return load_meetings()


def _meeting(board_name):
    return Meeting.objects.get(board__name=board_name)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_loading_twice_changes_nothing(seeds):
    assert seeds == {"meetings": 4, "reports": 4, "appendices": 3}
    assert load_meetings() == seeds


def test_the_stronger_communities_partnership_meeting_of_24_may_2013(client, seeds):
    meeting = _meeting("Stronger Communities Partnership")
    page = _text(client.get(meeting.get_absolute_url()).content.decode())
    assert "Meeting of 24 May 2013" in page
    assert "Time Not recorded" in page and "Venue Not recorded" in page
    assert "1. Working with Communities in Leeds" in page
    assert "Decision: Agreed" in page
    assert "agreed subject to further work on the membership of the new Board" in page
    assert "Attendance is not recorded." in page
    assert "Form a refreshed action plan which will act as the City Priority Plan" in page
    assert "Demonstration exempt appendix" not in page  # exempt: the public see nothing of it

    report = Report.objects.get(subject="Working with Communities in Leeds")
    page = _text(client.get(report.get_absolute_url()).content.decode())
    assert "Report author Rachael Loftus Tel: 0113 24 75661 rachael.loftus@leeds.gov.uk" in page
    assert "Date 16 May 2013" in page
    for number in ("7.1", "7.2", "7.3", "7.4"):
        assert f"{number} That" in page
    assert "That a small working group be appointed across partners" in page
    assert "Demonstration exempt text" not in page


def test_the_chair_sees_the_demonstration_exempt_appendix_labelled(client, seeds):
    from boards.models import Person

    chair = UserFactory(
        username="gruen",
        role=Role.CHAIR,
        profile__person=Person.objects.get(name="Cllr Peter Gruen"),
    )
    client.force_login(chair)
    report = Report.objects.get(subject="Working with Communities in Leeds")
    page = _text(client.get(report.get_absolute_url()).content.decode())
    assert "Demonstration exempt appendix" in page
    assert "Demonstration only: this appendix was made up" in page
    assert Appendix.objects.get(demonstration=True).is_exempt


def test_the_executive_board_report_of_21_september_2016_front_sheet(client, seeds):
    report = _meeting("Executive Board").agenda_items.get().report
    page = _text(client.get(report.get_absolute_url()).content.decode())
    assert "Report of Assistant Chief Executive Citizens and Communities" in page
    assert "Are specific electoral wards affected? No specific wards" in page
    assert "cohesion and integration? Yes" in page
    assert "Is the decision eligible for call-in? Yes" in page
    assert "Does the report contain confidential or exempt information? No" in page
    assert "Report author Not recorded" in page


def test_the_scrutiny_report_of_12_march_2018(client, seeds):
    meeting = _meeting("Environment, Housing and Communities Scrutiny Board")
    report = meeting.agenda_items.get().report
    page = _text(client.get(report.get_absolute_url()).content.decode())
    assert "Locality Working – Emerging arrangements and early progress" in page
    assert "Report author Martin Dean; Shaid Mahmood Tel: 0113 378 9885" in page
    assert "Is the decision eligible for call-in? No" in page
    assert "Background documents None" in page


def test_the_april_2007_report_carries_the_live_q3_summary_table(client, seeds):
    meeting = _meeting("Neighbourhoods and Housing Scrutiny Committee")
    page = _text(client.get(meeting.get_absolute_url()).content.decode())
    assert "the day of the meeting is not recorded" in page
    assert "Meeting of April 2007" in page and "1 April 2007" not in page
    feed = client.get(f"/boards/{meeting.board.slug}/meetings.ics").content.decode()
    assert "BEGIN:VEVENT" not in feed  # no day to put in a calendar
    report = meeting.agenda_items.get().report
    page = _text(client.get(report.get_absolute_url()).content.decode())
    assert "Date April 2007" in page
    assert "Are specific electoral wards affected? All wards" in page
    # Seed 003's table, to the digit, computed from the returns.
    assert "East 92 69 75 23 25 0 0 0 0 0 0" in page
    assert "West 82 61 74 0 0 0 0 3 4 18 22" in page
    assert "City-wide 164 117 71 15 9 2 1 8 5 22 13" in page
    assert "Total 582 438 75 53 9 8 1 42 7 41 7" in page
