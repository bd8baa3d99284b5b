"""The status updates import: quarterly RAG returns from a spreadsheet, all recorded at once
through `record_status_updates`, by the rules of a return typed in, with the import as source."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from actionplans.imports.common import (
    PLACE_COLUMNS,
    STATUS_UPDATES,
    ImportResult,
    PlannedRow,
    open_import,
    parse_date,
)
from actionplans.models import (
    Output,
    Quarter,
    Rag,
    StatusUpdate,
    financial_year_label,
    parse_financial_year,
)
from actionplans.quarters import default_deadline, parse_quarter_number
from actionplans.services import (
    Return,
    create_past_quarters,
    record_status_updates,
    return_content_problems,
)
from leeds_communities.csvimport import Row, parse_rows

STATUS_UPDATE_COLUMNS = [
    *PLACE_COLUMNS,
    ("ref", True, "The output's reference within the plan.", "NE001"),
    ("year", True, "The financial year, like 2006/07.", "2006/07"),
    ("quarter", True, "The quarter of that year: 1, 2, 3 or 4.", "3"),
    ("rag", True, "G, A or R (or Green, Amber, Red), in any case.", "Amber"),
    (
        "commentary",
        False,
        "Progress in words; required for Amber and Red.",
        "Site not yet secured.",
    ),
    (
        "corrective_action",
        False,
        "What is being done to bring it back on track; required for Red.",
        "New site identified with Asset Management.",
    ),
    (
        "corrective_action_by",
        False,
        "When the corrective action will be done, as YYYY-MM-DD; required with it.",
        "2007-03-31",
    ),
    ("forecast", False, "The RAG expected at the due date: G, A or R, or empty.", "Green"),
]

# Columns a file may leave out altogether (files made before returns had them).
RETURN_DETAIL_COLUMNS = ("corrective_action", "corrective_action_by", "forecast")

_RAG_WORDS = {
    "g": Rag.GREEN,
    "green": Rag.GREEN,
    "a": Rag.AMBER,
    "amber": Rag.AMBER,
    "r": Rag.RED,
    "red": Rag.RED,
}


def read_status_updates(content: bytes | str, *, filename: str, actor) -> ImportResult:
    """Check every row of a status-updates file and work out what importing it would add."""
    opened = open_import(
        STATUS_UPDATES,
        content,
        filename=filename,
        actor=actor,
        columns=STATUS_UPDATE_COLUMNS,
        multiline=("commentary", "corrective_action"),
        optional=RETURN_DETAIL_COLUMNS,
    )
    result = opened.result
    if opened.places is None:
        return result
    result._write = _write_status_updates
    reader = _ReturnRows(opened)
    checked = parse_rows(opened.table, reader.parse)
    result.errors = checked.errors
    return result.finish([item for _, item in checked.items])


class _ReturnRows:
    """The row parser: the output, quarter and RAG each row names."""

    def __init__(self, opened):
        self.opened = opened
        self.result = opened.result
        self.quarters = {(q.year, q.number): q for q in Quarter.objects.all()}
        self.today = timezone.localdate()
        self.outputs = {
            (o.plan_id, o.ref): o
            for o in Output.objects.filter(plan_id__in=opened.plan_ids).select_related("plan")
        }
        self.already = set(
            StatusUpdate.objects.filter(
                output__plan_id__in=opened.plan_ids, source=StatusUpdate.Source.IMPORT
            ).values_list(
                "output_id",
                "quarter__year",
                "quarter__number",
                "rag",
                "commentary",
                "corrective_action",
                "corrective_action_by",
                "forecast",
            )
        )
        self.seen: dict[tuple, int] = {}

    def output(self, row: Row) -> Output | None:
        programme, plan = self.opened.where(row)
        if row["programme"] and programme is None:
            row.error(f"there is no programme called “{row['programme']}”.", column="programme")
        elif not row["plan"]:
            row.error("plan is empty; give the action plan's name.", column="plan")
        elif plan is None:
            where = f"programme “{programme}”" if programme else "no programme"
            row.error(f"there is no plan called “{row['plan']}” in {where}.", column="plan")
        elif not row["ref"]:
            row.error("ref is empty; give the output's reference.", column="ref")
        else:
            output = self.outputs.get((plan.pk, row["ref"]))
            if output is None:
                row.error(
                    f"there is no output “{row['ref']}” in plan “{plan.label}” (unknown output).",
                    column="ref",
                )
            return output
        return None

    def quarter(self, row: Row) -> tuple[int | None, int | None, Quarter | None]:
        year = number = None
        try:
            year = parse_financial_year(row["year"])
        except ValueError:
            row.error(
                f"year “{row['year']}” is not a financial year; write it like 2006/07.",
                column="year",
            )
        try:
            number = parse_quarter_number(row["quarter"])
        except ValueError:
            row.error(
                f"quarter “{row['quarter']}” is not a quarter; use 1, 2, 3 or 4.",
                column="quarter",
            )
        if year is None or number is None:
            return year, number, None
        quarter = self.quarters.get((year, number))
        if quarter is not None:
            return year, number, quarter
        quarter = Quarter(year=year, number=number, state=Quarter.State.CLOSED)
        if quarter.end >= self.today:
            row.error(
                f"{quarter} has not been opened yet, and only quarters that have "
                "ended can be created by an import. Open the quarter first.",
                column="quarter",
            )
            return year, number, None
        quarter.deadline = default_deadline(year, number)
        self.quarters[(year, number)] = quarter
        self.result._new_objects.append(quarter)
        self.result.new_records.append(f"{quarter} (closed; deadline {quarter.deadline:%-d %B %Y})")
        return year, number, quarter

    def parse(self, row: Row) -> tuple[str, PlannedRow] | None:
        output = self.output(row)
        year, number, quarter = self.quarter(row)
        rag = _RAG_WORDS.get(row["rag"].casefold())
        if rag is None:
            row.error(
                f"rag “{row['rag']}” is not a RAG status; use G, A or R (or Green, Amber, Red).",
                column="rag",
            )
        commentary = row["commentary"]
        if rag in (Rag.AMBER, Rag.RED) and not commentary:
            row.error(
                f"commentary is empty; say why the output is {rag.label.lower()}.",
                column="commentary",
            )
        corrective_action = row["corrective_action"]
        corrective_action_by = parse_date(row, "corrective_action_by")
        forecast = _RAG_WORDS.get(row["forecast"].casefold(), "") if row["forecast"] else ""
        if row["forecast"] and not forecast:
            row.error(
                f"forecast “{row['forecast']}” is not a RAG status; use G, A or R, or leave it "
                "empty.",
                column="forecast",
            )
        by_unreadable = bool(row["corrective_action_by"]) and corrective_action_by is None
        if rag is not None and quarter is not None:
            # The return rules' own words for corrective action (commentary is checked above).
            problems = return_content_problems(
                quarter,
                rag,
                commentary,
                corrective_action=corrective_action,
                corrective_action_by=corrective_action_by,
                forecast=forecast,
            )
            for column in ("corrective_action", "corrective_action_by"):
                if column == "corrective_action_by" and by_unreadable:
                    continue
                for message in problems.get(column, ValidationError([])).messages:
                    row.error(f"{column}: {message}", column=column)
        if output is not None and year is not None and number is not None:
            key = (output.pk, year, number)
            if key in self.seen:
                row.error(
                    f"output “{output.ref}” has another return for quarter {number} "
                    f"{financial_year_label(year)} on line {self.seen[key]}; keep one.",
                )
            else:
                self.seen[key] = row.line
        if row.errors:
            return None

        late = not quarter.is_open
        details = {
            "corrective_action": corrective_action,
            "corrective_action_by": corrective_action_by,
            "forecast": forecast and forecast.value,
        }
        summary = f"{rag.label} for {quarter}" + (" (closed quarter)" if late else "")
        planned = PlannedRow(
            row.line,
            output.plan.label,
            output.ref,
            summary,
            changes=[c for c in (commentary, corrective_action) if c],
            payload=(output, quarter, rag, commentary, late, details),
        )
        if (output.pk, year, number, rag.value, commentary, *details.values()) in self.already:
            return "same", planned
        return "create", planned


def _write_status_updates(result: ImportResult) -> dict:
    """Every row in one insert through `record_status_updates` (the same rules as a return
    typed in); the import's one audit event lists the returns it recorded."""
    if result._new_objects:
        create_past_quarters(quarters=result._new_objects, acting_user=result.actor)
    returns = []
    for row in result.to_create:
        output, quarter, rag, commentary, late, details = row.payload
        returns.append(
            Return(
                output=output,
                quarter=quarter,
                rag=rag,
                commentary=commentary,
                late_reason=f"Imported from {result.filename}" if late else "",
                **details,
            )
        )
    created = record_status_updates(
        returns=returns, acting_user=result.actor, source=StatusUpdate.Source.IMPORT
    )
    return {"status_updates": [update.pk for update in created]}
