"""The counting rule, one answer everywhere: for every quarter of the demo data, the summary
table, the dashboards, the drill-down export and the returns page count the same outputs."""

import csv
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from actionplans.models import Output, Programme, Quarter, Status
from actionplans.presenters import status_tag
from actionplans.summary import build_summary
from tests.downloads import download_text


@pytest.fixture
def demo(db):
    call_command("load_demo_data", stdout=io.StringIO())


def _drilldown_counts(client, query: dict) -> Counter:
    response = client.get(reverse("dashboards:outputs"), {**query, "_export": "csv"})
    rows = list(csv.DictReader(io.StringIO(download_text(response))))
    words = {status_tag(s).text: s for s in Status}
    return Counter(words[row["Status this quarter"]] for row in rows)


def test_every_page_counts_the_same_outputs_in_every_quarter(client, demo, governance_support):
    client.force_login(governance_support)
    quarters = list(Quarter.objects.chronological())
    programmes = list(Programme.objects.all())
    assert quarters and programmes
    for quarter in quarters:
        query = {"year": quarter.year_label, "quarter": quarter.number}
        for programme in programmes:
            summary = build_summary(programme, quarter).total.counts
            selection = {**query, "programme": programme.slug}
            dashboard = client.get(reverse("dashboards:index"), selection).context["overall"]
            assert dashboard.counts == summary, (str(quarter), programme.name)
            drilled = _drilldown_counts(client, selection)
            assert {s: drilled[s] for s in Status} == summary, (str(quarter), programme.name)
        everything = client.get(reverse("dashboards:index"), query).context["overall"].counts
        counted = Output.objects.counted_in(quarter).with_status(quarter)
        assert sum(everything.values()) == counted.count()
        returns = client.get(reverse("actionplans:returns"), query).context["outstanding"]
        assert returns == everything[Status.BLANK], str(quarter)


def test_each_boards_pack_counts_what_the_dashboards_count(client, demo, governance_support):
    from boards.meetings.packs import board_progress
    from boards.models import Board

    client.force_login(governance_support)
    boards = list(Board.objects.filter(action_plans__isnull=False).distinct())
    assert boards
    for board in boards:
        progress = board_progress(board)
        assert progress.quarter is not None and not progress.quarter.is_open
        counts = Counter()
        for summary in progress.summaries:
            for row in summary.rows:
                if row.kind == "plan" and row.plan.owner_id == board.pk:
                    counts.update(row.counts)
        query = {
            "year": progress.quarter.year_label,
            "quarter": progress.quarter.number,
            "board": board.slug,
        }
        dashboard = client.get(reverse("dashboards:index"), query).context["overall"].counts
        assert {s: counts[s] for s in Status} == dashboard, board.name
