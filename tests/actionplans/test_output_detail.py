"""An output's page: its details, status quarter by quarter, and every return with who and when."""

import datetime

import pytest
from django.urls import reverse

from actionplans.models import Output, Quarter, StatusUpdate
from actionplans.views.outputs import _quarter_statuses
from tests.actionplans.journey import open_quarter
from tests.factories import (
    ActionPlanFactory,
    OutputFactory,
    QuarterFactory,
    StatusUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(agency):
    plan = ActionPlanFactory(
        period_start=datetime.date(2006, 4, 1), period_end=datetime.date(2007, 3, 31)
    )
    quarters = [
        QuarterFactory(year=2006, number=n, state=Quarter.State.CLOSED) for n in (1, 2, 3)
    ] + [open_quarter(year=2006, number=4, deadline=datetime.date(2007, 4, 30))]
    output = OutputFactory(
        plan=plan,
        lead_agency=agency,
        ref="NE001",
        title="Open a youth centre",
        commencement=datetime.date(2006, 7, 1),
    )
    writer = UserFactory(username="writer", first_name="Sam", last_name="Writer")
    StatusUpdateFactory(
        output=output,
        quarter=quarters[1],
        rag="AMBER",
        commentary="Site not secured",
        created_by=writer,
        created_at=datetime.datetime(2006, 10, 20, 9, tzinfo=datetime.UTC),
    )
    StatusUpdateFactory(
        output=output,
        quarter=quarters[1],
        rag="GREEN",
        commentary="Site secured",
        created_by=writer,
        late_reason="Sent on time by post",
        created_at=datetime.datetime(2006, 11, 2, 9, tzinfo=datetime.UTC),
    )
    return output, quarters


def test_it_shows_the_status_quarter_by_quarter_with_white_and_blank_derived(
    client, scrutiny_member, history
):
    output, quarters = history
    client.force_login(scrutiny_member)
    response = client.get(output.get_absolute_url())
    assert response.status_code == 200
    rows = response.context["quarter_statuses"]
    assert [(r["quarter"].number, r["status"]) for r in rows] == [
        (1, "WHITE"),
        (2, "GREEN"),
        (3, "BLANK"),
        (4, "BLANK"),
    ]
    for row in rows:
        assert row["status"] == Output.objects.with_status(row["quarter"]).get(pk=output.pk).status


def test_it_lists_every_return_newest_first_with_who_and_when(client, officer, history):
    output, _ = history
    client.force_login(officer)
    html = client.get(output.get_absolute_url()).content.decode()
    assert html.index("Site secured") < html.index("Site not secured")
    assert html.count("Sam Writer") == 2
    assert "2 Nov 2006" in html
    assert "Recorded after the quarter closed</strong>: Sent on time by post" in html


def test_the_public_reads_statuses_and_commentary_but_not_names_or_late_reasons(client, history):
    output, _ = history
    html = client.get(output.get_absolute_url()).content.decode()
    assert "Site not secured" in html
    assert "Sam Writer" not in html
    assert "Sent on time by post" not in html
    assert "Recorded after the quarter closed" in html
    assert '<form method="post"' not in html


def test_the_lead_agencys_officer_gets_the_update_form(client, officer, history):
    output, _ = history
    client.force_login(officer)
    html = client.get(output.get_absolute_url()).content.decode()
    assert f'action="{reverse("actionplans:output_update", args=[output.pk])}"' in html
    assert "Update the status for Quarter 4 2006/07" in html


def test_another_agencys_officer_reads_without_a_form(client, other_agency_officer, history):
    output, _ = history
    client.force_login(other_agency_officer)
    html = client.get(output.get_absolute_url()).content.decode()
    assert "Site secured" in html
    assert "Update the status" not in html


def test_the_public_sees_the_status_in_closed_quarters_only(client, history):
    output, quarters = history
    StatusUpdateFactory(output=output, quarter=quarters[3], rag="RED", commentary="Q4 probe")
    response = client.get(output.get_absolute_url())
    rows = response.context["quarter_statuses"]
    assert [(r["quarter"].number, r["status"]) for r in rows] == [
        (1, "WHITE"),
        (2, "GREEN"),
        (3, "BLANK"),
    ]
    assert "Q4 probe" not in response.content.decode()


def test_withdrawn_quarters_are_shown_as_not_counted(history, scrutiny_member):
    output, quarters = history
    output.withdrawn = datetime.date(2006, 12, 31)
    output.save()
    updates = list(output.updates.select_related("quarter"))
    statuses = [r["status"] for r in _quarter_statuses(output, updates, scrutiny_member)]
    assert statuses == ["WHITE", "GREEN", "BLANK", None]


def test_an_unknown_output_is_404(client):
    assert client.get(reverse("actionplans:output_detail", args=[424242])).status_code == 404


def test_history_rows_are_never_changed_by_a_new_return(client, officer, history):
    output, quarters = history
    before = list(StatusUpdate.objects.order_by("pk").values_list("pk", "rag", "commentary"))
    client.force_login(officer)
    client.post(
        reverse("actionplans:output_update", args=[output.pk]),
        {
            "rag": "RED",
            "commentary": "Closed",
            "corrective_action": "Reopen the site",
            "corrective_action_by": "2030-03-31",
            "version": output.version,
            "quarter": quarters[3].pk,
        },
    )
    after = list(StatusUpdate.objects.order_by("pk").values_list("pk", "rag", "commentary"))
    assert after[:2] == before
    assert after[2][1:] == ("RED", "Closed")


def test_governance_support_can_record_a_return_for_a_closed_quarter(
    client, governance_support, history
):
    output, quarters = history
    client.force_login(governance_support)
    rows = client.get(output.get_absolute_url()).context["quarter_statuses"]
    linked = [r["quarter"].number for r in rows if r.get("update_url")]
    assert linked == [2, 3, 4]  # not Q1, when the output had not commenced (White)
    q2 = next(r for r in rows if r["quarter"].number == 2)
    page = client.get(q2["update_url"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Reason for recording a return after the quarter closed" in html
    assert f'name="quarter" value="{quarters[1].pk}"' in html


def test_an_officer_is_offered_only_the_open_quarter(client, officer, history):
    output, _ = history
    client.force_login(officer)
    rows = client.get(output.get_absolute_url()).context["quarter_statuses"]
    assert [r["quarter"].number for r in rows if r.get("update_url")] == [4]


@pytest.mark.parametrize("returns", [2, 40])
def test_the_output_page_keeps_its_query_count_with_a_long_history(
    client, officer, history, returns, django_assert_num_queries
):
    output, quarters = history
    for n in range(returns):
        StatusUpdateFactory(
            output=output,
            quarter=quarters[n % 4],
            rag="RED",
            commentary=f"Return {n}",
            created_by=officer,
        )
    client.force_login(officer)
    client.get(output.get_absolute_url())
    # session, user, roles, output, returns, quarters, statuses by quarter, current quarter,
    # its status, profile, the returns' evidence, the officer's draft
    with django_assert_num_queries(12):
        response = client.get(output.get_absolute_url())
    assert len(response.context["history"]) == returns + 2
