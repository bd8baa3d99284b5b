"""My outputs: the signed-in officer's agency's outputs with the open quarter's status."""

import datetime

import pytest
from django.urls import reverse

from actionplans.models import Quarter
from tests.actionplans.journey import open_quarter, plan_with_outputs
from tests.downloads import download_text
from tests.factories import (
    ActionPlanFactory,
    OrganisationFactory,
    OutputFactory,
    QuarterFactory,
    StatusUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("actionplans:my_outputs")


def _refs(response):
    return [row.record.ref for row in response.context["table"].paginated_rows]


def test_officer_sees_only_the_outputs_their_agency_leads(client, officer, agency, other_agency):
    open_quarter()
    OutputFactory(lead_agency=agency, ref="OURS1")
    OutputFactory(lead_agency=other_agency, ref="THEIRS")
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert _refs(response) == ["OURS1"]
    html = response.content.decode()
    assert "Deadline for returns" in html
    assert "31 January 2007" in html
    assert "Outputs and their status in Quarter 3 2006/07" in html
    assert "Lead agency" not in response.context["table"].columns.names()


def test_governance_support_sees_every_output_with_its_lead_agency(
    client, governance_support, agency, other_agency
):
    open_quarter()
    OutputFactory(lead_agency=agency, ref="A1")
    OutputFactory(lead_agency=other_agency, ref="B1")
    client.force_login(governance_support)
    response = client.get(URL)
    assert sorted(_refs(response)) == ["A1", "B1"]
    assert "lead_agency" in response.context["table"].columns.names()


def test_the_status_shown_is_the_open_quarters_derived_one(client, officer, agency):
    q2 = QuarterFactory(year=2006, number=2, state=Quarter.State.CLOSED)
    q3 = open_quarter()
    plan, (green, blank, white) = plan_with_outputs(agency, 3)
    white.commencement = datetime.date(2007, 1, 1)
    white.save()
    StatusUpdateFactory(output=green, quarter=q3, rag="GREEN")
    StatusUpdateFactory(output=blank, quarter=q2, rag="GREEN")  # last quarter's does not count
    client.force_login(officer)
    response = client.get(URL)
    statuses = {row.record.ref: row.record.status for row in response.context["table"].rows}
    assert statuses == {green.ref: "GREEN", blank.ref: "BLANK", white.ref: "WHITE"}
    assert response.context["quarter"] == q3


def test_filters_by_plan_and_status(client, officer, agency):
    q3 = open_quarter()
    plan_a, outputs_a = plan_with_outputs(agency, 2, plan=ActionPlanFactory(name="East"))
    plan_b, outputs_b = plan_with_outputs(agency, 1, plan=ActionPlanFactory(name="West"))
    StatusUpdateFactory(output=outputs_a[0], quarter=q3, rag="RED", commentary="Stalled")
    client.force_login(officer)
    assert _refs(client.get(URL, {"plan": plan_b.slug})) == [outputs_b[0].ref]
    assert _refs(client.get(URL, {"status": "RED"})) == [outputs_a[0].ref]
    assert _refs(client.get(URL, {"plan": plan_a.slug, "status": "BLANK"})) == [outputs_a[1].ref]


def test_the_plan_filter_lists_only_plans_with_the_officers_outputs(
    client, officer, agency, other_agency
):
    open_quarter()
    plan_with_outputs(agency, 1, plan=ActionPlanFactory(name="Ours"))
    plan_with_outputs(other_agency, 1, plan=ActionPlanFactory(name="Not ours"))
    client.force_login(officer)
    choices = [label for _, label in client.get(URL).context["filter"].form["plan"].field.choices]
    assert choices == ["Any plan", "Ours"]


def test_withdrawn_outputs_are_not_listed_for_the_quarter(client, officer, agency):
    open_quarter()
    OutputFactory(lead_agency=agency, ref="GONE", withdrawn=datetime.date(2006, 9, 1))
    OutputFactory(lead_agency=agency, ref="KEPT")
    client.force_login(officer)
    assert _refs(client.get(URL)) == ["KEPT"]


def test_an_officer_without_an_agency_is_told_why_the_list_is_empty(client, agency):
    open_quarter()
    OutputFactory(lead_agency=agency)
    lonely = UserFactory(username="lonely", role="Officer")
    client.force_login(lonely)
    response = client.get(URL)
    assert _refs(response) == []
    assert "not linked to a lead agency" in response.content.decode()


def test_htmx_filtering_returns_only_the_results(client, officer, agency):
    open_quarter()
    OutputFactory(lead_agency=agency)
    client.force_login(officer)
    response = client.get(URL, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<table" in html and "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_each_row_links_to_update_in_place_and_without_javascript(client, officer, agency):
    open_quarter()
    output = OutputFactory(lead_agency=agency, ref="NE001")
    client.force_login(officer)
    html = client.get(URL).content.decode()
    update = reverse("actionplans:output_update", args=[output.pk])
    assert f'href="{update}?next=%2Factionplans%2Fmy-outputs%2F"' in html
    assert 'hx-target="closest tr"' in html
    assert f'id="output-{output.pk}"' in html


def test_export_leaves_out_the_update_column(client, officer, agency):
    open_quarter()
    OutputFactory(lead_agency=agency, ref="=cmd", title="Formula")
    client.force_login(officer)
    response = client.get(URL, {"_export": "csv"})
    text = download_text(response)
    assert text.splitlines()[0] == "Ref,Output,Plan,Due,Status (Quarter 3 2006/07)"
    assert "'=cmd" in text


def test_with_no_quarter_the_list_still_shows_without_a_status(client, officer, agency):
    OutputFactory(lead_agency=agency, ref="X1")
    client.force_login(officer)
    response = client.get(URL)
    assert _refs(response) == ["X1"]
    assert "No quarter has been opened for returns yet" in response.content.decode()


def test_query_count_is_pinned_with_500_outputs(
    client, governance_support, officer, agency, django_assert_num_queries
):
    open_quarter()
    other = OrganisationFactory(name="NHS Leeds")
    for n in range(6):
        plan_with_outputs(agency if n % 2 else other, 90, plan=ActionPlanFactory())
    client.force_login(governance_support)
    client.get(URL)  # warm the session and role caches the same way a browser would
    # session, user, roles, quarter, profile, count, the plan filter's choices, the page's rows
    with django_assert_num_queries(8):
        response = client.get(URL, {"status": "BLANK"})
    assert response.context["table"].paginator.count == 540
    client.force_login(officer)
    client.get(URL)
    with django_assert_num_queries(9):  # and the officer's agency, to name it
        response = client.get(URL)
    assert response.context["table"].paginator.count == 270


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("officer", True),
        ("governance_support", True),
        ("scrutiny_member", False),
        ("chair", False),
        ("anonymous", False),
    ],
)
def test_the_home_page_links_officers_to_their_outputs(persona_client, persona, shown):
    html = persona_client(persona).get(reverse("home")).content.decode()
    assert (f'href="{URL}"' in html) is shown
    assert (f'href="{reverse("actionplans:returns")}"' in html) is shown
