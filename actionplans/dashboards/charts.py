"""Server-rendered SVG charts: geometry worked out here, drawn by templates/dashboards/_bars.svg.

Bars are stacked by status in the summary table's order. Each status has its own fill pattern as
well as its colour, and every segment wide enough carries its count, so colour is never the only
cue; the same numbers are always in a table beside the chart.
"""

from dataclasses import dataclass

from actionplans.dashboards.queries import Distribution
from actionplans.presenters import StatusTag, status_tag
from actionplans.summary import COLUMNS

LABEL_WIDTH = 260
BAR_WIDTH = 420
BAR_HEIGHT = 22
GAP = 10
MIN_TEXT_WIDTH = 26


@dataclass(frozen=True)
class Segment:
    tag: StatusTag
    count: int
    percent: int
    x: float
    width: float
    href: str

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def shows_count(self) -> bool:
        return self.width >= MIN_TEXT_WIDTH


@dataclass(frozen=True)
class Cell:
    label: str
    count: int
    percent: int
    href: str


@dataclass(frozen=True)
class Bar:
    label: str
    href: str
    total: int
    y: int
    segments: list[Segment]
    cells: list[Cell]

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def total_x(self) -> float:
        return round(LABEL_WIDTH + sum(s.width for s in self.segments) + 6, 1)


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    width: int = LABEL_WIDTH + BAR_WIDTH + 60

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8

    @property
    def status_labels(self) -> list[str]:
        return [status_tag(status).text for status in COLUMNS]

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * (BAR_HEIGHT + GAP) + GAP


def bar_chart(title: str, rows: list[tuple[Distribution, str, callable]]) -> BarChart:
    """`rows` are (distribution, link for the whole bar, link for one status) in display order;
    bars share one scale so that their lengths compare."""
    largest = max((d.total for d, _, _ in rows), default=0) or 1
    bars = []
    for index, (distribution, href, status_href) in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        cells = []
        for status, count, percent in distribution.cells():
            cells.append(Cell(status_tag(status).text, count, percent, status_href(status)))
            if not count:
                continue
            width = round(BAR_WIDTH * count / largest, 1)
            segments.append(
                Segment(status_tag(status), count, percent, x, width, status_href(status))
            )
            x += width
        bars.append(
            Bar(
                distribution.label,
                href,
                distribution.total,
                GAP + index * (BAR_HEIGHT + GAP),
                segments,
                cells,
            )
        )
    described = "; ".join(
        f"{d.label}: {d.total} outputs, "
        + ", ".join(f"{count} {status.lower()}" for status, count, _ in d.cells() if count)
        for d, _, _ in rows
    )
    return BarChart(title=title, description=described or "No outputs.", bars=bars)
