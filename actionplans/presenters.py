"""RAG and derived statuses as words, symbol and GOV.UK tag class: never colour alone."""

from dataclasses import dataclass

from actionplans.models import Status


@dataclass(frozen=True)
class StatusTag:
    code: str
    text: str
    symbol: str
    classes: str
    meaning: str
    # In the SVG bar charts: a hatched pattern (by name) or a solid fill, and the count's colour,
    # so that no status is told apart by colour alone, in print too.
    chart_fill: str = "#ffffff"
    chart_pattern: str = ""
    chart_ink: str = "#ffffff"


_TAGS = {
    Status.GREEN: StatusTag(
        "GREEN", "Green", "✓", "govuk-tag--green", "on track", chart_fill="#00703c"
    ),
    Status.AMBER: StatusTag(
        "AMBER", "Amber", "!", "govuk-tag--orange", "some slippage", chart_pattern="amber"
    ),
    Status.RED: StatusTag("RED", "Red", "✕", "govuk-tag--red", "off track", chart_pattern="red"),
    Status.WHITE: StatusTag(
        "WHITE",
        "White",
        "○",
        "govuk-tag--grey lc-tag--white",
        "commencement date not yet reached",
        chart_ink="#0b0c0c",
    ),
    Status.BLANK: StatusTag(
        "BLANK",
        "Blank",
        "–",
        "govuk-tag--yellow lc-tag--blank",
        "no response from lead agency at end of quarter",
        chart_pattern="blank",
        chart_ink="#0b0c0c",
    ),
}


# A quarter that does not count the output (withdrawn before it, or outside its plan's period).
NOT_COUNTED = StatusTag(
    "", "Not counted", "—", "govuk-tag--grey", "withdrawn, or outside its plan's period"
)


def status_tag(status: str | None) -> StatusTag:
    return NOT_COUNTED if status is None else _TAGS[Status(status)]


def all_status_tags() -> list[StatusTag]:
    return [_TAGS[s] for s in Status]
