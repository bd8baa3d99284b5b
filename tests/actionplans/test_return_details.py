"""What a return says beyond its colour: the corrective action every Red return gives (what is
being done and by when) by one rule for the form, the service and the import, shown wherever
the commentary is; and the optional forecast of the RAG at the output's due date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from actionplans.imports.status_updates import read_status_updates
from actionplans.models import LatestReturn, Output, Quarter, StatusUpdate
from actionplans.services import Return, record_status_update, record_status_updates
from boards.meetings import packs
from leeds_communities.roles import Role
from tests.actionplans.journey import open_quarter, update_data
from tests.factories import (
    ActionPlanFactory,
    OutputFactory,
    ProgrammeFactory,
    StatusUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BY = datetime.date(2007, 2, 28)


@pytest.fixture
def quarter():
    return open_quarter()


@pytest.fixture
def output(agency):
    return OutputFactory(lead_agency=agency, ref="NE001", title="Open a youth centre")


def _record(output, quarter, user, **kwargs):
    values = {"rag": "RED", "commentary": "Site lost."} | kwargs
    return record_status_update(
        output=output, quarter=quarter, acting_user=user, expected_version=output.version, **values
    )


# --- the service ------------------------------------------------------------------------------


def test_a_red_return_without_corrective_action_is_refused_and_nothing_is_written(
    officer, output, quarter
):
    with pytest.raises(ValidationError) as raised:
        _record(output, quarter, officer)
    assert set(raised.value.message_dict) == {"corrective_action", "corrective_action_by"}
    assert raised.value.error_dict["corrective_action"][0].code == "corrective_action_required"
    assert not StatusUpdate.objects.exists() and not LatestReturn.objects.exists()
    output.refresh_from_db()
    assert output.version == 0


def test_a_red_return_with_corrective_action_keeps_it_in_the_latest_return(
    officer, output, quarter
):
    update = _record(
        output,
        quarter,
        officer,
        corrective_action="  New site with Asset Management.  ",
        corrective_action_by=BY,
        forecast="AMBER",
    )
    update.refresh_from_db()
    assert (update.corrective_action, update.corrective_action_by, update.forecast) == (
        "New site with Asset Management.",
        BY,
        "AMBER",
    )
    latest = LatestReturn.objects.get(output=output, quarter=quarter)
    assert (latest.corrective_action, latest.corrective_action_by) == (
        "New site with Asset Management.",
        BY,
    )


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        (
            {
                "rag": "GREEN",
                "commentary": "",
                "corrective_action": "x",
                "corrective_action_by": BY,
            },
            "corrective_action",
            "corrective_action_green",
        ),
        (
            {"corrective_action": "x", "corrective_action_by": datetime.date(2006, 9, 30)},
            "corrective_action_by",
            "corrective_action_by_too_early",
        ),
        ({"rag": "AMBER", "corrective_action": "x"}, "corrective_action_by", None),
        ({"rag": "AMBER", "corrective_action_by": BY}, "corrective_action", None),
        ({"rag": "GREEN", "commentary": "", "forecast": "PURPLE"}, "forecast", "bad_forecast"),
    ],
)
def test_the_return_rules_refuse_a_corrective_action_or_forecast_that_does_not_fit(
    officer, output, quarter, values, field, code
):
    with pytest.raises(ValidationError) as raised:
        _record(output, quarter, officer, **values)
    assert field in raised.value.message_dict
    if code:
        assert raised.value.error_dict[field][0].code == code
    assert not StatusUpdate.objects.exists()


def test_an_amber_return_may_give_a_whole_corrective_action(officer, output, quarter):
    update = _record(
        output, quarter, officer, rag="AMBER", corrective_action="Chase", corrective_action_by=BY
    )
    assert update.corrective_action == "Chase"


def test_a_batch_of_returns_follows_the_same_rule(governance_support, output, quarter):
    with pytest.raises(ValidationError) as raised:
        record_status_updates(
            returns=[Return(output, quarter, "RED", commentary="Stopped")],
            acting_user=governance_support,
        )
    assert any("what is being done" in m for m in raised.value.messages)
    assert not StatusUpdate.objects.exists()


def test_the_database_keeps_what_and_by_when_together_but_allows_old_red_returns(output, quarter):
    # A Red return made before corrective action was asked for still stands.
    old = StatusUpdateFactory(output=output, quarter=quarter, rag="RED", commentary="Old")
    assert old.pk is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdateFactory(
            output=output, quarter=quarter, rag="RED", commentary="x", corrective_action="y"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdateFactory(
            output=output,
            quarter=quarter,
            rag="GREEN",
            corrective_action="y",
            corrective_action_by=BY,
        )


# --- the form ---------------------------------------------------------------------------------


def test_the_form_asks_a_red_return_for_corrective_action_and_keeps_what_was_typed(
    client, officer, output, quarter
):
    client.force_login(officer)
    url = reverse("actionplans:output_update", args=[output.pk])
    data = update_data(output, quarter, rag="RED", commentary="Site lost")
    data.pop("corrective_action")
    data.pop("corrective_action_by")
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say what is being done to bring the output back on track." in html
    assert "Say by when the corrective action will be done." in html
    assert 'class="govuk-error-summary' in html
    assert "Site lost" in html
    assert not StatusUpdate.objects.exists()


def test_the_form_records_corrective_action_and_forecast(client, officer, output, quarter):
    client.force_login(officer)
    url = reverse("actionplans:output_update", args=[output.pk])
    response = client.post(
        url,
        update_data(
            output,
            quarter,
            rag="RED",
            commentary="Site lost",
            corrective_action="New site",
            corrective_action_by="2007-02-28",
            forecast="AMBER",
        ),
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get()
    assert (update.corrective_action, update.corrective_action_by, update.forecast) == (
        "New site",
        BY,
        "AMBER",
    )


def test_the_form_refuses_corrective_action_on_a_green_return(client, officer, output, quarter):
    client.force_login(officer)
    response = client.post(
        reverse("actionplans:output_update", args=[output.pk]),
        update_data(
            output, quarter, corrective_action="Nothing", corrective_action_by="2007-02-28"
        ),
    )
    assert response.status_code == 400
    assert "A green return needs no corrective action" in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_the_forecast_hint_names_the_due_date(client, officer, output, quarter):
    client.force_login(officer)
    html = client.get(reverse("actionplans:output_update", args=[output.pk])).content.decode()
    assert "on its due date, 31 March 2008" in html


# --- where it is shown ------------------------------------------------------------------------


@pytest.fixture
def red_return(officer, output, quarter):
    return _record(
        output,
        quarter,
        officer,
        corrective_action="Second site identified",
        corrective_action_by=BY,
        forecast="GREEN",
    )


def test_the_output_page_shows_corrective_action_and_forecast(client, officer, red_return):
    client.force_login(officer)
    html = client.get(red_return.output.get_absolute_url()).content.decode()
    assert html.count("Second site identified") == 2  # quarter by quarter, and the history
    assert "Corrective action, by 28 February 2007:" in html
    assert "Forecast at the due date" in html
    assert "(in the return for Quarter 3 2006/07)" in html


def test_the_output_page_says_when_the_latest_return_gives_no_forecast(client, officer, output):
    client.force_login(officer)
    html = client.get(output.get_absolute_url()).content.decode()
    assert "Not given in the latest return" in html


def test_the_exceptions_dashboard_and_its_csv_show_the_corrective_action(
    client, officer, red_return
):
    client.force_login(officer)
    url = reverse("dashboards:exceptions") + "?year=2006/07&quarter=3"
    html = client.get(url).content.decode()
    assert "Second site identified" in html and "28 Feb 2007" in html
    csv = b"".join(client.get(url + "&_export=csv").streaming_content).decode()
    header, row = csv.splitlines()[:2]
    assert "Corrective action" in header and "Corrective action by" in header
    assert "Second site identified" in row and "2007-02-28" in row


def test_the_board_pack_exceptions_show_the_corrective_action(red_return):
    quarter = red_return.quarter
    Quarter.objects.filter(pk=quarter.pk).update(state=Quarter.State.CLOSED)
    quarter.refresh_from_db()
    plan = red_return.output.plan
    [row] = packs._exceptions(plan.owner, [], quarter)
    assert (row.corrective_action, row.corrective_action_by) == ("Second site identified", BY)


# --- the import ------------------------------------------------------------------------------

HEADER = "programme,plan,ref,year,quarter,rag,commentary"
FULL = HEADER + ",corrective_action,corrective_action_by,forecast"


@pytest.fixture
def register(agency, quarter):
    programme = ProgrammeFactory(name="Leeds Regeneration Plan")
    plan = ActionPlanFactory(programme=programme, name="North East")
    OutputFactory(plan=plan, ref="NE001", lead_agency=agency)
    OutputFactory(plan=plan, ref="NE002", lead_agency=agency)
    return UserFactory(role=Role.GOVERNANCE_SUPPORT)


def _read(staff, *lines):
    return read_status_updates("\n".join(lines) + "\n", filename="returns.csv", actor=staff)


def test_an_import_row_that_is_red_without_corrective_action_is_a_row_error(register):
    result = _read(
        register,
        FULL,
        "Leeds Regeneration Plan,North East,NE001,2006/07,3,Red,Stopped,,,",
        "Leeds Regeneration Plan,North East,NE002,2006/07,3,Red,Stopped,New site,2007-02-28,G",
    )
    messages = [str(e) for e in result.errors]
    assert messages == [
        "Line 2: corrective_action: Say what is being done to bring the output back on track.",
        "Line 2: corrective_action_by: Say by when the corrective action will be done.",
    ]
    assert {e.column for e in result.errors} == {"corrective_action", "corrective_action_by"}
    assert not StatusUpdate.objects.exists()


def test_an_import_records_corrective_action_and_forecast(register):
    result = _read(
        register,
        FULL,
        "Leeds Regeneration Plan,North East,NE002,2006/07,3,Red,Stopped,New site,2007-02-28,G",
    ).apply()
    assert result.ok
    update = StatusUpdate.objects.get()
    assert (update.rag, update.corrective_action, update.corrective_action_by, update.forecast) == (
        "RED",
        "New site",
        BY,
        "GREEN",
    )
    assert update.source == StatusUpdate.Source.IMPORT


def test_an_import_file_may_leave_the_new_columns_out(register):
    result = _read(
        register, HEADER, "Leeds Regeneration Plan,North East,NE001,2006/07,3,Amber,Slow"
    ).apply()
    assert result.ok
    assert StatusUpdate.objects.get().corrective_action == ""


def test_an_import_without_the_columns_cannot_record_red(register):
    result = _read(register, HEADER, "Leeds Regeneration Plan,North East,NE001,2006/07,3,R,No")
    assert [e.column for e in result.errors] == ["corrective_action", "corrective_action_by"]


def test_an_unreadable_date_or_forecast_is_one_error_each(register):
    result = _read(
        register,
        FULL,
        "Leeds Regeneration Plan,North East,NE001,2006/07,3,Red,Stopped,New site,28/02/2007,Blue",
    )
    assert [e.column for e in result.errors] == ["corrective_action_by", "forecast"]
    assert "is not a date; write it as YYYY-MM-DD" in str(result.errors[0])
    assert Output.objects.filter(version=0).count() == 2


def test_the_import_page_names_the_columns_a_file_may_leave_out(client, register):
    client.force_login(register)
    html = client.get(reverse("actionplans:import_status_updates")).content.decode()
    assert f"<code>{HEADER}</code> (the columns <code>corrective_action, " in html
    assert "corrective_action_by, forecast</code> may be added, in any place)" in html
