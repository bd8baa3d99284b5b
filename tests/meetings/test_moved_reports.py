"""An exempt report and the boards it belongs to: its own board decides who reads it, on its
page, on a meeting page and in a members' pack; it cannot leave a board whose agenda carries it."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from boards.meetings import packs
from boards.meetings.forms import ReportForm
from boards.meetings.services import save_report
from tests.factories import BoardFactory
from tests.meetings.conftest import EXEMPT_REPORT_SUBJECT, EXEMPT_REPORT_TEXT
from tests.meetings.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db


def _form_data(report, **changes) -> dict:
    data = {}
    for name, value in ReportForm(instance=report).initial.items():
        if name not in ReportForm.Meta.fields:
            continue
        if isinstance(value, bool) or value is None:
            value = {True: "true", False: "false", None: "unknown"}[value]
            if name in ("is_exempt", "exempt_appendix"):
                value = "on" if getattr(report, name) else ""
        data[name] = "" if value is None else value
    data["date"] = report.date.isoformat() if report.date else ""
    return {k: v for k, v in (data | changes).items() if v != ""}


def test_a_report_on_its_boards_agenda_cannot_be_moved_to_another_board(
    persona_client, exempt_meeting
):
    report = exempt_meeting.exempt_report
    other = BoardFactory(name="Safer Leeds", slug="safer-leeds")
    client = persona_client("governance_support")
    url = reverse("meetings:report_update", args=[report.pk])
    response = client.post(url, _form_data(report, board=other.pk))
    assert response.status_code == 400
    html = response.content.decode()
    assert "This report is on the agenda of Communities Board, 24 May 2013" in html
    assert "Take it off that agenda before moving it to another board" in html
    report.refresh_from_db()
    assert report.board == exempt_meeting.board
    # Other changes still save.
    response = client.post(url, _form_data(report, subject="Disposal of the depot (revised)"))
    assert response.status_code == 302
    # Off the agenda, it can move.
    exempt_meeting.meeting.agenda_items.filter(report=report).update(report=None)
    response = client.post(url, _form_data(report, board=other.pk))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.board == other


def test_the_service_refuses_the_move_too(exempt_meeting, governance_support):
    """A form checked before another board's agenda took the report is still refused."""
    report = exempt_meeting.exempt_report
    exempt_meeting.meeting.agenda_items.filter(report=report).update(report=None)
    other = BoardFactory(name="Safer Leeds", slug="safer-leeds")
    form = ReportForm(_form_data(report, board=other.pk), instance=report)
    assert form.is_valid(), form.errors
    AgendaItemFactory(meeting=exempt_meeting.meeting, order=9, report=report)
    with pytest.raises(ValidationError) as caught:
        save_report(form=form, acting_user=governance_support, action="report.changed")
    assert caught.value.error_dict["board"][0].code == "on_agenda"
    report.refresh_from_db()
    assert report.board == exempt_meeting.board


@pytest.fixture
def moved(exempt_meeting):
    """The exempt report belongs to another board but is still on this board's agenda (moved
    before moving such a report was refused)."""
    other = BoardFactory(name="Safer Leeds", slug="safer-leeds")
    type(exempt_meeting.exempt_report).objects.filter(pk=exempt_meeting.exempt_report.pk).update(
        board=other
    )
    return exempt_meeting


def test_the_reports_own_board_decides_on_the_meeting_page_and_in_the_pack(persona_client, moved):
    chair = persona_client("chair")  # a member of the Communities Board, not of Safer Leeds
    report_url = moved.exempt_report.get_absolute_url()
    assert chair.get(report_url).status_code == 404
    page = chair.get(moved.meeting.get_absolute_url()).content.decode()
    assert "Property matter" in page  # the agenda heading stays
    assert EXEMPT_REPORT_SUBJECT not in page
    pack = packs.current_pack(moved.meeting, members=True)
    with pack.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert EXEMPT_REPORT_TEXT not in text and EXEMPT_REPORT_SUBJECT not in text
    # Governance support reads it everywhere.
    support = persona_client("governance_support")
    assert support.get(report_url).status_code == 200
    assert EXEMPT_REPORT_SUBJECT in support.get(moved.meeting.get_absolute_url()).content.decode()
