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
- load test only, in the steady state (requests started after the last sign-in ended): the p95
  of any request type is above LOAD_P95_MS (default 3000 ms), or the p95 of all requests above
  LOAD_TOTAL_P95_MS (default 1000 ms); or, over the whole run, the p95 of signing in is above
  LOAD_SIGN_IN_P95_MS (default 5000 ms). Sign-in hashes the password slowly on purpose, and
  everyone signing in is the run's ramp-up: reported, and bounded on its own.
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


def timings(requests: list[dict], problems: list[str], *, bounded: bool) -> list[tuple]:
    """p50/p95 per request type over the whole run, and in the steady state: requests started
    after the last sign-in ended. The bounds apply to the steady state (sign-in itself: the
    whole run), and only when `bounded` (the load test; the fault test is about correctness)."""
    bound = float(os.environ.get("LOAD_P95_MS", "3000"))
    total_bound = float(os.environ.get("LOAD_TOTAL_P95_MS", "1000"))
    sign_in_bound = float(os.environ.get("LOAD_SIGN_IN_P95_MS", "5000"))
    answered = [r for r in requests if r["status"]]
    steady_from = max((r["at"] for r in answered if r["name"].startswith("sign in")), default=0)
    whole: dict[str, list[float]] = defaultdict(list)
    steady: dict[str, list[float]] = defaultdict(list)
    for r in answered:
        whole[r["name"]].append(r["ms"])
        if r["at"] - r["ms"] / 1000 >= steady_from:
            steady[r["name"]].append(r["ms"])
    table = []
    for name in [*sorted(whole), "all requests"]:
        if name == "all requests":
            times = [ms for values in whole.values() for ms in values]
            later = [ms for values in steady.values() for ms in values]
            limit = total_bound
        else:
            times, later = whole[name], steady.get(name, [])
            limit = sign_in_bound if name == SIGN_IN else bound
        row = (
            name,
            len(times),
            percentile(times, 0.5),
            percentile(times, 0.95),
            len(later),
            percentile(later, 0.5),
            percentile(later, 0.95),
            limit if bounded else None,
        )
        table.append(row)
        measured = row[3] if name == SIGN_IN else row[6]
        if bounded and limit is not None and measured > limit:
            which = "over the run" if name == SIGN_IN else "in the steady state"
            problems.append(
                f"p95 of {name!r} {which} is {measured:.0f} ms, above its bound of {limit:.0f} ms"
            )
    return table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--fault", action="store_true")
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
    if not any(a.get("status") == 409 for a in attempts.values()):
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
    table = timings(requests, problems, bounded=not args.fault)

    duration = max(r["at"] for r in requests) - min(r["at"] for r in requests) if requests else 0
    print(f"\n{'':<24} {'whole run':^25} {'steady state':^25}")
    print(
        f"{'request':<24} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'bound':>7}"
    )
    for name, count, p50, p95, later, later_p50, later_p95, limit in table:
        shown = f"{limit:.0f}" if limit else ""
        steady = f"{later_p50:>8.0f} {later_p95:>8.0f}" if later else f"{'–':>8} {'–':>8}"
        print(f"{name:<24} {count:>7} {p50:>8.0f} {p95:>8.0f} {later:>7} {steady} {shown:>7}")
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
