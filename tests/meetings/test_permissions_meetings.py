"""Meetings, reports, feeds and packs for every role (anonymous included).

`tests/test_permissions.py` collects this module's MATRIX, so every URL name here is covered.
"""

import pytest
from django.urls import reverse

from tests.conftest import PERSONAS
from tests.permissions import over_matrix

ALL = dict.fromkeys(PERSONAS, 200)
MEMBERS_ONLY = dict.fromkeys(PERSONAS, 403) | {
    "anonymous": 302,
    "chair": 200,
    "governance_support": 200,
}
SUPPORT_ONLY = dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "governance_support": 200}
SUPPORT_ONLY_ADMIN = dict.fromkeys(PERSONAS, 302) | {"governance_support": 200}

# (url name, args, query, method, expected status per persona); "{meeting}", "{public}",
# "{exempt}" and "{action}" stand for the fixture's ids.
MATRIX = [
    ("meetings:meeting_list", [], "", "get", ALL),
    ("meetings:meeting_list", [], "?board=communities-board&start=2013-01-01", "get", ALL),
    ("meetings:meeting_list", [], "?_export=csv", "get", ALL),
    ("meetings:meeting_list", [], "", "post", dict.fromkeys(PERSONAS, 405)),
    ("meetings:meeting_calendar_ics", ["communities-board"], "", "get", ALL),
    ("meetings:meeting_calendar_ics", ["no-such-board"], "", "get", dict.fromkeys(PERSONAS, 404)),
    ("meetings:meeting_detail", ["communities-board", "{meeting}"], "", "get", ALL),
    (
        "meetings:meeting_detail",
        ["communities-board", "{meeting}"],
        "",
        "post",
        dict.fromkeys(PERSONAS, 405),
    ),
    ("meetings:meeting_pack_pdf", ["communities-board", "{meeting}"], "", "get", ALL),
    (
        "meetings:meeting_pack_pdf",
        ["communities-board", "{meeting}"],
        "?members=1",
        "get",
        MEMBERS_ONLY,
    ),
    (
        "meetings:meeting_pack_regenerate",
        ["communities-board", "{meeting}"],
        "",
        "get",
        dict.fromkeys(PERSONAS, 405),
    ),
    (
        "meetings:meeting_pack_regenerate",
        ["communities-board", "{meeting}"],
        "",
        "post",
        dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "chair": 302, "governance_support": 302},
    ),
    (
        "meetings:action_track",
        ["communities-board", "{meeting}", "{action}"],
        "",
        "get",
        SUPPORT_ONLY,
    ),
    ("meetings:meeting_create", ["communities-board"], "", "get", SUPPORT_ONLY),
    ("meetings:meeting_update", ["communities-board", "{meeting}"], "", "get", SUPPORT_ONLY),
    ("meetings:agenda_item_create", ["communities-board", "{meeting}"], "", "get", SUPPORT_ONLY),
    ("meetings:meeting_record_update", ["communities-board", "{meeting}"], "", "get", SUPPORT_ONLY),
    (
        "meetings:agenda_item_update",
        ["communities-board", "{meeting}", "{item}"],
        "",
        "get",
        SUPPORT_ONLY,
    ),
    (
        "meetings:decision_edit",
        ["communities-board", "{meeting}", "{item}"],
        "",
        "get",
        SUPPORT_ONLY,
    ),
    ("meetings:report_create", [], "", "get", SUPPORT_ONLY),
    # The public report's author is the officer persona's account.
    ("meetings:report_update", ["{public}"], "", "get", SUPPORT_ONLY | {"officer": 200}),
    ("meetings:report_body_update", ["{public}"], "", "get", SUPPORT_ONLY | {"officer": 200}),
    ("meetings:appendix_create", ["{public}"], "", "get", SUPPORT_ONLY | {"officer": 200}),
    ("meetings:appendix_update", ["{public}", 1], "", "get", SUPPORT_ONLY | {"officer": 200}),
    (
        "meetings:appendix_update",
        ["{exempt}", 1],
        "",
        "get",
        dict.fromkeys(PERSONAS, 404) | {"anonymous": 404, "chair": 403, "governance_support": 404},
    ),
    (
        "meetings:report_update",
        ["{exempt}"],
        "",
        "get",
        dict.fromkeys(PERSONAS, 404) | {"anonymous": 404, "chair": 403, "governance_support": 200},
    ),
    ("meetings:report_detail", ["{public}"], "", "get", ALL),
    (
        "meetings:report_detail",
        ["{exempt}"],
        "",
        "get",
        dict.fromkeys(PERSONAS, 404) | {"chair": 200, "governance_support": 200},
    ),
    ("meetings:report_appendix_file", ["{public}", 1], "", "get", ALL),
    (
        "meetings:report_appendix_file",
        ["{public}", 2],
        "",
        "get",
        dict.fromkeys(PERSONAS, 404) | {"chair": 200, "governance_support": 200},
    ),
    ("admin:meetings_meeting_changelist", [], "", "get", SUPPORT_ONLY_ADMIN),
    ("admin:meetings_report_changelist", [], "", "get", SUPPORT_ONLY_ADMIN),
    ("admin:meetings_boardpack_changelist", [], "", "get", SUPPORT_ONLY_ADMIN),
]


@pytest.fixture
def papers(exempt_meeting, officer):
    """The shared exempt meeting, with uploaded PDF appendices (one public, one exempt)."""
    from django.core.files.base import ContentFile

    from boards.meetings.models import Appendix
    from tests.meetings.factories import ActionArisingFactory

    report = exempt_meeting.public_report
    report.author_user = officer
    report.save()
    for appendix in Appendix.objects.filter(report=report):
        appendix.kind = Appendix.Kind.PDF
        appendix.file.save(f"appendix-{appendix.order}.pdf", ContentFile(b"%PDF-1.4\n"))
    action = ActionArisingFactory(meeting=exempt_meeting.meeting)
    return {
        "{meeting}": exempt_meeting.meeting.pk,
        "{public}": report.pk,
        "{exempt}": exempt_meeting.exempt_report.pk,
        "{action}": action.pk,
        "{item}": exempt_meeting.meeting.agenda_items.first().pk,
    }


@over_matrix(MATRIX)
def test_each_role_gets_the_expected_status(
    persona, name, args, query, method, expected, persona_client, papers
):
    client = persona_client(persona)
    url = reverse(name, args=[papers.get(a, a) for a in args]) + query
    response = getattr(client, method)(url)
    assert response.status_code == expected[persona], (persona, url)
