"""What every part of `make bench` shares: timing two things interleaved, and printing each figure
as a ratio against its baseline with the issue's target and PASS or FAIL. Pure: no Django."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


def median(values: list[float]) -> float:
    if not values:
        raise ValueError("no timings")
    return statistics.median(values)


def ratio(value: float, baseline: float) -> float:
    """value / baseline; infinite when the baseline took no measurable time."""
    if baseline <= 0:
        return math.inf if value > 0 else 1.0
    return value / baseline


def interleave(
    first: Callable[[], object],
    second: Callable[[], object],
    repeats: int,
    *,
    warm_up: bool = True,
    before_each: Callable[[], object] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[list[float], list[float]]:
    """Run `first` and `second` alternately, A B A B…, `repeats` times each (after one untimed
    run of each, so neither side pays for cold file and buffer caches the other does not), and
    return the times of each. Interleaving spreads a busy moment of the machine over both
    sides. `before_each`, untimed, runs before every run of either (e.g. emptying an
    application cache, so that each run computes what it shows)."""
    if warm_up:
        first()
        second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for run, into in ((first, times[0]), (second, times[1])):
            if before_each is not None:
                before_each()
            started = clock()
            run()
            into.append(clock() - started)
    return times


@dataclass(frozen=True)
class Figure:
    """One line of the report: `value` against `baseline` (both in `unit`), passing when the
    ratio is at most `target` (no target: reported only)."""

    name: str
    value: float
    baseline: float
    baseline_name: str
    target: float | None = None
    unit: str = "s"

    @property
    def ratio(self) -> float:
        return ratio(self.value, self.baseline)

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "PASS" if self.ratio <= self.target else "FAIL"


def _amount(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.0f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g} {unit}"


def format_report(figures: list[Figure], title: str = "") -> str:
    """A fixed-width table: figure, value, baseline, ratio, target, PASS/FAIL."""
    header = ("figure", "value", "baseline", "against", "ratio", "target", "")
    rows = [
        (
            f.name,
            _amount(f.value, f.unit),
            _amount(f.baseline, f.unit),
            f.baseline_name,
            "∞" if math.isinf(f.ratio) else f"{f.ratio:.2f}×",
            f"≤ {f.target:.2f}×" if f.target is not None else "",
            f.verdict,
        )
        for f in figures
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right = {1, 2, 4, 5}

    def line(row):
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    out = [title] if title else []
    out += [line(header), line(tuple("-" * w for w in widths)), *[line(row) for row in rows]]
    failed = sum(f.verdict == "FAIL" for f in figures)
    judged = sum(bool(f.verdict) for f in figures)
    out.append(f"{judged - failed} of {judged} targets met")
    return "\n".join(out)
