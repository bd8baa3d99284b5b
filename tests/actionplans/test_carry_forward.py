""" "No change since last quarter": one form carries several outputs' last RAG into the reporting
quarter, each through `record_status_update` with its own version check, so a conflict in one
row saves the others and shows that row again with what was typed."""

import datetime

import pytest
from django.urls import reverse

from actionplans.models import Output, Quarter, ReturnDraft, StatusUpdate
from actionplans.services import record_status_update, save_return_draft
from leeds_communities.models import AuditEvent
from tests.actionplans.journey import open_quarter
from tests.factories import (
    ActionPlanFactory,
    OutputFactory,
    QuarterFactory,
    StatusUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("actionplans:carry_forward")


@pytest.fixture
def setting(agency, other_agency):
    """Q2 returns for three of the agency's outputs (Green, Amber, Red with its corrective
    action), one output with none, another agency's output; Q3 open."""
    q2 = QuarterFactory(year=2006, number=2, state=Quarter.State.CLOSED)
    q3 = open_quarter()
    plan = ActionPlanFactory(name="North East")
    green, amber, red, fresh = (
        OutputFactory(plan=plan, lead_agency=agency, ref=f"NE00{n}") for n in range(1, 5)
    )
    theirs = OutputFactory(plan=plan, lead_agency=other_agency, ref="NE900")
    StatusUpdateFactory(output=green, quarter=q2, rag="GREEN")
    StatusUpdateFactory(output=amber, quarter=q2, rag="AMBER", commentary="Slow lease")
    StatusUpdateFactory(
        output=red,
        quarter=q2,
        rag="RED",
        commentary="Site lost",
        corrective_action="New site",
        corrective_action_by=datetime.date(2007, 3, 31),
        forecast="AMBER",
    )
    StatusUpdateFactory(output=theirs, quarter=q2, rag="GREEN")
    for output in (green, amber, red, theirs):
        Output.objects.filter(pk=output.pk).update(version=1)
        output.refresh_from_db()
    return q3, green, amber, red, fresh


def _post(client, outputs, **extra):
    data = {"carry": [str(o.pk) for o in outputs], "note": "No change since last quarter."}
    for output in outputs:
        data[f"version_{output.pk}"] = str(output.version)
        data[f"commentary_{output.pk}"] = ""
    data.update(extra)
    return client.post(URL, data)


def test_it_lists_the_agencys_blank_outputs_with_their_last_return(client, officer, setting):
    q3, green, amber, red, fresh = setting
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert [r.output.ref for r in response.context["rows"]] == ["NE001", "NE002", "NE003"]
    html = response.content.decode()
    assert 'type="checkbox"' in html and "govuk-checkboxes__conditional" in html
    assert "NE900" not in html and "NE004" not in html
    assert "Last return, Quarter 2 2006/07" in html
    assert "Corrective action, by 31 March 2007:" in html


def test_it_carries_each_ticked_outputs_last_rag_forward(client, officer, setting):
    q3, green, amber, red, fresh = setting
    client.force_login(officer)
    response = _post(
        client, [green, amber, red], **{f"commentary_{amber.pk}": "Lease still with legal"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("actionplans:my_outputs")
    carried = {u.output_id: u for u in StatusUpdate.objects.filter(quarter=q3)}
    assert {o.pk: carried[o.pk].rag for o in (green, amber, red)} == {
        green.pk: "GREEN",
        amber.pk: "AMBER",
        red.pk: "RED",
    }
    assert carried[amber.pk].commentary == "Lease still with legal"
    assert carried[green.pk].commentary == "No change since last quarter."
    assert (carried[red.pk].corrective_action, carried[red.pk].forecast) == ("New site", "AMBER")
    assert all(u.created_by == officer for u in carried.values())
    assert set(
        Output.objects.filter(pk__in=[green.pk, amber.pk, red.pk]).values_list("version", flat=True)
    ) == {2}
    assert AuditEvent.objects.filter(action="status_update", actor=officer).count() == 3
    follow = client.get(response["Location"])
    assert "3 returns carried forward to Quarter 3 2006/07: NE001, NE002, NE003." in (
        follow.content.decode()
    )


def test_a_conflict_in_one_row_saves_the_others_and_keeps_what_was_typed(
    client, officer, agency, setting
):
    q3, green, amber, red, fresh = setting
    colleague = UserFactory(
        username="colleague",
        first_name="Pat",
        last_name="Colleague",
        role="Officer",
        profile__organisation=agency,
    )
    client.force_login(officer)
    client.get(URL)  # the page is shown at version 1 for each
    record_status_update(
        output=Output.objects.get(pk=amber.pk),
        quarter=q3,
        rag="RED",
        commentary="Lease fell through",
        corrective_action="Find another site",
        corrective_action_by=datetime.date(2007, 3, 31),
        acting_user=colleague,
        expected_version=1,
    )
    response = _post(
        client, [green, amber], **{f"commentary_{amber.pk}": "Still with legal, as before"}
    )
    assert response.status_code == 409
    assert StatusUpdate.objects.get(output=green, quarter=q3).created_by == officer
    assert list(
        StatusUpdate.objects.filter(output=amber, quarter=q3).values_list("created_by", flat=True)
    ) == [colleague.pk]
    html = response.content.decode()
    assert "1 return carried forward to Quarter 3 2006/07: NE001." in html
    assert "Someone else updated NE002 first" in html
    assert "Pat Colleague" in html and "Lease fell through" in html
    assert "Still with legal, as before</textarea>" in html
    assert f'name="version_{amber.pk}" value="2"' in html
    rows = {r.output.ref: r for r in response.context["rows"]}
    assert "NE001" not in rows and rows["NE002"].checked
    assert 'class="govuk-error-summary' in html

    # Seen it, the officer saves again knowingly: now against the colleague's version.
    again = _post(
        client,
        [Output.objects.get(pk=amber.pk)],
        **{f"commentary_{amber.pk}": "Still with legal, as before"},
    )
    assert again.status_code == 302
    latest = StatusUpdate.objects.filter(output=amber, quarter=q3).order_by("-pk").first()
    assert (latest.created_by, latest.rag) == (officer, "AMBER")


def test_a_row_the_return_rules_refuse_is_shown_and_the_others_saved(client, officer, setting):
    q3, green, amber, red, fresh = setting
    # The last corrective action was due before Q3 starts: it cannot be carried as it is.
    StatusUpdate.objects.filter(output=red).update(corrective_action_by=datetime.date(2006, 9, 1))
    client.force_login(officer)
    response = _post(client, [green, red])
    assert response.status_code == 400
    html = response.content.decode()
    assert "NE003: The corrective action cannot be due before Quarter 3 2006/07 starts" in html
    assert "Use the output&#x27;s own form to record it." in html
    assert StatusUpdate.objects.filter(quarter=q3).get().output_id == green.pk


def test_nothing_ticked_is_an_error_and_writes_nothing(client, officer, setting):
    client.force_login(officer)
    response = client.post(URL, {"note": "x"})
    assert response.status_code == 400
    assert "Choose the outputs whose status has not changed" in response.content.decode()
    assert not StatusUpdate.objects.filter(quarter__number=3).exists()


def test_another_agencys_output_cannot_be_ticked(client, officer, setting, other_agency):
    theirs = Output.objects.get(ref="NE900")
    client.force_login(officer)
    response = _post(client, [theirs])
    assert response.status_code == 400
    assert not StatusUpdate.objects.filter(quarter__number=3).exists()


def test_carrying_forward_replaces_the_officers_draft(client, officer, setting):
    q3, green, *_ = setting
    save_return_draft(output=green, quarter=q3, acting_user=officer, version=1, commentary="d")
    client.force_login(officer)
    assert "carrying it forward replaces the draft" in client.get(URL).content.decode()
    _post(client, [green])
    assert not ReturnDraft.objects.exists()


def test_a_closed_quarter_is_refused(client, officer, setting):
    q3 = setting[0]
    Quarter.objects.filter(pk=q3.pk).update(state=Quarter.State.CLOSED)
    client.force_login(officer)
    response = _post(client, [setting[1]])
    assert response.status_code == 200
    assert "Late returns are recorded one by one" in response.content.decode()
    assert not StatusUpdate.objects.filter(quarter=q3).exists()


@pytest.mark.parametrize("extra", [2, 20])
def test_the_page_costs_the_same_number_of_queries_for_more_outputs(
    client, officer, agency, setting, extra, django_assert_num_queries
):
    q2 = Quarter.objects.get(number=2)
    plan = setting[1].plan
    for n in range(extra):
        StatusUpdateFactory(
            output=OutputFactory(plan=plan, lead_agency=agency, ref=f"X{n:03d}"), quarter=q2
        )
    client.force_login(officer)
    client.get(URL)
    # session, user, roles, quarter, outputs, their last returns, profile
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert len(response.context["rows"]) == 3 + extra
