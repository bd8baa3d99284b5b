"""Every meeting, report and pack route keeps the path it had before meetings became an app."""

import pytest
from django.urls import resolve, reverse

BOARD = {"slug": "communities-board"}
MEETING = {**BOARD, "meeting_id": 7}
ITEM = {**MEETING, "item_id": 3}

ROUTES = [
    ("meetings:meeting_list", {}, "/meetings/"),
    ("meetings:meeting_calendar_ics", BOARD, "/boards/communities-board/meetings.ics"),
    ("meetings:meeting_create", BOARD, "/boards/communities-board/meetings/new/"),
    ("meetings:meeting_detail", MEETING, "/boards/communities-board/meetings/7/"),
    ("meetings:meeting_update", MEETING, "/boards/communities-board/meetings/7/edit/"),
    ("meetings:meeting_record_update", MEETING, "/boards/communities-board/meetings/7/record/"),
    ("meetings:agenda_item_create", MEETING, "/boards/communities-board/meetings/7/agenda/new/"),
    (
        "meetings:agenda_item_update",
        ITEM,
        "/boards/communities-board/meetings/7/agenda/3/edit/",
    ),
    ("meetings:decision_edit", ITEM, "/boards/communities-board/meetings/7/agenda/3/decision/"),
    ("meetings:meeting_pack_pdf", MEETING, "/boards/communities-board/meetings/7/pack.pdf"),
    (
        "meetings:meeting_pack_regenerate",
        MEETING,
        "/boards/communities-board/meetings/7/pack/regenerate/",
    ),
    (
        "meetings:action_track",
        {**MEETING, "action_id": 5},
        "/boards/communities-board/meetings/7/actions/5/track/",
    ),
    ("meetings:report_create", {}, "/reports/new/"),
    ("meetings:report_detail", {"report_id": 9}, "/reports/9/"),
    ("meetings:report_update", {"report_id": 9}, "/reports/9/edit/"),
    ("meetings:report_body_update", {"report_id": 9}, "/reports/9/edit/body/"),
    ("meetings:appendix_create", {"report_id": 9}, "/reports/9/appendices/new/"),
    ("meetings:appendix_update", {"report_id": 9, "order": 2}, "/reports/9/appendices/2/edit/"),
    (
        "meetings:report_appendix_file",
        {"report_id": 9, "order": 2},
        "/reports/9/appendices/2.pdf",
    ),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), ROUTES)
def test_it_reverses_and_resolves(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == name
    assert match.kwargs == kwargs


def test_an_old_admin_address_of_a_meeting_model_redirects_to_its_new_one(client):
    response = client.get("/admin/boards/meeting/7/change/?_changelist_filters=x")
    assert response.status_code == 302
    assert response["Location"] == "/admin/meetings/meeting/7/change/?_changelist_filters=x"


def test_the_registers_admin_addresses_stay_where_they_are(client):
    response = client.get("/admin/boards/board/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
