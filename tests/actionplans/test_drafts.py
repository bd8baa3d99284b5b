"""Draft returns: saved by an officer, resumed, submitted through the one service; a draft counts
for nothing (no status, count, dashboard or publication reads it) and a conflict on submit never
loses it."""

import pytest
from django.urls import reverse

from actionplans.dashboards import queries as dashboards
from actionplans.models import LatestReturn, Output, Quarter, ReturnDraft, Status, StatusUpdate
from actionplans.services import record_status_update, save_return_draft
from actionplans.summary import build_summary
from tests.actionplans.journey import closed_quarter, open_quarter, update_data
from tests.factories import ActionPlanFactory, OutputFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter():
    return open_quarter()


@pytest.fixture
def output(agency):
    plan = ActionPlanFactory(programme=ProgrammeFactory(), name="North East")
    return OutputFactory(plan=plan, lead_agency=agency, ref="NE001", title="Open a youth centre")


@pytest.fixture
def colleague(agency):
    return UserFactory(
        username="colleague",
        first_name="Pat",
        last_name="Colleague",
        role="Officer",
        profile__organisation=agency,
    )


def _url(output):
    return reverse("actionplans:output_update", args=[output.pk])


def _draft(client, output, quarter, **values):
    return client.post(_url(output), update_data(output, quarter, action="draft", **values))


def test_an_officer_saves_a_draft_that_writes_no_return(client, officer, output, quarter):
    client.force_login(officer)
    response = _draft(client, output, quarter, rag="RED", commentary="Half written")
    assert response.status_code == 302
    draft = ReturnDraft.objects.get()
    assert (draft.rag, draft.commentary, draft.created_by, draft.version) == (
        "RED",
        "Half written",
        officer,
        0,
    )
    assert not StatusUpdate.objects.exists() and not LatestReturn.objects.exists()
    output.refresh_from_db()
    assert output.version == 0
    follow = client.get(response["Location"])
    assert "Draft saved for NE001" in follow.content.decode()


def test_a_draft_may_be_unfinished(client, officer, output, quarter):
    client.force_login(officer)
    data = update_data(output, quarter, action="draft", commentary="Notes so far")
    del data["rag"]
    assert client.post(_url(output), data).status_code == 302
    assert ReturnDraft.objects.get().rag == ""


def test_saving_again_replaces_the_officers_draft(client, officer, output, quarter):
    client.force_login(officer)
    _draft(client, output, quarter, rag="AMBER", commentary="First")
    _draft(client, output, quarter, rag="AMBER", commentary="Second")
    assert list(ReturnDraft.objects.values_list("commentary", flat=True)) == ["Second"]


def test_the_form_resumes_the_draft(client, officer, output, quarter):
    client.force_login(officer)
    _draft(client, output, quarter, rag="AMBER", commentary="Lease with legal")
    html = client.get(_url(output)).content.decode()
    assert "You are continuing the draft you saved on" in html
    assert "Lease with legal</textarea>" in html
    assert 'value="AMBER" checked' in html


def test_my_outputs_shows_which_outputs_have_a_draft(client, officer, output, quarter, agency):
    other = OutputFactory(plan=output.plan, lead_agency=agency, ref="NE002")
    client.force_login(officer)
    _draft(client, output, quarter, rag="GREEN")
    html = client.get(reverse("actionplans:my_outputs")).content.decode()
    row = html.split(f'id="output-{output.pk}"')[1].split("</tr>")[0]
    other_row = html.split(f'id="output-{other.pk}"')[1].split("</tr>")[0]
    assert "Draft saved" in row and "Continue draft" in row
    assert "Draft saved" not in other_row and ">Update<" in other_row


def test_a_colleagues_draft_is_theirs_alone(client, officer, colleague, output, quarter):
    save_return_draft(
        output=output, quarter=quarter, acting_user=colleague, version=0, commentary="Pat's"
    )
    client.force_login(officer)
    assert "Pat's" not in client.get(_url(output)).content.decode()
    assert "Draft saved" not in client.get(reverse("actionplans:my_outputs")).content.decode()
    client.post(_url(output), update_data(output, quarter))
    assert ReturnDraft.objects.get().created_by == colleague  # not taken away by my return


def test_submitting_records_the_return_and_removes_the_draft(client, officer, output, quarter):
    client.force_login(officer)
    _draft(client, output, quarter, rag="AMBER", commentary="Lease with legal")
    response = client.post(
        _url(output), update_data(output, quarter, rag="AMBER", commentary="Lease with legal")
    )
    assert response.status_code == 302
    assert StatusUpdate.objects.get().commentary == "Lease with legal"
    assert not ReturnDraft.objects.exists()


def test_a_conflict_on_submit_keeps_the_draft_and_what_was_typed(
    client, officer, colleague, output, quarter
):
    client.force_login(officer)
    _draft(client, output, quarter, rag="AMBER", commentary="Lease with legal")
    record_status_update(
        output=Output.objects.get(pk=output.pk),
        quarter=quarter,
        rag="GREEN",
        commentary="Lease signed",
        acting_user=colleague,
        expected_version=0,
    )
    # The officer submits the draft, typed on version 0, with a last change.
    response = client.post(
        _url(output),
        update_data(output, quarter, rag="AMBER", commentary="Lease with legal; chased"),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else updated this output first" in html and "Lease signed" in html
    assert "Lease with legal; chased</textarea>" in html
    assert "kept as your draft" in html
    draft = ReturnDraft.objects.get(created_by=officer)
    assert (draft.commentary, draft.version) == ("Lease with legal; chased", 0)
    assert list(StatusUpdate.objects.values_list("created_by", flat=True)) == [colleague.pk]
    # Resumed later, the draft is still against version 0: the conflict is shown again.
    assert 'name="version" value="0"' in client.get(_url(output)).content.decode()


def test_a_conflict_without_a_draft_keeps_what_was_typed_as_one(
    client, officer, colleague, output, quarter
):
    stale = update_data(output, quarter, rag="AMBER", commentary="Mine")
    record_status_update(
        output=output,
        quarter=quarter,
        rag="GREEN",
        commentary="",
        acting_user=colleague,
        expected_version=0,
    )
    client.force_login(officer)
    assert client.post(_url(output), stale).status_code == 409
    assert ReturnDraft.objects.get(created_by=officer).commentary == "Mine"


def test_htmx_saves_a_draft_in_the_row(client, officer, output, quarter):
    client.force_login(officer)
    response = client.post(
        _url(output),
        update_data(output, quarter, action="draft", rag="GREEN"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr class="govuk-table__row" id="output-{output.pk}"')
    assert "Draft saved for NE001" in html and "Continue draft" in html


def test_no_draft_for_another_agencys_output(client, other_agency_officer, output, quarter):
    client.force_login(other_agency_officer)
    assert _draft(client, output, quarter, rag="GREEN").status_code == 403
    assert not ReturnDraft.objects.exists()


def test_no_draft_in_a_closed_quarter_for_an_officer(client, officer, output):
    quarter = closed_quarter()
    client.force_login(officer)
    assert _draft(client, output, quarter, rag="GREEN").status_code == 400
    assert not ReturnDraft.objects.exists()


def test_drafts_are_never_counted_shown_or_published(client, officer, output, quarter):
    """A Red draft: the status stays Blank everywhere, and its words appear on no page."""
    save_return_draft(
        output=output,
        quarter=quarter,
        acting_user=officer,
        version=0,
        rag="RED",
        commentary="DRAFT-PROBE words",
        corrective_action="DRAFT-PROBE action",
    )
    assert Output.objects.with_status(quarter).get(pk=output.pk).status == Status.BLANK
    summary = build_summary(output.plan.programme, quarter)
    assert summary.total.counts[Status.BLANK] == 1
    assert summary.total.counts[Status.RED] == 0
    counted = Output.objects.counted_in(quarter).with_status(quarter)
    assert [o.ref for o in dashboards.exceptions(counted, quarter, officer)] == ["NE001"]
    assert dashboards.exceptions(counted, quarter, officer).get().latest_commentary is None
    Quarter.objects.filter(pk=quarter.pk).update(state=Quarter.State.CLOSED)  # published
    for url in (
        output.get_absolute_url(),
        reverse("dashboards:exceptions") + "?year=2006/07&quarter=3",
        reverse("actionplans:summary") + "?year=2006/07&quarter=3",
    ):
        client.logout()
        assert "DRAFT-PROBE" not in client.get(url).content.decode(), url
        client.force_login(officer)
        assert "DRAFT-PROBE" not in client.get(url).content.decode(), url
