"""A plan: owner, scope, period, priorities with outputs and their current status, and the
status matrix of outputs × quarters, in a constant number of queries."""

import datetime
import re

import pytest
from django.urls import reverse

from actionplans.matrix import quarters_of, status_matrix
from actionplans.models import Output, Status
from tests.factories import (
    ActionPlanFactory,
    BoardFactory,
    OrganisationFactory,
    OutputFactory,
    PriorityFactory,
    QuarterFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db


def _url(plan, **query):
    url = reverse("actionplans:plan_detail", args=[plan.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _matrix_cells(html) -> dict[str, list[str]]:
    """{output ref: [status word or 'Withdrawn' per quarter]} from the matrix table."""
    table = html[html.index('class="govuk-table lc-matrix"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in table.split("</tr>")[1:-1]:
        ref = re.search(r'<a class="govuk-link" href="[^"]*">([^<]+)</a>', row)[1]
        cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row, re.S)
        rows[ref] = [re.sub(r"<[^>]+>|[✓!✕○–]", "", c).strip() for c in cells]
    return rows


@pytest.fixture
def quarters():
    return [
        QuarterFactory(year=2006, number=n, state="closed" if n < 4 else "open")
        for n in (1, 2, 3, 4)
    ]


@pytest.fixture
def plan(quarters):
    plan = ActionPlanFactory(
        name="South District Partnership Action Plan",
        owner=BoardFactory(name="South District Partnership"),
        area="South Leeds",
        period_start=datetime.date(2006, 7, 1),  # from Q2 2006/07
        period_end=datetime.date(2008, 3, 31),
    )
    schools = PriorityFactory(plan=plan, order=1, title="Extended schools")
    asb = PriorityFactory(plan=plan, order=2, title="Tackling anti-social behaviour")
    q1, q2, q3, q4 = quarters
    a = OutputFactory(plan=plan, priority=schools, ref="S1", title="Breakfast clubs")
    StatusUpdateFactory(output=a, quarter=q2, rag="GREEN")
    StatusUpdateFactory(output=a, quarter=q3, rag="RED", commentary="Funding lost")
    b = OutputFactory(
        plan=plan, priority=asb, ref="S2", title="Street patrols",
        commencement=datetime.date(2007, 1, 15),
    )  # fmt: skip
    StatusUpdateFactory(output=b, quarter=q4, rag="AMBER", commentary="Late start")
    OutputFactory(plan=plan, ref="S3", title="Youth forum", withdrawn=datetime.date(2006, 12, 1))
    return plan


def test_it_shows_the_plan_with_its_owner_scope_area_and_period(client, plan):
    response = client.get(_url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert "South District Partnership Action Plan" in html
    assert f'href="{plan.owner.get_absolute_url()}"' in html
    assert "District" in html and "South Leeds" in html
    assert "1 July 2006" in html and "31 March 2008" in html
    assert "Illustrative" not in html


def test_it_groups_outputs_under_their_priorities_in_order(client, plan):
    html = client.get(_url(plan)).content.decode()
    schools = html.index("Priority 1: Extended schools")
    asb = html.index("Priority 2: Tackling anti-social behaviour")
    rest = html.index("Outputs under no priority")
    assert schools < html.index("Breakfast clubs") < asb < html.index("Street patrols") < rest
    assert rest < html.index("Youth forum")
    for output in Output.objects.filter(plan=plan):
        assert f'href="{output.get_absolute_url()}"' in html


@pytest.mark.parametrize("persona", ["anonymous", "scrutiny_member"])
def test_it_opens_on_the_latest_published_quarter_of_the_period(client, plan, persona, request):
    user = request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)
    response = client.get(_url(plan))
    assert str(response.context["quarter"]) == "Quarter 3 2006/07"  # Q4 is still open
    assert [(tag.code, n) for tag, n in response.context["counts"]] == [
        ("GREEN", 0), ("AMBER", 0), ("RED", 1), ("WHITE", 1), ("BLANK", 1),
    ]  # fmt: skip


def test_signed_in_people_may_choose_the_open_quarter(client, plan, scrutiny_member):
    client.force_login(scrutiny_member)
    response = client.get(_url(plan, year="2006/07", quarter=4))
    assert str(response.context["quarter"]) == "Quarter 4 2006/07"
    assert [(tag.code, n) for tag, n in response.context["counts"]] == [
        ("GREEN", 0), ("AMBER", 1), ("RED", 0), ("WHITE", 0), ("BLANK", 1),
    ]  # fmt: skip
    client.logout()
    assert client.get(_url(plan, year="2006/07", quarter=4)).status_code == 400


def test_a_quarter_can_be_chosen(client, plan):
    response = client.get(_url(plan, year="2006/07", quarter=3))
    assert response.status_code == 200
    assert str(response.context["quarter"]) == "Quarter 3 2006/07"
    counts = {tag.code: n for tag, n in response.context["counts"]}
    assert counts == {"GREEN": 0, "AMBER": 0, "RED": 1, "WHITE": 1, "BLANK": 1}
    html = response.content.decode()
    assert "Status at the end of Quarter 3 2006/07" in html


def test_a_quarter_outside_the_plan_period_is_refused_clearly(client, plan):
    response = client.get(_url(plan, year="2006/07", quarter=1))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "There is no Quarter 1 2006/07" in html


def test_the_matrix_has_every_output_and_quarter_of_the_period(client, plan, scrutiny_member):
    client.force_login(scrutiny_member)
    html = client.get(_url(plan)).content.decode()
    headers = re.findall(r'<th scope="col" class="govuk-table__header">(Q\d \d{4}/\d\d)</th>', html)
    assert headers == ["Q2 2006/07", "Q3 2006/07", "Q4 2006/07"]
    assert _matrix_cells(html) == {
        "S1": ["Green", "Red", "Blank"],
        "S2": ["White", "White", "Amber"],
        "S3": ["Blank", "Blank", "Withdrawn"],
    }


def test_the_public_sees_the_closed_quarters_of_the_period_only(client, plan):
    html = client.get(_url(plan)).content.decode()
    headers = re.findall(r'<th scope="col" class="govuk-table__header">(Q\d \d{4}/\d\d)</th>', html)
    assert headers == ["Q2 2006/07", "Q3 2006/07"]  # Q4 is open: its returns are not published
    assert _matrix_cells(html) == {
        "S1": ["Green", "Red"],
        "S2": ["White", "White"],
        "S3": ["Blank", "Blank"],
    }


def test_the_matrix_agrees_with_the_one_quarter_status_rule(plan, quarters, scrutiny_member):
    outputs = Output.objects.filter(plan=plan)
    in_period = list(quarters_of(plan, scrutiny_member))
    assert len(in_period) == 3
    for row in status_matrix(outputs, in_period):
        for quarter, status in zip(in_period, row.statuses, strict=True):
            counted = Output.objects.counted_in(quarter).filter(pk=row.output.pk).exists()
            one = Output.objects.with_status(quarter).get(pk=row.output.pk).status
            expected = one if counted else None
            assert status == expected, (row.output.ref, str(quarter))


def test_a_plan_with_no_quarters_in_its_period_says_so(client):
    plan = ActionPlanFactory(
        period_start=datetime.date(2016, 9, 21), period_end=datetime.date(2017, 4, 30)
    )
    OutputFactory(plan=plan, ref="S1")
    response = client.get(_url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="no-quarters"' in html and "S1" in html
    assert "lc-matrix" not in html


def test_an_illustrative_plan_is_labelled(client, quarters):
    plan = ActionPlanFactory(illustrative=True)
    OutputFactory(plan=plan, illustrative=True)
    html = client.get(_url(plan)).content.decode()
    assert 'id="illustrative-notice"' in html
    assert "generated to match those published counts" in html


def test_an_unknown_plan_is_not_found(client):
    assert client.get(reverse("actionplans:plan_detail", args=["no-such-plan"])).status_code == 404


def test_it_refuses_to_be_posted_to(client, plan):
    assert client.post(_url(plan)).status_code == 405


def test_it_keeps_a_constant_number_of_queries(client, quarters, django_assert_num_queries):
    plan = ActionPlanFactory(period_start=datetime.date(2006, 4, 1))
    priorities = PriorityFactory.create_batch(5, plan=plan)
    outputs = [
        OutputFactory(plan=plan, priority=priorities[i % 5], ref=f"R{i:03d}") for i in range(520)
    ]
    for i, output in enumerate(outputs[:300]):
        StatusUpdateFactory(output=output, quarter=quarters[i % 4], rag="GREEN")
    # plan with owner and programme, quarters of its period, the plan's totals (outputs, each
    # status, illustrative), the page's outputs with every status, priorities
    for page in (1, 3):
        with django_assert_num_queries(5):
            response = client.get(_url(plan, page=page))
        assert response.status_code == 200
        assert len(response.context["matrix"]) == {1: 200, 3: 120}[page]
        assert response.context["output_count"] == 520
        assert sum(n for _, n in response.context["counts"]) == 520
    assert Status.GREEN in {code for row in response.context["matrix"] for code in row.statuses}


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    return found[1].replace("&amp;", "&") if found else None


def test_a_long_plan_shows_a_page_of_outputs_with_next_and_previous_links(
    client, quarters, monkeypatch
):
    monkeypatch.setattr("actionplans.views.plans.OUTPUTS_PER_PAGE", 20)
    plan = ActionPlanFactory(period_start=datetime.date(2006, 4, 1))
    first, second = PriorityFactory(plan=plan, order=1), PriorityFactory(plan=plan, order=2)
    agency = OrganisationFactory()
    for i in range(45):
        OutputFactory(
            plan=plan, priority=first if i < 30 else second, ref=f"R{i:02d}", lead_agency=agency
        )
    url = _url(plan, year="2006/07", quarter=3)

    page_one = client.get(url)
    html = page_one.content.decode()
    assert list(_matrix_cells(html)) == [f"R{i:02d}" for i in range(20)]
    assert html.count('<td class="govuk-table__cell">R') == 20  # the outputs listed
    assert "Outputs 1 to 20 of 45" in html
    assert "Priority 1: " in html and "Priority 2: " not in html
    assert _link(html, "prev") is None
    assert page_one.context["output_count"] == 45
    assert sum(n for _, n in page_one.context["counts"]) == 45  # the whole plan's

    next_url = _link(html, "next")
    assert "year=2006%2F07" in next_url and "quarter=3" in next_url and "page=2" in next_url
    html = client.get(url.split("?")[0] + next_url).content.decode()
    assert list(_matrix_cells(html)) == [f"R{i:02d}" for i in range(20, 40)]
    assert "Priority 1: " in html and "Priority 2: " in html  # numbered as in the plan
    assert "Status at the end of Quarter 3 2006/07" in html
    assert _link(html, "prev") and _link(html, "next")

    html = client.get(url.split("?")[0] + _link(html, "next")).content.decode()
    assert list(_matrix_cells(html)) == [f"R{i:02d}" for i in range(40, 45)]
    assert _link(html, "next") is None
    assert "page=2" in _link(html, "prev")
    assert 'aria-current="page">3<' in html


def test_a_plan_that_fits_one_page_has_no_page_links(client, plan):
    html = client.get(_url(plan)).content.decode()
    assert "govuk-pagination" not in html and "outputs-shown" not in html


def test_a_page_past_the_end_shows_the_last_page(client, quarters, monkeypatch):
    monkeypatch.setattr("actionplans.views.plans.OUTPUTS_PER_PAGE", 2)
    plan = ActionPlanFactory(period_start=datetime.date(2006, 4, 1))
    for i in range(3):
        OutputFactory(plan=plan, ref=f"R{i}")
    for page in ("9", "x"):
        response = client.get(_url(plan, page=page))
        assert response.status_code == 200
    assert [row.output.ref for row in client.get(_url(plan, page=9)).context["matrix"]] == ["R2"]


def test_the_matrix_lists_outputs_by_priority_with_the_rest_last(client, plan):
    html = client.get(_url(plan)).content.decode()
    assert list(_matrix_cells(html)) == ["S1", "S2", "S3"]


def test_a_programme_plan_links_to_its_summary_for_the_quarter_shown(client, plan):
    html = client.get(_url(plan, year="2006/07", quarter=3)).content.decode()
    summary = reverse("actionplans:summary")
    assert f"{summary}?programme={plan.programme.slug}&amp;year=2006/07&amp;quarter=3" in html
