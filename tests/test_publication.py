"""The publication rule: the public sees the returns of closed quarters only — on every page,
export and PDF it can reach — while signed-in people also see the open quarter's.

A return with a unique commentary is recorded in the open quarter of the demo data; the public
crawl (tests/test_crawl.py) then searches every page it reaches by links, every CSV, iCalendar
and PDF download linked from them, and the exports that name the quarter, for it."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from actionplans.models import Output, Programme, Quarter, StatusUpdate
from actionplans.quarters import reading_quarter
from actionplans.services import record_status_update
from tests.downloads import download_text

PROBE = "Unpublished-return-probe-5c1e"


def record_probe_in_open_quarter(acting_user) -> tuple[Quarter, Output]:
    """Over the demo data: a return with the probe commentary in the quarter open for returns."""
    quarter = Quarter.objects.open_for_returns().chronological().first()
    assert quarter is not None, "the demo data has a quarter open for returns"
    output = (
        Output.objects.counted_in(quarter)
        .filter(commencement__lte=quarter.end)
        .select_related("plan")
        .first()
    )
    record_status_update(
        output=output,
        quarter=quarter,
        rag="RED",
        commentary=PROBE,
        # Searched for too: a corrective action is published like its commentary.
        corrective_action=f"{PROBE} corrective action",
        corrective_action_by=datetime.date(2030, 3, 31),
        acting_user=acting_user,
        expected_version=None,
    )
    return quarter, output


@pytest.fixture
def demo_with_open_return(db, governance_support):
    call_command("load_demo_data", stdout=io.StringIO())
    return record_probe_in_open_quarter(governance_support)


def asked_exports(quarter: Quarter, output: Output) -> list[str]:
    """Addresses that name the open quarter outright: each must refuse it to the public."""
    query = f"year={quarter.year_label}&quarter={quarter.number}"
    programme = output.plan.programme or Programme.objects.first()
    return [
        f"{reverse('actionplans:summary')}?programme={programme.slug}&{query}",
        f"{reverse('actionplans:summary')}?programme={programme.slug}&{query}&format=csv",
        f"{reverse('actionplans:plan_detail', args=[output.plan.slug])}?{query}",
        f"{reverse('dashboards:index')}?{query}",
        f"{reverse('dashboards:exceptions')}?{query}&_export=csv",
        f"{reverse('dashboards:outputs')}?{query}&_export=csv",
        f"{reverse('dashboards:outputs')}?{query}&format=pdf",
        f"{reverse('dashboards:trend')}?{query}",
        output.get_absolute_url(),
    ]


def test_signed_in_people_see_the_open_quarters_return(client, demo_with_open_return, officer):
    """The other half of the walk in tests/test_crawl.py: the probe is there to be found."""
    from django.contrib.auth.models import AnonymousUser

    quarter, output = demo_with_open_return
    assert PROBE not in client.get(output.get_absolute_url()).content.decode()
    assert quarter not in Quarter.objects.visible_to(AnonymousUser())
    assert not StatusUpdate.objects.visible_to(AnonymousUser()).filter(commentary=PROBE).exists()
    public = reading_quarter(AnonymousUser())
    assert public is not None and not public.is_open
    assert quarter in Quarter.objects.visible_to(officer)
    client.force_login(officer)
    assert PROBE in client.get(output.get_absolute_url()).content.decode()
    exceptions = client.get(
        f"{reverse('dashboards:exceptions')}?year={quarter.year_label}&quarter={quarter.number}"
        "&_export=csv"
    )
    assert PROBE in download_text(exceptions)


@pytest.fixture
def reopened_middle_quarter(db):
    """Q1 and Q3 2006/07 closed, Q2 reopened (open): its returns are not published."""
    from tests.factories import OutputFactory, QuarterFactory, StatusUpdateFactory

    q1, q2, q3 = (
        QuarterFactory(year=2006, number=n, state="open" if n == 2 else "closed") for n in (1, 2, 3)
    )
    red = OutputFactory(ref="O1", commencement=q1.start)
    StatusUpdateFactory(output=red, quarter=q1, rag="GREEN")
    StatusUpdateFactory(output=red, quarter=q2, rag="RED", commentary=PROBE)
    StatusUpdateFactory(output=red, quarter=q3, rag="RED", commentary="Published red")
    quiet = OutputFactory(ref="O2", commencement=q1.start)
    StatusUpdateFactory(output=quiet, quarter=q2, rag="AMBER", commentary=PROBE + "-2")
    return q3


def _rows(response):
    import csv

    return list(csv.DictReader(io.StringIO(download_text(response))))


@pytest.mark.parametrize("signed_in", [False, True])
def test_dashboards_never_count_an_open_quarter_for_the_public(
    client, reopened_middle_quarter, scrutiny_member, signed_in
):
    """Streaks, "what changed", red-for-N, the trend and the latest commentary all look back
    over earlier quarters: for the public, an open one among them holds nothing."""
    if signed_in:
        client.force_login(scrutiny_member)
    query = {"year": "2006/07", "quarter": 3}
    exceptions = _rows(client.get(reverse("dashboards:exceptions"), {**query, "_export": "csv"}))
    streaks = {row["Ref"]: row["Quarters in a row"] for row in exceptions}
    outputs = client.get(reverse("dashboards:outputs"), {**query, "_export": "csv"})
    red_for_2 = _rows(
        client.get(reverse("dashboards:outputs"), {**query, "red_for": 2, "_export": "csv"})
    )
    stayed_red = _rows(
        client.get(
            reverse("dashboards:outputs"), {**query, "change": "stayed_red", "_export": "csv"}
        )
    )
    trend = client.get(reverse("dashboards:trend"), {**query, "span": 4}).context["series"]
    q2_outputs = next(d.total for q, d in trend if q.number == 2 and q.year == 2006)
    if signed_in:
        assert streaks["O1"] == "2"
        assert [r["Ref"] for r in red_for_2] == ["O1"]
        assert [r["Ref"] for r in stayed_red] == ["O1"]
        assert q2_outputs == 2
        assert PROBE in download_text(outputs)
    else:
        assert streaks["O1"] == "1"
        assert red_for_2 == [] and stayed_red == []
        assert q2_outputs == 0
        assert PROBE not in download_text(outputs)
        assert PROBE not in "".join(str(r) for r in exceptions)
