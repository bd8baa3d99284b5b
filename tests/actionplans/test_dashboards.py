"""Scrutiny dashboards: each panel's numbers on a small hand-built data set, the public's view,
the drill-down and its export, PDFs, and query counts that do not grow with the data."""

import csv
import datetime
import functools
import io

import pytest
from django.urls import reverse

from actionplans.dashboards import queries as dashboards
from actionplans.models import Output, Quarter, Status, StatusUpdate
from tests.downloads import download_text
from tests.factories import (
    ActionPlanFactory,
    BoardFactory,
    OrganisationFactory,
    OutputFactory,
    ProgrammeFactory,
    QuarterFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:index")
OUTPUTS_URL = reverse("dashboards:outputs")
Q3 = {"year": "2006/07", "quarter": "3"}


def _update(output, quarter, rag, commentary="", day=10):
    return StatusUpdateFactory(
        output=output,
        quarter=quarter,
        rag=rag,
        commentary=commentary or ("" if rag == "GREEN" else f"{rag.title()} because"),
        created_at=datetime.datetime(quarter.end.year, quarter.end.month, 1, 9, tzinfo=datetime.UTC)
        + datetime.timedelta(days=day),
    )


@pytest.fixture
def city():
    """Two plans of one programme, two agencies, and quarters Q2–Q4 2006/07 (Q4 still open).

    In Q3 2006/07, East counts 5 outputs: G, A, R (red in Q2 too), WHITE (starts 2007), BLANK
    (blank in Q2 too); one more East output was withdrawn in Q2, so Q3 does not count it.
    West counts 3: R (turned red; green in Q2), G (recovered from red in Q2), G completed in Q3
    and withdrawn in Q3 (still counted in Q3).
    """
    q2 = QuarterFactory(year=2006, number=2, state=Quarter.State.CLOSED)
    q3 = QuarterFactory(year=2006, number=3, state=Quarter.State.CLOSED)
    q4 = QuarterFactory(year=2006, number=4, state=Quarter.State.OPEN)
    programme = ProgrammeFactory(name="Leeds Regeneration Plan 2005-2008")
    east = ActionPlanFactory(
        programme=programme, name="East", owner=BoardFactory(name="East Board"), order=1
    )
    west = ActionPlanFactory(
        programme=programme, name="West", owner=BoardFactory(name="West Board"), order=2
    )
    police = OrganisationFactory(name="West Yorkshire Police")
    council = OrganisationFactory(name="Leeds City Council")

    e = {}
    e["green"] = OutputFactory(plan=east, ref="E1", lead_agency=police)
    e["amber"] = OutputFactory(plan=east, ref="E2", lead_agency=police)
    e["red"] = OutputFactory(plan=east, ref="E3", lead_agency=council, title="Youth shelter")
    e["white"] = OutputFactory(
        plan=east, ref="E4", lead_agency=council, commencement=datetime.date(2007, 1, 1)
    )
    e["blank"] = OutputFactory(plan=east, ref="E5", lead_agency=council)
    e["gone"] = OutputFactory(
        plan=east, ref="E6", lead_agency=council, withdrawn=datetime.date(2006, 9, 1)
    )
    _update(e["green"], q3, "GREEN")
    _update(e["amber"], q3, "AMBER")
    _update(e["red"], q2, "RED", "Site not found")
    _update(e["red"], q3, "GREEN", day=1)
    _update(e["red"], q3, "RED", "Still no site", day=20)  # the latest in Q3 counts
    _update(e["gone"], q3, "RED")

    w = {}
    w["turned"] = OutputFactory(plan=west, ref="W1", lead_agency=police)
    w["recovered"] = OutputFactory(plan=west, ref="W2", lead_agency=police)
    w["done"] = OutputFactory(
        plan=west,
        ref="W3",
        lead_agency=council,
        completed=datetime.date(2006, 11, 30),
        withdrawn=datetime.date(2006, 12, 1),
    )
    _update(w["turned"], q2, "GREEN")
    _update(w["turned"], q3, "RED", "Contractor failed")
    _update(w["recovered"], q2, "RED", "Late")
    _update(w["recovered"], q3, "GREEN")
    _update(w["done"], q3, "GREEN")
    return {"q2": q2, "q3": q3, "q4": q4, "east": east, "west": west, **e, **w}


def _counted(quarter, user=None):
    from django.contrib.auth.models import AnonymousUser

    return dashboards.outputs_counted_in(quarter, user or AnonymousUser())


def _counts(distribution):
    return [distribution.counts[s] for s in (Status.GREEN, Status.AMBER, Status.RED)] + [
        distribution.counts[s] for s in (Status.WHITE, Status.BLANK)
    ]


def test_overall_counts_each_derived_status_once(city):
    overall = dashboards.overall(_counted(city["q3"]))
    assert overall.total == 8  # the output withdrawn in Q2 is not counted
    assert _counts(overall) == [3, 1, 2, 1, 1]


def test_it_counts_by_plan_and_lead_agency(city):
    outputs = _counted(city["q3"])
    plan = {g.label: _counts(g) for g in dashboards.by_dimension(outputs, _dimension("plan"))}
    assert plan == {"East": [1, 1, 1, 1, 1], "West": [2, 0, 1, 0, 0]}
    agency = {
        g.label: _counts(g) for g in dashboards.by_dimension(outputs, _dimension("lead_agency"))
    }
    assert agency == {
        "West Yorkshire Police": [2, 1, 1, 0, 0],
        "Leeds City Council": [1, 0, 1, 1, 1],
    }


def _dimension(param):
    return dashboards.DIMENSIONS_BY_PARAM[param]


def test_what_changed_since_last_quarter(city):
    changes = dashboards.changes(_counted(city["q3"]), city["q3"])
    assert changes == dashboards.Changes(
        turned_red=1, recovered=1, stayed_red=1, stayed_blank=1, completed=1, withdrawn=1
    )
    turned = dashboards.changed_outputs(_counted(city["q3"]), city["q3"], "turned_red")
    assert [o.ref for o in turned] == ["W1"]


def test_changes_are_broken_down_by_plan_and_lead_agency(city):
    outputs = _counted(city["q3"])
    by_plan = {
        row.label: row.counts
        for row in dashboards.changes_by(outputs, city["q3"], _dimension("plan"))
    }
    assert by_plan["East"] == {
        "turned_red": 0,
        "recovered": 0,
        "stayed_red": 1,
        "stayed_blank": 1,
        "completed": 0,
        "withdrawn": 0,
    }
    assert by_plan["West"] == {
        "turned_red": 1,
        "recovered": 1,
        "stayed_red": 0,
        "stayed_blank": 0,
        "completed": 1,
        "withdrawn": 1,
    }
    by_agency = dashboards.changes_by(outputs, city["q3"], _dimension("lead_agency"))
    police = next(r for r in by_agency if r.label == "West Yorkshire Police")
    assert police.counts["turned_red"] == 1 and police.counts["recovered"] == 1


def test_areas_count_an_output_once_in_each_ward_it_targets_and_once_per_committee(city):
    from neighbourhoods.models import CommunityCommittee, PriorityNeighbourhood, Ward

    committee = CommunityCommittee.objects.create(name="Inner East", slug="inner-east")
    gipton = Ward.objects.create(
        code="E05011401", name="Gipton and Harehills", slug="gipton", committee=committee
    )
    burmantofts = Ward.objects.create(
        code="E05011399", name="Burmantofts and Richmond Hill", slug="burm", committee=committee
    )
    gipton.targeted_outputs.add(city["red"], city["green"])
    burmantofts.targeted_outputs.add(city["red"])
    neighbourhood = PriorityNeighbourhood.objects.create(
        name="Lincoln Green", slug="lincoln-green", tier="initial_priority"
    )
    neighbourhood.targeted_outputs.add(city["red"])
    outputs = _counted(city["q3"])
    wards = {g.label: _counts(g) for g in dashboards.by_dimension(outputs, _dimension("ward"))}
    assert wards == {
        "Gipton and Harehills": [1, 0, 1, 0, 0],
        "Burmantofts and Richmond Hill": [0, 0, 1, 0, 0],
    }
    committees = dashboards.by_dimension(outputs, _dimension("committee"))
    assert [(g.label, _counts(g)) for g in committees] == [("Inner East", [1, 0, 1, 0, 0])]
    areas = dashboards.by_dimension(outputs, _dimension("neighbourhood"))
    assert [(g.label, _counts(g)) for g in areas] == [("Lincoln Green", [0, 0, 1, 0, 0])]


def test_exceptions_are_red_and_blank_the_longest_standing_first(city):
    rows = list(dashboards.exceptions(_counted(city["q3"]), city["q3"]))
    assert [(o.ref, o.status) for o in rows[:1]] == [("E3", Status.RED)]
    assert {o.ref for o in rows} == {"E3", "E5", "W1"}
    by_ref = {o.ref: o for o in rows}
    # Red in Q3 and Q2; Q1 2006/07 was never opened (no quarter row), so nobody was asked and
    # the streak stops there rather than counting quarters that never existed as Blank.
    assert by_ref["E3"].streak == 2
    assert by_ref["E3"].latest_commentary == "Still no site"
    assert by_ref["W1"].streak == 1  # green in Q2
    assert by_ref["E5"].streak == 2


def test_red_for_two_quarters_spans_the_financial_year_boundary(city, scrutiny_member):
    q1_next = QuarterFactory(year=2007, number=1, state=Quarter.State.CLOSED)
    output = OutputFactory(plan=city["east"], ref="E7")
    _update(output, city["q4"], "RED", "Stalled")
    _update(output, q1_next, "RED", "Still stalled")
    other = OutputFactory(plan=city["east"], ref="E8")
    _update(other, q1_next, "RED", "New problem")
    outputs = _counted(q1_next)
    # Signed in: Q4 is open, and its returns are for signed-in people only.
    red_for = functools.partial(dashboards.red_for_at_least, outputs, q1_next, user=scrutiny_member)
    assert [o.ref for o in red_for(quarters=2)] == ["E7"]
    assert {o.ref for o in red_for(quarters=1)} == {"E7", "E8"}
    assert list(red_for(quarters=3)) == []
    # The public does not see Q4's returns, so E7 has been red for one published quarter.
    assert list(dashboards.red_for_at_least(outputs, q1_next, 2)) == []


def test_trend_counts_what_each_quarter_counts(city):
    quarters = dashboards.quarter_sequence(city["q3"], 3)
    assert [(q.year, q.number) for q in quarters] == [(2006, 1), (2006, 2), (2006, 3)]
    assert quarters[0].pk is None  # Q1 was never opened: no row, and nobody was asked
    series = {q.number: _counts(d) for q, d in dashboards.trend(_counted(city["q3"]), quarters)}
    assert series[1] == [0, 0, 0, 0, 0]
    assert series[2] == [1, 0, 2, 1, 4]
    assert series[3] == [3, 1, 2, 1, 1]


# --- pages -------------------------------------------------------------------------------------


def test_the_dashboard_shows_the_latest_closed_quarter_by_default(client, city):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["quarter"] == city["q3"]
    html = response.content.decode()
    assert "All outputs in this selection: 8" in html
    assert "Quarter 3 2006/07" in html


def test_every_number_links_to_the_matching_drilldown(client, city):
    response = client.get(URL, Q3)
    panel = next(p for p in response.context["panels"] if p["dimension"].param == "plan")
    east = next(bar for bar in panel["chart"].bars if bar.label == "East")
    red = next(cell for cell in east.cells if cell.label == "Red")
    assert red.count == 1
    drill = client.get(red.href)
    assert [o.ref for o in drill.context["table"].data] == ["E3"]
    assert "plan=east" in red.href and "status=RED" in red.href and "quarter=3" in red.href


def test_the_public_sees_only_closed_quarters(client, city, scrutiny_member):
    asked = client.get(URL, {"year": "2006/07", "quarter": "4"})
    assert asked.context["quarter"] == city["q3"]
    assert "no published returns for quarter 4 of 2006/07" in asked.content.decode()

    client.force_login(scrutiny_member)
    signed_in = client.get(URL, {"year": "2006/07", "quarter": "4"})
    assert signed_in.context["quarter"] == city["q4"]
    assert "returns still coming in" in signed_in.content.decode()


def test_the_public_drilldown_refuses_the_open_quarter_too(client, city):
    _update(city["green"], city["q4"], "RED", "Not yet published")
    response = client.get(OUTPUTS_URL, {"year": "2006/07", "quarter": "4", "status": "RED"})
    assert response.context["quarter"] == city["q3"]
    assert "Not yet published" not in response.content.decode()


def test_the_export_is_exactly_the_filtered_rows(client, city):
    response = client.get(
        OUTPUTS_URL, {**Q3, "lead_agency": "leeds-city-council", "_export": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download_text(response))))
    page = client.get(OUTPUTS_URL, {**Q3, "lead_agency": "leeds-city-council"})
    assert [r["Ref"] for r in rows] == [o.ref for o in page.context["table"].data]
    assert {r["Ref"]: r["Status this quarter"] for r in rows} == {
        "E3": "Red",
        "E4": "White",
        "E5": "Blank",
        "W3": "Green",
    }


def test_the_export_neutralises_formulas(client, city):
    OutputFactory(plan=city["east"], ref="E9", title='=HYPERLINK("http://x")')
    response = client.get(OUTPUTS_URL, {**Q3, "q": "HYPERLINK", "_export": "csv"})
    rows = list(csv.DictReader(io.StringIO(download_text(response))))
    assert rows[0]["Title"].startswith("'=")


def test_red_for_filter_and_change_filter_on_the_drilldown(client, city):
    red_twice = client.get(OUTPUTS_URL, {**Q3, "red_for": "2"})
    assert [o.ref for o in red_twice.context["table"].data] == ["E3"]
    recovered = client.get(OUTPUTS_URL, {**Q3, "change": "recovered"})
    assert [o.ref for o in recovered.context["table"].data] == ["W2"]


def test_bad_filter_values_get_a_clear_message_not_a_500(client, city):
    response = client.get(OUTPUTS_URL, {**Q3, "red_for": "lots", "status": "PURPLE"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a number" in html


def test_the_trend_page_has_a_chart_and_its_table(client, city):
    response = client.get(reverse("dashboards:trend"), {**Q3, "span": "4"})
    html = response.content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="lc-chart__svg"') == 1
    assert 'aria-describedby="chart-trend-desc"' in html
    assert '<desc id="chart-trend-desc">' in html
    assert [q.number for q, _ in response.context["series"]] == [4, 1, 2, 3]
    assert "RAG status quarter by quarter" in html


def test_htmx_gets_the_body_only(client, city):
    response = client.get(URL, Q3, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    "name", ["dashboards:index", "dashboards:trend", "dashboards:exceptions", "dashboards:outputs"]
)
def test_every_dashboard_prints_as_a_pdf(client, city, name):
    response = client.get(reverse(name), {**Q3, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- scale -------------------------------------------------------------------------------------


def _grow(city, n):
    plans = [city["east"], city["west"]]
    agencies = list({o.lead_agency for o in Output.objects.select_related("lead_agency")})
    outputs = Output.objects.bulk_create(
        Output(
            plan=plans[i % 2],
            ref=f"X{i:05d}",
            title=f"Output {i}",
            lead_agency=agencies[i % len(agencies)],
            commencement=datetime.date(2005, 11, 1),
        )
        for i in range(n)
    )
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            output=o,
            quarter=city["q3"] if i % 3 else city["q2"],
            rag=["GREEN", "AMBER", "RED"][i % 3],
            commentary="x",
            created_at=datetime.datetime(2007, 1, 5, tzinfo=datetime.UTC),
        )
        for i, o in enumerate(outputs)
    )


# Visible quarters, the filter choices (boards, programmes, plans, agencies, committees, wards,
# neighbourhoods, years), then the page's own aggregates: none of them depends on the row count.
PAGE_QUERIES = {
    "dashboards:index": 20,
    # Eight quarters in one query.
    "dashboards:trend": 11,
    "dashboards:exceptions": 12,
    "dashboards:outputs": 11,
}


@pytest.mark.parametrize("extra", [10, 1000])
@pytest.mark.parametrize("name", list(PAGE_QUERIES))
def test_query_counts_do_not_grow_with_the_outputs(
    client, city, name, extra, django_assert_num_queries
):
    _grow(city, extra)
    with django_assert_num_queries(PAGE_QUERIES[name]):
        assert client.get(reverse(name), Q3).status_code == 200


def test_generate_demo_scale_replaces_its_own_illustrative_programme():
    from django.core.management import call_command

    call_command("generate_demo_scale", outputs=30, quarters=6, plans=4, stdout=io.StringIO())
    call_command("generate_demo_scale", outputs=20, quarters=6, plans=4, stdout=io.StringIO())
    generated = Output.objects.filter(plan__programme__name="Generated programme (scale test)")
    assert generated.count() == 20
    assert not generated.filter(illustrative=False).exists()
    assert Quarter.objects.filter(year__gte=2016).count() == 6
    updates = StatusUpdate.objects.filter(output__in=generated)
    assert 0 < updates.count() <= 20 * 6
    assert (
        not updates.filter(quarter__year__gte=2016)
        .exclude(rag__in=["GREEN", "AMBER", "RED"])
        .exists()
    )


def test_the_plan_rollup_equals_counting_each_grouping_in_the_database(city):
    outputs = _counted(city["q3"])
    overall, groups = dashboards.plan_rollup(outputs)
    assert overall.counts == dashboards.overall(outputs).counts
    for param in ("board", "programme", "plan", "scope"):
        expected = dashboards.by_dimension(outputs, _dimension(param))
        assert [(g.key, g.label, g.counts) for g in groups[param]] == [
            (g.key, g.label, g.counts) for g in expected
        ], param


def test_removing_the_generated_programme_takes_its_empty_quarters_too():
    from django.core.management import call_command

    kept = QuarterFactory(year=2017, number=2, state=Quarter.State.CLOSED)
    StatusUpdateFactory(quarter=kept, output=OutputFactory())
    call_command("generate_demo_scale", outputs=5, quarters=8, plans=1, stdout=io.StringIO())
    call_command("generate_demo_scale", remove=True, stdout=io.StringIO())
    assert list(Quarter.objects.filter(year__gte=2016)) == [kept]
    assert not Output.objects.filter(plan__programme__name__startswith="Generated").exists()


def test_the_trend_is_one_query_however_many_quarters_it_spans(client, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for span in ("2", "8", "20"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dashboards:trend"), {**Q3, "span": span}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
