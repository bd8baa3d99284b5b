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
    timings,
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


def _requests(times_by_name: dict[str, list[float]]) -> list[dict]:
    """Answered requests: the sign-ins (the ramp-up), then each type's, in the steady state."""
    rows = [
        {"name": "sign in: post", "status": 302, "at": 10.0 + n, "ms": ms}
        for n, ms in enumerate(times_by_name.pop("sign in: post", [500.0]))
    ]
    at = 100.0
    for name, times in times_by_name.items():
        for ms in times:
            at += 1
            rows.append({"name": name, "status": 200, "at": at, "ms": ms})
    return rows


def test_it_holds_each_p95_at_full_load_against_three_times_its_one_user_p95(monkeypatch):
    monkeypatch.delenv("LOAD_P95_RATIO", raising=False)
    one_user, _ = timings(
        _requests(
            {
                "sign in: post": [400.0, 500.0],
                "dashboard": [100.0] * 20,
                "output page": [50.0] * 20,
            }
        ),
        [],
    )
    problems: list[str] = []
    _, table = timings(
        _requests(
            {
                "sign in: post": [1400.0] * 10,  # 2.8× over the whole run: within
                "dashboard": [100.0] * 18 + [301.0] * 2,  # p95 301 ms: above 3 × 100 ms
                "output page": [150.0] * 20,  # exactly 3×: within
                "dashboard: trend": [80.0] * 5,  # never requested at one user
            }
        ),
        problems,
        single=one_user,
    )
    assert problems == [
        "p95 of 'dashboard' is 301 ms at full load, 3.0× its 100 ms at one user (bound 3×)",
        "'dashboard: trend' has no one-user p95 to compare with",
    ]
    bounds = {name: (baseline, limit) for name, _, baseline, limit in table}
    assert bounds["sign in: post"] == (500.0, 3.0)
    assert bounds["all requests"] == (None, None)  # the two runs' mixes differ: reported only


def test_the_ratio_bound_is_a_setting_and_absolute_times_alone_do_not_fail(monkeypatch):
    monkeypatch.setenv("LOAD_P95_RATIO", "5")
    single, _ = timings(_requests({"dashboard": [1000.0] * 20}), [])
    problems: list[str] = []
    timings(_requests({"dashboard": [4500.0] * 20}), problems, single=single)
    assert problems == []  # 4.5 s would have failed the old 3000 ms bound; 4.5× is within 5×
    timings(_requests({"dashboard": [5500.0] * 20}), problems, single=single)
    assert len(problems) == 1 and "5.5× its 1000 ms" in problems[0]
    problems = []
    timings(_requests({"dashboard": [9999.0] * 20}), problems)  # no one-user run: no bound
    assert problems == []


def test_signing_in_is_compared_over_the_whole_run_form_and_post():
    from tests.load.check import compared_p95

    row = {"count": 50, "p95": 900.0, "steady_count": 0, "steady_p95": 0.0}
    assert compared_p95("sign in: form", row) == (900.0, 50)
    assert compared_p95("sign in: post", row) == (900.0, 50)
    assert compared_p95("dashboard", {**row, "steady_count": 7, "steady_p95": 40.0}) == (40.0, 7)
