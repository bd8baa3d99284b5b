"""`make bench`, imports: `manage.py import_status_updates` as a whole process on files of one,
1,000 and 10,000 rows of the generated programme's outputs (each row a new return for Q4
2015/16, a closed quarter before the generated series, so the dashboards' figures are not
touched; its commentary is new each time, so no row is skipped as already imported).

The one-row import is the process's start-up (Python, Django, the command, its reading and
writing machinery). Targets from the issue: 10,000 rows in at most 3× the time of 1,000 plus
start-up, and in at most 5 s.
"""

from __future__ import annotations

import csv
import math
import os
import sys
import tempfile
import uuid
from pathlib import Path

from tests.bench.packs import ProcessFailed, run_process
from tests.bench.report import Figure

ROOT = Path(__file__).resolve().parents[2]
QUARTER = (2015, 4)  # financial year 2015/16, quarter 4
SCALING = 3.0
BOUND_S = 5.0


def write_file(path: Path, outputs: list[tuple[str, str]], token: str) -> None:
    """A status-updates CSV: one return for each (plan name, ref), commentary unique to the run."""
    from actionplans.models import financial_year_label
    from actionplans.scale import PROGRAMME

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["programme", "plan", "ref", "year", "quarter", "rag", "commentary"])
        for n, (plan, ref) in enumerate(outputs):
            rag = "Amber" if n % 5 == 0 else "Green"
            # Unique to the run, so no row is the same as an earlier import's (those are skipped).
            commentary = f"Benchmark import {token}, row {n}."
            writer.writerow(
                [
                    PROGRAMME,
                    plan,
                    ref,
                    financial_year_label(QUARTER[0]),
                    QUARTER[1],
                    rag,
                    commentary,
                ]
            )


def run() -> list[Figure]:
    from actionplans.models import Output, Quarter
    from actionplans.scale import PROGRAMME

    Quarter.objects.ensure(*QUARTER, state=Quarter.State.CLOSED)
    sizes = {"start-up (1 row)": 1, "1,000 rows": 1000, "10,000 rows": 10_000}
    wanted = max(sizes.values())
    outputs = list(
        Output.objects.filter(plan__programme__name=PROGRAMME)
        .order_by("pk")
        .values_list("plan__name", "ref")[:wanted]
    )
    if len(outputs) < wanted:
        print(f"\nImports need {wanted} generated outputs (BENCH_OUTPUTS): skipped")
        return []
    print("\nStatus-update import: manage.py import_status_updates, whole processes", flush=True)
    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, size in sizes.items():
            path = Path(tmp, f"returns-{size}.csv")
            write_file(path, outputs[:size], uuid.uuid4().hex[:12])
            command = [sys.executable, "manage.py", "import_status_updates", str(path)]
            try:
                times[name], _ = run_process(command, cwd=ROOT, env=os.environ.copy())
            except ProcessFailed as failed:
                last = str(failed).strip().splitlines()[-1]
                print(f"  the import of {name} failed: {last}", flush=True)
                return [Figure(f"import of {name}: failed", math.inf, BOUND_S, "5 s bound", 1.0)]
            print(f"  import of {name:<18} {times[name]:7.2f} s", flush=True)
    startup, small, large = times.values()
    return [
        Figure(
            "10,000 rows / 1,000 (≤ 3× + start-up)",
            large,
            small,
            "1,000 rows",
            target=SCALING + startup / small,
        ),
        Figure("10,000 rows, absolute", large, BOUND_S, "5 s bound", target=1.0),
        Figure("1,000 rows / start-up", small, startup, "1 row", target=None),
    ]
