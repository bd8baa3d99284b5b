"""Seed 003's Quarter 3 2006/07 table, reproduced to the digit from the demo fixtures."""

import csv
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from actionplans.demo import load_action_plans
from actionplans.models import ActionPlan, Output, Programme, Quarter, StatusUpdate
from actionplans.summary import build_summary
from boards.demo import load_boards

pytestmark = pytest.mark.django_db

SLUG = "leeds-regeneration-plan-20052008"

# Seed 003, section 5.2, as printed (the seed labels the last row "Total/Average %").
SEED_TABLE = [
    ["East", 92, 69, 75, 23, 25, 0, 0, 0, 0, 0, 0],
    ["North East", 91, 82, 90, 3, 3, 0, 0, 5, 5, 1, 1],
    ["North West", 95, 71, 75, 7, 7, 3, 3, 14, 15, 0, 0],
    ["South", 58, 38, 66, 5, 9, 3, 5, 12, 21, 0, 0],
    ["West", 82, 61, 74, 0, 0, 0, 0, 3, 4, 18, 22],
    ["All DPAPs", 418, 321, 77, 38, 9, 6, 1, 34, 8, 19, 5],
    ["City-wide", 164, 117, 71, 15, 9, 2, 1, 8, 5, 22, 13],
    ["Total", 582, 438, 75, 53, 9, 8, 1, 42, 7, 41, 7],
]
HEADER = "Plan,No of outputs,Green,Green %,Amber,Amber %,Red,Red %,White,White %,Blank,Blank %"


@pytest.fixture
def demo():
    load_boards()
    load_action_plans()
    return Programme.objects.get(slug=SLUG), Quarter.objects.get(year=2006, number=3)


def _numbers(rows):
    return [row[1:] for row in rows]


def test_the_demo_summary_reproduces_seed_003_to_the_digit(demo):
    summary = build_summary(*demo)
    rows = [row.as_csv_row() for row in summary.rows]
    assert [row[0] for row in rows] == [
        "East",
        "North East",
        "North West",
        "South",
        "West",
        "All district plans",
        "City-wide",
        "Total",
    ]
    assert _numbers(rows) == _numbers(SEED_TABLE)
    assert [row.kind for row in summary.rows] == ["plan"] * 5 + ["subtotal", "plan", "total"]


def test_the_csv_download_is_the_seed_table(client, demo):
    response = client.get(
        reverse("actionplans:summary"),
        {"programme": SLUG, "year": "2006/07", "quarter": "3", "format": "csv"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.splitlines()[0] == HEADER
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[-1][0] == "Total"
    assert [list(map(int, row[1:])) for row in rows[1:]] == _numbers(SEED_TABLE)
    assert [row[0] for row in rows[1:]] == [row[0] for row in SEED_TABLE[:5]] + [
        "All district plans",
        "City-wide",
        "Total",
    ]


def test_the_page_shows_every_count_and_percentage_of_the_seed(client, demo):
    response = client.get(
        reverse("actionplans:summary"), {"programme": SLUG, "year": "2006/07", "quarter": "3"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('id="summary-table"') : html.index("</table>")]
    body = table[table.index("<tbody") :]
    rows = [
        [int(n) for n in re.findall(r'<td class="[^"]*">(\d+)</td>', row)]
        for row in body.split("</tr>")[:-1]
    ]
    assert rows == _numbers(SEED_TABLE)
    assert "Quarter 3 2006/07" in table
    assert "Illustrative" in html


def test_rag_summary_prints_the_same_csv(client, demo, capsys):
    call_command("rag_summary", "--programme", SLUG, "--year", "2006/07", "--quarter", "3")
    printed = capsys.readouterr().out
    downloaded = client.get(
        reverse("actionplans:summary"),
        {"programme": SLUG, "year": "2006/07", "quarter": "3", "format": "csv"},
    ).content.decode("utf-8")
    assert printed == downloaded
    assert printed.splitlines()[0] == HEADER
    assert printed.splitlines()[-1] == "Total,582,438,75,53,9,8,1,42,7,41,7"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--programme", "no-such", "--year", "2006/07", "--quarter", "3"], "no programme"),
        (["--programme", SLUG, "--year", "2006/07", "--quarter", "5"], "not a quarter"),
        (["--programme", SLUG, "--year", "2006-07", "--quarter", "3"], "financial year"),
        (["--programme", SLUG, "--year", "2010/11", "--quarter", "1"], "no Quarter 1 2010/11"),
    ],
)
def test_rag_summary_refuses_what_does_not_exist(demo, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("rag_summary", *args)


def test_loading_the_demo_again_changes_nothing(demo):
    before = (
        ActionPlan.objects.count(),
        Output.objects.count(),
        StatusUpdate.objects.count(),
        Quarter.objects.count(),
    )
    load_boards()
    load_action_plans()
    after = (
        ActionPlan.objects.count(),
        Output.objects.count(),
        StatusUpdate.objects.count(),
        Quarter.objects.count(),
    )
    assert after == before
    assert build_summary(*demo).total.as_csv_row() == SEED_TABLE[-1]
