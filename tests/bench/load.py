"""`make bench`, load test: each request type's p95 at LOAD_USERS (50) users against its p95 with
one user of each kind, under the same script (tests/load/), from the results of the last
`make loadtest` in LOAD_RESULTS (default load-results/). With BENCH_LOADTEST=1 it runs the load
test first (PostgreSQL, LOAD_DATABASE_URL; about eight minutes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.bench.report import Figure
from tests.load.check import ALL, compared_p95

ROOT = Path(__file__).resolve().parents[2]


def figures(full: dict, single: dict, limit: float) -> list[Figure]:
    """A figure per request type both runs made (all requests together: reported only)."""
    result = []
    for name, row in full.items():
        if name not in single or name == ALL:
            continue
        measured, _ = compared_p95(name, row)
        baseline, samples = compared_p95(name, single[name])
        if samples:
            result.append(Figure(name, measured, baseline, "1 user", target=limit, unit="ms"))
    if ALL in full and ALL in single:
        result.append(
            Figure(ALL, full[ALL]["steady_p95"], single[ALL]["steady_p95"], "1 user", unit="ms")
        )
    return result


def run() -> list[Figure]:
    results = Path(os.environ.get("LOAD_RESULTS") or ROOT / "load-results")
    if os.environ.get("BENCH_LOADTEST") == "1":
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LOAD_RESULTS")}
        env["LOAD_RESULTS"] = str(results)
        subprocess.run([sys.executable, "-m", "tests.load.run", "load"], cwd=ROOT, env=env)  # noqa: S603 - our own runner
    full_path = results / "load" / "timings.json"
    single_path = results / "load-one-user" / "timings.json"
    if not (full_path.exists() and single_path.exists()):
        print(f"\nNo load-test results in {results}: run `make loadtest` (or BENCH_LOADTEST=1)")
        return []
    limit = float(os.environ.get("LOAD_P95_RATIO", "3"))
    print(f"\nLoad test: p95 per request type from {results} (steady state; sign-in whole run)")
    return figures(json.loads(full_path.read_text()), json.loads(single_path.read_text()), limit)
