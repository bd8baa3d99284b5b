"""The programmes and plans index: filters, sorting, pagination, exports, htmx, query count."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from actionplans.models import ActionPlan
from tests.factories import (
    ActionPlanFactory,
    BoardFactory,
    OutputFactory,
    ProgrammeFactory,
    QuarterFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("actionplans:index")
_ROW_NAME = re.compile(
    r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell"><a href="[^"]*">([^<]*)</a>'
)
HEADER = ["Plan", "Programme", "Owner board", "Scope", "Area", "Period", "Outputs", "Illustrative"]


def _names(response) -> list[str]:
    assert response.status_code == 200
    return _ROW_NAME.findall(response.content.decode())


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def plans():
    regen = ProgrammeFactory(name="Leeds Regeneration Plan 2005–2008")
    district = BoardFactory(name="East District Partnership")
    communities = BoardFactory(name="Communities Board")
    east = ActionPlanFactory(
        programme=regen,
        name="East District Partnership Action Plan",
        owner=district,
        scope=ActionPlan.Scope.DISTRICT,
        area="East Leeds",
        order=1,
        illustrative=True,
    )
    city = ActionPlanFactory(
        programme=regen,
        name="City-wide Action Plan",
        owner=BoardFactory(name="Narrowing the Gap Executive"),
        scope=ActionPlan.Scope.CITY_WIDE,
        area="Leeds",
        order=2,
        illustrative=True,
    )
    work = ActionPlanFactory(
        programme=None,
        name="Communities Board work programme",
        owner=communities,
        scope=ActionPlan.Scope.CITY_WIDE,
        area="Leeds",
        description="Best City for Communities development programme",
    )
    OutputFactory.create_batch(3, plan=east)
    OutputFactory.create_batch(2, plan=work)
    return {"east": east, "city": city, "work": work, "regen": regen}


def test_it_lists_every_plan_with_its_outputs(client, plans):
    response = client.get(URL)
    assert sorted(_names(response)) == sorted(
        p.name for p in plans.values() if p is not plans["regen"]
    )
    html = response.content.decode()
    assert "<caption" in html and "Action plans" in html
    assert f'href="{plans["east"].get_absolute_url()}"' in html


def test_it_filters_by_programme_owner_scope_and_words(client, plans):
    assert sorted(_names(client.get(URL, {"programme": plans["regen"].slug}))) == [
        "City-wide Action Plan",
        "East District Partnership Action Plan",
    ]
    assert _names(client.get(URL, {"owner": "communities-board"})) == [
        "Communities Board work programme"
    ]
    assert _names(client.get(URL, {"scope": ActionPlan.Scope.DISTRICT})) == [
        "East District Partnership Action Plan"
    ]
    assert _names(client.get(URL, {"q": "best city"})) == ["Communities Board work programme"]
    assert _names(client.get(URL, {"q": "east leeds"})) == ["East District Partnership Action Plan"]


def test_it_sorts_by_a_column_both_ways(client, plans):
    up = _names(client.get(URL, {"sort": "output_count"}))
    down = _names(client.get(URL, {"sort": "-output_count"}))
    assert up[-1] == "East District Partnership Action Plan"
    assert down[0] == "East District Partnership Action Plan"
    assert down == list(reversed(up))


def test_it_pages_through_many_plans(client):
    owner = BoardFactory()
    ActionPlanFactory.create_batch(30, owner=owner, programme=None)
    first, second = client.get(URL), client.get(URL, {"page": 2})
    assert len(_names(first)) == 25 and len(_names(second)) == 5
    assert not set(_names(first)) & set(_names(second))
    assert 'rel="next"' in first.content.decode()


def test_the_export_has_exactly_the_filtered_rows(client, plans):
    rows = _csv_rows(client.get(URL, {"programme": plans["regen"].slug, "_export": "csv"}))
    assert rows[0] == HEADER
    assert sorted(row[0] for row in rows[1:]) == [
        "City-wide Action Plan",
        "East District Partnership Action Plan",
    ]
    east = next(row for row in rows if row[0].startswith("East"))
    assert east[1:] == [
        "Leeds Regeneration Plan 2005–2008",
        "East District Partnership",
        "District",
        "East Leeds",
        "2005-11-01 to 2008-03-31",
        "3",
        "Illustrative",
    ]


def test_the_xlsx_export_has_the_same_rows(client, plans):
    response = client.get(URL, {"scope": ActionPlan.Scope.CITY_WIDE, "_export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert sorted(row[0] for row in rows[1:]) == [
        "City-wide Action Plan",
        "Communities Board work programme",
    ]


def test_the_export_is_safe_against_formula_injection(client):
    ActionPlanFactory(name="=cmd|' /C calc'!A0", slug="evil", area="+SUM(A1)", programme=None)
    rows = _csv_rows(client.get(URL, {"_export": "csv"}))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][4] == "'+SUM(A1)"


def test_it_labels_illustrative_plans(client, plans):
    html = client.get(URL, {"programme": plans["regen"].slug}).content.decode()
    assert html.count(">Illustrative</strong>") >= 2


def test_htmx_gets_only_the_results(client, plans):
    response = client.get(URL, {"scope": "district"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<table" in html
    assert _names(response) == ["East District Partnership Action Plan"]
    assert "HX-Request" in response["Vary"]


def test_without_htmx_it_is_a_whole_page_with_a_filter_form(client, plans):
    html = client.get(URL).content.decode()
    assert "<html" in html and 'method="get"' in html and "Apply filters" in html


def test_it_links_each_programme_to_its_summary(client, plans):
    QuarterFactory(year=2006, number=3, state="closed")
    html = client.get(URL).content.decode()
    assert (
        f"/actionplans/summary/?programme={plans['regen'].slug}&amp;year=2006/07&amp;quarter=3"
        in html
    )


def test_it_keeps_a_constant_number_of_queries(client, django_assert_num_queries):
    programme = ProgrammeFactory()
    owners = BoardFactory.create_batch(5)
    plans = [
        ActionPlanFactory(programme=programme, owner=owners[i % 5], order=i) for i in range(25)
    ]
    for plan in plans:
        OutputFactory.create_batch(21, plan=plan)
    # session-free anonymous request: filter choices (programmes, owners), count, page of
    # rows, programmes list, summary quarter, narrative reports
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert len(_names(response)) == 25


def test_by_default_plans_follow_their_programme_order_and_the_rest_come_last(client, plans):
    assert _names(client.get(URL)) == [
        "East District Partnership Action Plan",
        "City-wide Action Plan",
        "Communities Board work programme",
    ]
    assert _names(client.get(URL, {"sort": "-programme"}))[-1] == "Communities Board work programme"
