"""A meeting with public and exempt papers, for the meeting, report and pack tests."""

from dataclasses import dataclass

import pytest

from boards.meetings.models import Meeting, Report
from boards.models import Board, Membership
from tests.factories import BoardFactory, MembershipFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    AppendixFactory,
    DecisionFactory,
    ExemptReportFactory,
    MeetingFactory,
    RecommendationFactory,
    ReportFactory,
    ReportSectionFactory,
)

EXEMPT_REPORT_SUBJECT = "Disposal of the Quarry Street depot"
EXEMPT_REPORT_TEXT = "The confidential valuation of the depot is stated here."
EXEMPT_APPENDIX_TITLE = "Tender evaluation scores"
EXEMPT_APPENDIX_TEXT = "Bidder scores that must stay confidential."
PUBLIC_REPORT_SUBJECT = "Working with Communities in Leeds"
PUBLIC_REPORT_TEXT = "A focused Communities Board could be an effective vehicle."


@dataclass
class ExemptMeeting:
    board: Board
    meeting: Meeting
    public_report: Report
    exempt_report: Report


@pytest.fixture
def exempt_meeting(chair_person) -> ExemptMeeting:
    board = BoardFactory(name="Communities Board", slug="communities-board")
    MembershipFactory(board=board, person=chair_person, role=Membership.Role.CHAIR)
    meeting = MeetingFactory(board=board, venue="Civic Hall, Leeds")
    public = ReportFactory(board=board, subject=PUBLIC_REPORT_SUBJECT)
    ReportSectionFactory(report=public, order=1, heading="Purpose", body=PUBLIC_REPORT_TEXT)
    RecommendationFactory(report=public, order=1, text="That the partnership agrees.")
    AppendixFactory(report=public, order=1, number="1", title="Draft terms of reference")
    AppendixFactory(
        report=public,
        order=2,
        number="2",
        title=EXEMPT_APPENDIX_TITLE,
        body=EXEMPT_APPENDIX_TEXT,
        is_exempt=True,
        exempt_rule="10.4 (3)",
    )
    exempt = ExemptReportFactory(
        board=board, subject=EXEMPT_REPORT_SUBJECT, summary=EXEMPT_REPORT_TEXT
    )
    ReportSectionFactory(report=exempt, order=1, heading="Valuation", body=EXEMPT_REPORT_TEXT)
    first = AgendaItemFactory(
        meeting=meeting, order=1, title="Working with communities", report=public
    )
    DecisionFactory(agenda_item=first, outcome="agreed", text="The partnership agreed.")
    AgendaItemFactory(meeting=meeting, order=2, title="Property matter", report=exempt)
    AgendaItemFactory(meeting=meeting, order=3, title="Any other business")
    return ExemptMeeting(board=board, meeting=meeting, public_report=public, exempt_report=exempt)


# The production settings' static files storage; uploads stay in memory as in every test.
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The static files as `collectstatic` writes them in production: hashed, with a manifest."""
    from django.core.management import call_command
    from django.test import override_settings

    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STORAGES=PRODUCTION_STORAGES, STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture(params=["development", "production"])
def static_storage(request):
    """Each test using this runs twice: with the finders (development) and with the production
    settings' manifest storage over a collected STATIC_ROOT, where `{% static %}` gives hashed
    names the finders do not know."""
    if request.param == "development":
        yield request.param
        return
    from django.test import override_settings

    root = request.getfixturevalue("collected_static")
    with override_settings(STORAGES=PRODUCTION_STORAGES, STATIC_ROOT=root):
        yield request.param
