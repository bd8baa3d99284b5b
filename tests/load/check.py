"""After a load or fault run: hold the locust records against the database and the bounds.

    python -m tests.load.check --results load-results [--fault]

Fails (exit 1) when:
- any request got a 5xx, or no answer at all (with --fault: a 503 with Retry-After is allowed
  only while PostgreSQL was down or recovering, per `fault.json`; never any other 5xx);
- an accepted update is not in the status history exactly once, against the output and by the
  officer who saved it;
- a rejected or failed update is in the history, or a rejection was not told why (a 409 must
  say that someone else updated the output first);
- an attempt cut short (sent, no answer recorded) is in the history more than once, or the
  history holds a load-test token nobody sent;
- for any output, its version rose by a different number than its count of new updates (a
  half-written update), or its new updates differ from the accepted ones;
- gunicorn died or had to boot a worker again (the app must recover by itself);
- with --fault: /healthz did not answer 503 while PostgreSQL was down, or took longer than
  FAULT_RECOVERY_S (default 10 s) to answer 200 once PostgreSQL was back;
- load test only, against the run of one user of each kind under the same script (`--single`,
  the results of that run): in the steady state (requests started after the last sign-in
  ended), the p95 of any request type is more than LOAD_P95_RATIO (default 3) times its p95 at
  one user, or a request type has no one-user p95 to compare with; sign-in, whose slow password
  hash is the run's ramp-up, is compared over the whole run. Ratios, not absolute bounds: a busy
  machine slows both runs, and what is checked is how the app degrades with 50 users.
Each run's p95s are written to `timings.json` in its results (what `--single` reads).
"""

import argparse
import json
import math
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import django

TOKEN = re.compile(r"LT-[0-9a-f]{32}")
CONFLICT_REASON = "Someone else updated this output"
SIGN_IN = "sign in: post"
ALL = "all requests"
USERS_NOTE = "full load"
FAULT_GRACE_SECONDS = 2.0


def _read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def attempt_outcomes(rows: list[dict]) -> dict[str, dict]:
    """The last word on each token: its outcome row, else its "sent" row (cut short)."""
    attempts: dict[str, dict] = {}
    for row in rows:
        if row["outcome"] == "sent" and row["token"] in attempts:
            continue
        attempts[row["token"]] = row
    return attempts


def check_requests(requests: list[dict], fault: dict | None, problems: list[str]) -> dict:
    statuses = Counter(r["status"] for r in requests)
    window = None
    if fault:
        window = (
            fault["stopped_at"] - FAULT_GRACE_SECONDS,
            fault["healthy_at"] + FAULT_GRACE_SECONDS,
        )
    outside, other_5xx, unanswered, no_retry_after = [], [], [], []
    for r in requests:
        if r["status"] == 0:
            unanswered.append(r)
        elif r["status"] == 503 and window:
            if not window[0] <= r["at"] <= window[1]:
                outside.append(r)
            if not r.get("retry_after"):
                no_retry_after.append(r)
        elif r["status"] >= 500:
            other_5xx.append(r)
    if other_5xx:
        problems.append(
            f"{len(other_5xx)} server errors: "
            + ", ".join(f"{n} × {s} {name}" for (s, name), n in _by(other_5xx).items())
        )
    if outside:
        problems.append(f"{len(outside)} responses of 503 outside the outage window")
    if no_retry_after:
        problems.append(f"{len(no_retry_after)} responses of 503 without Retry-After")
    if unanswered:
        problems.append(
            f"{len(unanswered)} requests got no answer: {unanswered[0]['error'] or 'no response'}"
        )
    return {
        "statuses": dict(sorted(statuses.items())),
        "503_in_outage": statuses.get(503, 0) - len(outside) if window else 0,
    }


def _by(rows):
    return Counter((r["status"], r["name"]) for r in rows)


def baseline_of(outputs) -> dict[str, dict[str, int]]:
    """Each output's version and number of status updates, keyed by its id as text (JSON)."""
    from django.db.models import Count

    rows = outputs.annotate(updates_count=Count("updates")).values_list(
        "pk", "version", "updates_count"
    )
    return {str(pk): {"version": version, "updates": count} for pk, version, count in rows}


def check_history(attempts: dict[str, dict], baseline: dict, problems: list[str]) -> dict:
    from actionplans.models import Output, StatusUpdate

    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    rows = StatusUpdate.objects.filter(commentary__contains="LT-").values_list(
        "commentary", "output_id", "created_by__username"
    )
    for commentary, output_id, username in rows:
        for token in TOKEN.findall(commentary):
            found[token].append((output_id, username))

    counts = Counter()
    for token, attempt in attempts.items():
        copies = found.get(token, [])
        outcome = attempt["outcome"]
        counts[outcome] += 1
        if outcome == "accepted":
            if len(copies) != 1:
                problems.append(f"accepted update {token} is in the history {len(copies)} times")
            elif copies[0] != (attempt["output"], attempt["user"]):
                problems.append(f"accepted update {token} is recorded against {copies[0]}")
        elif outcome in ("rejected", "failed"):
            if copies:
                problems.append(f"{outcome} update {token} is in the history {len(copies)} times")
            if outcome == "rejected" and not attempt.get("reason"):
                problems.append(f"rejected update {token} ({attempt['status']}) was not told why")
            if attempt.get("status") == 409 and CONFLICT_REASON not in attempt.get("reason", ""):
                problems.append(f"conflict {token} was told: {attempt.get('reason')!r}")
        elif len(copies) > 1:  # sent, answer never recorded
            problems.append(f"unanswered update {token} is in the history {len(copies)} times")
        counts["cut short, saved"] += outcome == "sent" and len(copies) == 1
    strangers = set(found) - set(attempts)
    if strangers:
        problems.append(f"{len(strangers)} load-test updates in the history nobody sent")

    accepted_by_output = Counter(
        a["output"] for a in attempts.values() if a["outcome"] == "accepted"
    )
    cut_short_saved = Counter(
        a["output"]
        for t, a in attempts.items()
        if a["outcome"] == "sent" and len(found.get(t, [])) == 1
    )
    half_written = mismatched = 0
    now = baseline_of(Output.objects.all())
    for pk, after in now.items():
        before = baseline.get(pk, {"version": 0, "updates": 0})
        new_versions = after["version"] - before["version"]
        new_updates = after["updates"] - before["updates"]
        if new_versions != new_updates:
            half_written += 1
        if new_updates != accepted_by_output[int(pk)] + cut_short_saved[int(pk)]:
            mismatched += 1
    if half_written:
        problems.append(f"{half_written} outputs whose version and history disagree")
    if mismatched:
        problems.append(f"{mismatched} outputs whose new updates differ from the accepted ones")
    conflicts = sum(1 for a in attempts.values() if a.get("status") == 409)
    return {**counts, "conflicts (409)": conflicts, "outputs checked": len(now)}


def _p95s(requests: list[dict]) -> dict[str, dict[str, float]]:
    """Per request type: its samples and p50/p95 over the whole run and in the steady state
    (requests started after the last sign-in ended)."""
    answered = [r for r in requests if r["status"]]
    steady_from = max((r["at"] for r in answered if r["name"].startswith("sign in")), default=0)
    whole: dict[str, list[float]] = defaultdict(list)
    steady: dict[str, list[float]] = defaultdict(list)
    for r in answered:
        whole[r["name"]].append(r["ms"])
        if r["at"] - r["ms"] / 1000 >= steady_from:
            steady[r["name"]].append(r["ms"])
    whole[ALL] = [ms for values in whole.values() for ms in values]
    steady[ALL] = [ms for values in steady.values() for ms in values]
    return {
        name: {
            "count": len(times),
            "p50": percentile(times, 0.5),
            "p95": percentile(times, 0.95),
            "steady_count": len(steady.get(name, [])),
            "steady_p50": percentile(steady.get(name, []), 0.5),
            "steady_p95": percentile(steady.get(name, []), 0.95),
        }
        for name, times in sorted(whole.items(), key=lambda item: (item[0] == ALL, item[0]))
    }


def compared_p95(name: str, row: dict) -> tuple[float, int]:
    """The p95 a request type is judged by, and its samples: signing in (form and post) over the
    whole run (it is the ramp-up), everything else in the steady state."""
    if name.startswith("sign in"):
        return row["p95"], row["count"]
    return row["steady_p95"], row["steady_count"]


def timings(
    requests: list[dict], problems: list[str], *, single: dict | None = None
) -> tuple[dict, list[tuple]]:
    """The p95s of this run, and a table row per request type; with `single` (the `timings.json`
    of the one-user run), each type's p95 is held against LOAD_P95_RATIO × its one-user p95.
    All requests together are reported only: the mix of kinds differs between the two runs."""
    limit = float(os.environ.get("LOAD_P95_RATIO", "3"))
    p95s = _p95s(requests)
    table = []
    for name, row in p95s.items():
        measured, samples = compared_p95(name, row)
        baseline = None
        if single is not None and name != ALL:
            if name in single and compared_p95(name, single[name])[1]:
                baseline = compared_p95(name, single[name])[0]
                if samples and measured > limit * baseline:
                    problems.append(
                        f"p95 of {name!r} is {measured:.0f} ms at {USERS_NOTE}, "
                        f"{measured / max(baseline, 0.001):.1f}× its {baseline:.0f} ms at one user "
                        f"(bound {limit:g}×)"
                    )
            else:
                problems.append(f"{name!r} has no one-user p95 to compare with")
        table.append((name, row, baseline, limit if baseline is not None else None))
    return p95s, table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--fault", action="store_true")
    parser.add_argument(
        "--one-user",
        action="store_true",
        help="This is the one-user run: a conflicting update is not required.",
    )
    parser.add_argument(
        "--single",
        type=Path,
        help="The results of the one-user run to hold this run's p95s against (load test).",
    )
    args = parser.parse_args(argv)
    # Run on its own, it reads the load-test database with the local settings.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leeds_communities.settings.local")
    os.environ.setdefault(
        "DATABASE_URL",
        os.environ.get("LOAD_DATABASE_URL", "postgres://127.0.0.1:5432/leeds_communities_load"),
    )
    django.setup()

    requests = _read_jsonl(args.results / "requests.jsonl")
    attempts = attempt_outcomes(_read_jsonl(args.results / "attempts.jsonl"))
    baseline = json.loads((args.results / "baseline.json").read_text())
    fault = None
    if args.fault:
        fault = json.loads((args.results / "fault.json").read_text())
    problems: list[str] = []
    if not requests:
        problems.append("locust recorded no requests")
    if not any(a["outcome"] == "accepted" for a in attempts.values()):
        problems.append("no update was accepted")
    if not args.one_user and not any(a.get("status") == 409 for a in attempts.values()):
        problems.append("no conflicting update was made")

    server = json.loads((args.results / "server.json").read_text())
    if not server["alive"] or server["worker_boots"] != server["workers"]:
        problems.append(
            f"gunicorn restarted workers ({server['worker_boots']} boots for "
            f"{server['workers']} workers) or died: the app must carry on by itself"
        )
    if fault:
        limit = float(os.environ.get("FAULT_RECOVERY_S", "10"))
        if not fault["recovered"] or fault["recovery_seconds"] > limit:
            problems.append(
                f"/healthz took {fault['recovery_seconds']:.1f} s to answer 200 after PostgreSQL "
                f"started (bound {limit:.0f} s)"
            )
        if fault["healthz_while_down"] != 503:
            problems.append(
                f"/healthz answered {fault['healthz_while_down']} while PostgreSQL was down"
            )

    answers = check_requests(requests, fault, problems)
    history = check_history(attempts, baseline, problems)
    single = None
    if args.single is not None:
        single = json.loads((args.single / "timings.json").read_text())
    p95s, table = timings(requests, problems, single=single)
    (args.results / "timings.json").write_text(json.dumps(p95s, indent=1))

    duration = max(r["at"] for r in requests) - min(r["at"] for r in requests) if requests else 0
    print(f"\n{'':<24} {'whole run':^25} {'steady state':^25}")
    print(
        f"{'request':<24} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'1 user':>7} {'ratio':>6} {'bound':>6}"
    )
    for name, row, baseline, limit in table:
        steady = (
            f"{row['steady_p50']:>8.0f} {row['steady_p95']:>8.0f}"
            if row["steady_count"]
            else f"{'–':>8} {'–':>8}"
        )
        compared = ""
        if baseline is not None:
            measured = compared_p95(name, row)[0]
            compared = f"{baseline:>7.0f} {measured / max(baseline, 0.001):>5.1f}× {limit:>5g}×"
        print(
            f"{name:<24} {row['count']:>7} {row['p50']:>8.0f} {row['p95']:>8.0f} "
            f"{row['steady_count']:>7} {steady} {compared}"
        )
    rate = len(requests) / max(duration, 1)
    print(f"\nRequests: {len(requests)} in {duration:.0f} s ({rate:.1f}/s)")
    print("Status codes: " + ", ".join(f"{s}: {n}" for s, n in answers["statuses"].items()))
    print("Update attempts: " + ", ".join(f"{k}: {v}" for k, v in history.items()))
    if fault:
        print(
            f"Fault: PostgreSQL down {fault['down_seconds']:.1f} s; /healthz 200 again "
            f"{fault['recovery_seconds']:.1f} s after it started "
            f"({fault['healthy_at'] - fault['stopped_at']:.1f} s after it stopped); "
            f"{answers['503_in_outage']} requests answered 503 meanwhile"
        )
    if problems:
        print("\nFAILED:")
        for problem in problems[:50]:
            print(f"  - {problem}")
        return 1
    print("\nPassed: no server errors, no lost or duplicated updates, every refusal explained.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
