"""The load and fault tests' checker (tests/load/check.py) catches what it exists to catch: lost,
duplicated, half-written and unexplained updates, and server errors outside an outage."""

import pytest

from actionplans.models import Output, StatusUpdate
from actionplans.services import record_status_update
from leeds_communities.roles import Role
from tests.factories import (
    OrganisationFactory,
    OutputFactory,
    QuarterFactory,
    StatusUpdateFactory,
    UserFactory,
)
from tests.load.check import (
    attempt_outcomes,
    baseline_of,
    check_history,
    check_requests,
    percentile,
)

CONFLICT = "Someone else updated this output after you opened the form. Nothing was saved."
ACCEPTED = "LT-" + "a" * 32
REFUSED = "LT-" + "b" * 32
LOST = "LT-" + "c" * 32


@pytest.fixture
def run(db):
    """One output, its baseline, an accepted save and a refused one, as the locustfile records."""
    agency = OrganisationFactory()
    officer = UserFactory(
        username="load-officer-001", role=Role.OFFICER, profile__organisation=agency
    )
    quarter = QuarterFactory(year=2006, number=4)
    output = OutputFactory(lead_agency=agency)
    baseline = baseline_of(Output.objects.all())
    record_status_update(
        output=output,
        quarter=quarter,
        rag="AMBER",
        commentary=f"Load test return {ACCEPTED} (amber).",
        acting_user=officer,
        expected_version=0,
    )
    common = {"output": output.pk, "user": officer.username, "version": 0}
    rows = [
        {"token": ACCEPTED, "outcome": "sent", **common},
        {"token": REFUSED, "outcome": "sent", **common},
        {"token": ACCEPTED, "outcome": "accepted", "status": 302, "reason": "", **common},
        {"token": REFUSED, "outcome": "rejected", "status": 409, "reason": CONFLICT, **common},
    ]
    return {"rows": rows, "baseline": baseline, "output": output, "quarter": quarter}


def problems_of(rows, baseline) -> list[str]:
    problems: list[str] = []
    check_history(attempt_outcomes(rows), baseline, problems)
    return problems


def test_it_passes_a_run_where_every_accepted_update_is_there_once(run):
    assert problems_of(run["rows"], run["baseline"]) == []


def test_it_reports_an_accepted_update_that_was_lost(run):
    rows = [
        *run["rows"],
        {
            "token": LOST,
            "outcome": "accepted",
            "status": 302,
            "reason": "",
            "output": run["output"].pk,
            "user": "load-officer-001",
            "version": 1,
        },
    ]
    problems = problems_of(rows, run["baseline"])
    assert f"accepted update {LOST} is in the history 0 times" in problems
    assert "1 outputs whose new updates differ from the accepted ones" in problems


def test_it_reports_a_duplicated_and_half_written_update(run):
    # A second copy of the accepted return, written without raising the output's version.
    StatusUpdateFactory(
        output=run["output"], quarter=run["quarter"], rag="AMBER", commentary=f"again {ACCEPTED}"
    )
    problems = problems_of(run["rows"], run["baseline"])
    assert f"accepted update {ACCEPTED} is in the history 2 times" in problems
    assert "1 outputs whose version and history disagree" in problems


def test_it_reports_a_refused_update_that_was_written_anyway(run):
    StatusUpdate.objects.filter(commentary__contains=ACCEPTED).update(
        commentary=f"{ACCEPTED} and {REFUSED}"
    )
    problems = problems_of(run["rows"], run["baseline"])
    assert f"rejected update {REFUSED} is in the history 1 times" in problems


def test_it_reports_a_refusal_that_did_not_say_why(run):
    rows = [dict(row) for row in run["rows"]]
    rows[-1]["reason"] = "There is a problem"
    problems = problems_of(rows, run["baseline"])
    assert f"conflict {REFUSED} was told: 'There is a problem'" in problems


def test_it_allows_503_only_inside_the_outage_and_never_a_500():
    fault = {"stopped_at": 100.0, "healthy_at": 110.0}
    quiet = [{"name": "dashboard", "status": 200, "at": 50.0, "ms": 10, "error": ""}]
    during = [{"name": "update: save", "status": 503, "at": 105.0, "ms": 10, "retry_after": "5"}]
    after = [{"name": "dashboard", "status": 503, "at": 130.0, "ms": 10, "retry_after": "5"}]
    bare = [{"name": "dashboard", "status": 503, "at": 106.0, "ms": 10, "retry_after": ""}]
    crash = [{"name": "my outputs", "status": 500, "at": 105.0, "ms": 10, "error": ""}]

    problems: list[str] = []
    answers = check_requests(quiet + during, fault, problems)
    assert problems == [] and answers["503_in_outage"] == 1

    check_requests(quiet + after + crash + bare, fault, problems)
    assert "1 responses of 503 outside the outage window" in problems
    assert "1 responses of 503 without Retry-After" in problems
    assert "1 server errors: 1 × 500 my outputs" in problems

    problems = []
    check_requests(during, None, problems)  # the load test: no outage, so a 503 is an error
    assert problems == ["1 server errors: 1 × 503 update: save"]


def test_it_takes_nearest_rank_percentiles():
    times = list(range(1, 101))
    assert (percentile(times, 0.5), percentile(times, 0.95)) == (50, 95)
    assert percentile([7], 0.95) == 7 and percentile([], 0.95) == 0
