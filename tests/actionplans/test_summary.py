"""The summary progress table page and its rules, on factory data: rows in plan order, subtotals
for scopes with more than one plan, a total row, percentages rounded half up per row."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from actionplans.models import ActionPlan
from actionplans.summary import build_summary, percent
from tests.factories import (
    ActionPlanFactory,
    OutputFactory,
    ProgrammeFactory,
    QuarterFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("actionplans:summary")


def _outputs(plan, quarter, **statuses):
    """Outputs of `plan` with the given statuses in `quarter` (white and blank derived)."""
    for rag, n in statuses.items():
        for _ in range(n):
            if rag == "WHITE":
                OutputFactory(plan=plan, commencement=quarter.end + datetime.timedelta(days=1))
            elif rag == "BLANK":
                OutputFactory(plan=plan)
            else:
                StatusUpdateFactory(
                    output=OutputFactory(plan=plan), quarter=quarter, rag=rag, commentary="Why"
                )


@pytest.fixture
def q3():
    # Published: the seed's table is the Q3 report, and the public sees closed quarters only.
    return QuarterFactory(year=2006, number=3, state="closed")


@pytest.fixture
def programme(q3):
    """Two district plans, one city-wide plan and one neighbourhood plan, out of name order."""
    programme = ProgrammeFactory(name="Regeneration Programme")
    plans = {
        "Zeta": ActionPlanFactory(
            programme=programme,
            name="Zeta district",
            short_name="Zeta",
            order=1,
            scope=ActionPlan.Scope.DISTRICT,
        ),
        "Alpha": ActionPlanFactory(
            programme=programme,
            name="Alpha district",
            short_name="Alpha",
            order=2,
            scope=ActionPlan.Scope.DISTRICT,
        ),
        "City": ActionPlanFactory(
            programme=programme,
            name="City plan",
            short_name="City",
            order=3,
            scope=ActionPlan.Scope.CITY_WIDE,
        ),
        "Hood": ActionPlanFactory(
            programme=programme,
            name="Hood plan",
            short_name="Hood",
            order=4,
            scope=ActionPlan.Scope.NEIGHBOURHOOD,
        ),
    }
    _outputs(plans["Zeta"], q3, GREEN=1, AMBER=1, RED=1)  # thirds: 33, 33, 33
    _outputs(plans["Alpha"], q3, GREEN=1, WHITE=1)  # halves: 50, 50
    _outputs(plans["City"], q3, GREEN=7, BLANK=1)  # 87.5 rounds up to 88, 12.5 to 13
    _outputs(plans["Hood"], q3)  # no outputs: every % is 0
    return programme


def test_percent_rounds_half_up_in_integers():
    assert percent(1, 8) == 13  # 12.5
    assert percent(7, 8) == 88  # 87.5
    assert percent(1, 3) == 33
    assert percent(2, 3) == 67
    assert percent(5, 200) == 3  # 2.5
    assert percent(0, 0) == 0


def test_rows_follow_plan_order_with_a_subtotal_only_for_scopes_of_several_plans(programme, q3):
    rows = [row.as_csv_row() for row in build_summary(programme, q3).rows]
    assert rows == [
        ["Zeta", 3, 1, 33, 1, 33, 1, 33, 0, 0, 0, 0],
        ["Alpha", 2, 1, 50, 0, 0, 0, 0, 1, 50, 0, 0],
        ["All district plans", 5, 2, 40, 1, 20, 1, 20, 1, 20, 0, 0],
        ["City", 8, 7, 88, 0, 0, 0, 0, 0, 0, 1, 13],
        ["Hood", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ["Total", 13, 9, 69, 1, 8, 1, 8, 1, 8, 1, 8],
    ]


def test_withdrawn_outputs_and_plans_outside_the_quarter_are_not_counted(programme, q3):
    zeta = ActionPlan.objects.get(short_name="Zeta")
    OutputFactory(plan=zeta, withdrawn=datetime.date(2006, 9, 30))  # before Q3 starts
    OutputFactory(plan=zeta, withdrawn=datetime.date(2006, 10, 1))  # during Q3: counted
    later = ActionPlanFactory(
        programme=programme, name="Later plan", order=5, period_start=datetime.date(2007, 4, 1)
    )
    OutputFactory(plan=later)
    rows = build_summary(programme, q3).rows
    assert [row.label for row in rows if row.kind == "plan"] == ["Zeta", "Alpha", "City", "Hood"]
    assert rows[0].outputs == 4
    assert rows[-1].outputs == 14


def test_the_page_shows_each_row_with_status_words(client, programme, q3):
    response = client.get(URL, {"programme": programme.slug, "year": "2006/07", "quarter": "3"})
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('id="summary-table"') : html.index("</table>")]
    assert "<caption" in table
    for word in ("Green", "Amber", "Red", "White", "Blank"):
        assert word in table
    labels = [row.label for row in response.context["summary"].rows]
    positions = [table.index(label) for label in labels]
    assert positions == sorted(positions)
    assert 'href="/actionplans/plans/zeta-district/?year=2006/07&amp;quarter=3"' in table


def test_the_csv_has_the_issues_header_and_ends_with_total(client, programme, q3):
    response = client.get(
        URL, {"programme": programme.slug, "year": "2006/07", "quarter": "3", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == [
        "Plan", "No of outputs", "Green", "Green %", "Amber", "Amber %",
        "Red", "Red %", "White", "White %", "Blank", "Blank %",
    ]  # fmt: skip
    assert rows[-1] == ["Total", "13", "9", "69", "1", "8", "1", "8", "1", "8", "1", "8"]
    assert all(len(row) == 12 for row in rows)


def test_a_plan_name_cannot_become_a_spreadsheet_formula(client, q3):
    programme = ProgrammeFactory(name="Risky")
    plan = ActionPlanFactory(programme=programme, name="=HYPERLINK(1)", slug="risky-plan")
    OutputFactory(plan=plan)
    response = client.get(
        URL, {"programme": programme.slug, "year": "2006/07", "quarter": "3", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_without_parameters_it_offers_the_choices(client, programme, q3):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="programme"' in html and 'name="year"' in html and 'name="quarter"' in html
    assert f'value="{programme.slug}"' in html
    assert '<option value="2006/07"' in html
    assert "summary" not in response.context or response.context.get("summary") is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"programme": "no-such", "year": "2006/07", "quarter": "3"}, "no such programme"),
        ({"year": "2006/07", "quarter": "3"}, "Choose a programme"),
        ({"programme": "regeneration-programme", "quarter": "3"}, "Choose a financial year"),
        ({"programme": "regeneration-programme", "year": "2006/07"}, "Choose a quarter"),
        ({"programme": "regeneration-programme", "year": "2006/07", "quarter": "9"},
         "not a quarter"),
        ({"programme": "regeneration-programme", "year": "1999/00", "quarter": "3"},
         "not a financial year"),
        ({"programme": "regeneration-programme", "year": "2006/07", "quarter": "1"},
         "There is no Quarter 1 2006/07"),
    ],
)  # fmt: skip
def test_bad_or_missing_parameters_get_a_clear_message_not_an_error(
    client, programme, q3, query, message
):
    for extra in ({}, {"format": "csv"}):
        response = client.get(URL, query | extra)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert "There is a problem" in html
        assert message in html
        assert 'name="programme"' in html


def test_it_refuses_to_be_posted_to(client):
    assert client.post(URL).status_code == 405


def test_it_keeps_a_constant_number_of_queries(client, q3, django_assert_num_queries):
    programme = ProgrammeFactory(name="Big programme")
    plans = [ActionPlanFactory(programme=programme, order=i) for i in range(6)]
    for i, plan in enumerate(plans):
        _outputs(plan, q3, GREEN=40, AMBER=20 + i, RED=10, WHITE=5, BLANK=15)
    query = {"programme": programme.slug, "year": "2006/07", "quarter": "3"}
    # programmes and quarters for the form, the plans, the counts by plan and status
    with django_assert_num_queries(4):
        response = client.get(URL, query)
    assert response.context["summary"].total.outputs == 6 * 90 + 15
    with django_assert_num_queries(4):
        client.get(URL, query | {"format": "csv"})
