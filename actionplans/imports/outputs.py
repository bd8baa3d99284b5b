"""The outputs import: programmes, plans, priorities and outputs from a spreadsheet.

result = read_outputs(content, filename="plan.csv", actor=user, create_missing=False)
if result.errors: ...         # every bad row, with its CSV line number (the header is line 1)
result.to_create / result.to_update / result.unchanged   # what applying would do
result.apply()                # all-or-nothing, through the services, with an audit row
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Max

from actionplans.imports.common import (
    OUTPUTS,
    PLACE_COLUMNS,
    ImportResult,
    Names,
    PlannedRow,
    Slugs,
    boards_by_name,
    fold,
    open_import,
    parse_date,
)
from actionplans.models import ActionPlan, Output, Priority, Programme
from actionplans.services import (
    check_output_ref,
    create_outputs,
    create_plan_records,
    update_outputs,
)
from boards.models import Board, Organisation, Sector
from leeds_communities.csvimport import Row, parse_rows
from leeds_communities.models import record_audit

# The upload pages show these to the user.
OUTPUT_COLUMNS = [
    *PLACE_COLUMNS,
    ("priority", False, "The priority (theme) within the plan; may be left empty.", "Housing"),
    ("ref", True, "The output's reference within the plan, up to 40 characters.", "NE001"),
    ("title", True, "What the output is, up to 500 characters.", "Open a youth centre"),
    ("lead_agency", True, "The lead agency's name, exactly as recorded.", "Leeds City Council"),
    ("start_date", True, "The commencement date, as YYYY-MM-DD.", "2006-04-01"),
    ("due_date", False, "The due date, as YYYY-MM-DD; may be left empty.", "2008-03-31"),
    (
        "board",
        False,
        "The board that owns the plan, by name or slug; may be left empty, and the column left "
        "out. A new programme or plan is created owned by it.",
        "Communities Board",
    ),
]
# Columns a file may leave out altogether.
OPTIONAL_OUTPUT_COLUMNS = ("board",)
# What a row that would create a programme or plan with no owner is told to add.
ADD_A_BOARD = (
    "say which board owns it: add a board column (the board's name or slug), or choose the "
    "board for the whole file (--board on the command line, “Board” on the upload page)."
)


def read_outputs(
    content: bytes | str,
    *,
    filename: str,
    actor,
    create_missing: bool = False,
    board: Board | None = None,
) -> ImportResult:
    """Check every row of an outputs file and work out what importing it would change. With
    `create_missing`, programmes and plans the file names but the register lacks are planned,
    owned by the row's `board` column, else by `board`, else (a plan) by its programme's."""
    opened = open_import(
        OUTPUTS,
        content,
        filename=filename,
        actor=actor,
        columns=OUTPUT_COLUMNS,
        optional=OPTIONAL_OUTPUT_COLUMNS,
    )
    result = opened.result
    if opened.places is None:
        return result
    result._write = _write_outputs
    reader = _OutputRows(opened, create_missing=create_missing, board=board)
    checked = parse_rows(opened.table, reader.parse)
    result.errors = checked.errors
    return result.finish([item for _, item in checked.items])


class _OutputRows:
    """The row parser: finds or plans each row's records, then its output."""

    def __init__(self, opened, *, create_missing: bool, board: Board | None):
        self.opened = opened
        self.result = opened.result
        self.create_missing = create_missing
        self.default_board = board
        self.boards = boards_by_name()
        self.agencies = Names(Organisation.objects.all(), "name")
        self.priorities: dict[Any, Names] = {}
        for priority in Priority.objects.all():
            self.priorities.setdefault(priority.plan_id, Names([])).add(priority.title, priority)
        self.next_order = dict(
            Priority.objects.values("plan").annotate(top=Max("order")).values_list("plan", "top")
        )
        self.existing = {
            (o.plan_id, o.ref): o
            for o in Output.objects.filter(plan_id__in=opened.plan_ids).select_related(
                "priority", "lead_agency"
            )
        }
        self.organisation_slugs = self.plan_slugs = self.programme_slugs = None
        # New records by folded name, each with the line that first named it.
        self.new_programmes: dict[str, tuple[Programme, int]] = {}
        self.new_plans: dict[tuple, tuple[ActionPlan, int]] = {}
        # The refs each plan has been given so far in this file, with their lines.
        self.refs_in_file: dict[Any, dict[str, int]] = {}

    def _new(self, obj, description: str) -> None:
        self.result._new_objects.append(obj)
        self.result.new_records.append(description)

    def board(self, row: Row) -> Board | None:
        """The board the row names, else the one chosen for the whole file."""
        name = row["board"]
        if not name:
            return self.default_board
        board = self.boards.get(name)
        if board is None:
            row.error(
                f"there is no board called “{name}”; give a board's name or slug as the register "
                "has it.",
                column="board",
            )
        return board

    def programme(self, row: Row, board: Board | None) -> Programme | None:
        """A programme the register lacks, planned (with create_missing) owned by `board`."""
        name = row["programme"]
        key = fold(name)
        if key in self.new_programmes:
            programme, line = self.new_programmes[key]
            if row["board"] and board != programme.board:
                row.error(
                    f"programme “{programme.name}” is new and line {line} gives it board "
                    f"“{programme.board}”: give every row of a new programme the same board, or "
                    "leave the others empty.",
                    column="board",
                )
                return None
            return programme
        if board is None:
            row.error(f"there is no programme called “{name}”. To create it, {ADD_A_BOARD}")
            return None
        self.programme_slugs = self.programme_slugs or Slugs(Programme)
        programme = Programme(
            name=name, slug=self.programme_slugs.make(name, "programme"), board=board
        )
        self.new_programmes[key] = (programme, row.line)
        self._new(programme, f"programme “{programme.name}”, owned by {board}")
        return programme

    def plan(self, row: Row) -> ActionPlan | None:
        programme, plan = self.opened.where(row)
        if not row["plan"]:
            row.error("plan is empty; give the action plan's name.", column="plan")
            return None
        board = self.board(row)
        if row["board"] and board is None:
            return None
        if plan is not None:
            if row["board"] and plan.owner_id != board.pk:
                row.error(
                    f"plan “{plan.label}” is owned by {plan.owner}, not “{row['board']}”: "
                    "correct the board column or leave it empty.",
                    column="board",
                )
                return None
            return plan
        if row["programme"] and programme is None:
            if not self.create_missing:
                row.error(f"there is no programme called “{row['programme']}”.", column="plan")
                return None
            programme = self.programme(row, board)
            if programme is None:
                return None
        elif not self.create_missing:
            where = f"programme “{programme}”" if programme else "no programme"
            row.error(f"there is no plan called “{row['plan']}” in {where}.", column="plan")
            return None
        owner = board or (programme.board if programme else None)
        if owner is None:
            where = f"in programme “{programme}”" if programme else "outside a programme"
            row.error(
                f"there is no plan called “{row['plan']}” {where}. To create it, {ADD_A_BOARD}",
                column="plan",
            )
            return None
        return self.new_plan(row, programme, owner)

    def new_plan(self, row: Row, programme: Programme | None, owner: Board) -> ActionPlan | None:
        programme_key = None if programme is None else (programme.pk or id(programme))
        key = (programme_key, fold(row["plan"]))
        if key in self.new_plans:
            plan, line = self.new_plans[key]
            if row["board"] and owner != plan.owner:
                row.error(
                    f"plan “{plan.name}” is new and line {line} gives it board “{plan.owner}”: "
                    "give every row of a new plan the same board, or leave the others empty.",
                    column="board",
                )
                return None
            return plan
        self.plan_slugs = self.plan_slugs or Slugs(ActionPlan)
        plan = ActionPlan(
            programme=programme,
            name=row["plan"],
            slug=self.plan_slugs.make(row["plan"], "plan"),
            owner=owner,
            scope=ActionPlan.Scope.CITY_WIDE,
        )
        self.new_plans[key] = (plan, row.line)
        where = f"in programme “{programme}”" if programme else "outside any programme"
        self._new(plan, f"plan “{plan.name}” {where}, owned by {owner} (city-wide)")
        return plan

    def priority(self, row: Row, plan: ActionPlan | None) -> Priority | None:
        if not row["priority"] or plan is None:
            return None
        plan_key = plan.pk if plan.pk else id(plan)
        names = self.priorities.setdefault(plan_key, Names([]))
        priority = names.get(row["priority"])
        if priority is None and not self.create_missing:
            row.error(
                f"there is no priority called “{row['priority']}” in plan “{plan.label}”.",
                column="priority",
            )
        elif priority is None:
            order = self.next_order.get(plan_key, 0) or 0
            self.next_order[plan_key] = order + 1
            priority = Priority(plan=plan, title=row["priority"], order=order + 1)
            names.add(priority.title, priority)
            self._new(priority, f"priority “{priority.title}” in plan “{plan.label}”")
        return priority

    def ref(self, row: Row, plan: ActionPlan | None) -> None:
        ref = row["ref"]
        if not ref:
            row.error("ref is empty; give the output's reference.", column="ref")
        if not row["title"]:
            row.error("title is empty; say what the output is.", column="title")
        if not ref:
            return
        # A ref already in the plan updates that output; twice in the file is a mistake.
        plan_key = (plan.pk or id(plan)) if plan is not None else (row["programme"], row["plan"])
        in_file = self.refs_in_file.setdefault(plan_key, {})
        check = check_output_ref(plan=plan, ref=ref, taken=in_file)
        if check.taken:
            row.error(
                f"ref “{ref}” appears twice in the file for the same plan "
                f"(also on line {in_file[check.ref]}).",
                column="ref",
            )
        else:
            in_file[check.ref] = row.line

    def agency(self, row: Row) -> Organisation | None:
        name = row["lead_agency"]
        if not name:
            row.error("lead_agency is empty; name the lead agency.", column="lead_agency")
            return None
        agency = self.agencies.get(name)
        if agency is None and not self.create_missing:
            row.error(
                f"there is no lead agency (organisation) called “{name}”.", column="lead_agency"
            )
        elif agency is None:
            self.organisation_slugs = self.organisation_slugs or Slugs(Organisation)
            agency = Organisation(
                name=name,
                slug=self.organisation_slugs.make(name, "organisation"),
                sector=Sector.PUBLIC,
            )
            self.agencies.add(agency.name, agency)
            self._new(
                agency, f"lead agency “{agency.name}” (sector: public; correct it if need be)"
            )
        return agency

    def dates(self, row: Row):
        start = parse_date(row, "start_date")
        due = parse_date(row, "due_date")
        if not row["start_date"]:
            row.error("start_date is empty; give the commencement date.", column="start_date")
        if start and due and start > due:
            row.error(
                f"the commencement date ({start:%Y-%m-%d}) is after the due date ({due:%Y-%m-%d}).",
                column="start_date",
            )
        return start, due

    def parse(self, row: Row) -> tuple[str, PlannedRow] | None:
        plan = self.plan(row)
        priority = self.priority(row, plan)
        self.ref(row, plan)
        agency = self.agency(row)
        start, due = self.dates(row)
        if row.errors:
            return None
        ref, title = row["ref"], row["title"]
        output = self.existing.get((plan.pk, ref)) if plan.pk else None
        if output is None:
            output = Output(
                plan=plan,
                ref=ref,
                title=title,
                priority=priority,
                lead_agency=agency,
                commencement=start,
                due=due,
            )
            return "create", PlannedRow(row.line, plan.label, ref, title, payload=output)
        values = {
            "title": title,
            "priority": priority,
            "lead_agency": agency,
            "commencement": start,
            "due": due,
        }
        changes = _output_changes(output, title, priority, agency, start, due)
        planned = PlannedRow(
            row.line, plan.label, ref, title, changes=changes, payload=(output, values)
        )
        return ("update" if changes else "same"), planned


def _output_changes(output: Output, title, priority, agency, start, due) -> list[str]:
    def show(value):
        if value is None:
            return "(none)"
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m-%d}"
        return f"“{value}”"

    changes = []
    if output.title != title:
        changes.append(f"title: {show(output.title)} → {show(title)}")
    if (
        output.priority_id is None
        and priority is not None
        or (
            output.priority_id is not None
            and (priority is None or priority.pk != output.priority_id)
        )
    ):
        changes.append(f"priority: {show(output.priority)} → {show(priority)}")
    if agency.pk != output.lead_agency_id:
        changes.append(f"lead agency: {show(output.lead_agency)} → {show(agency)}")
    if output.commencement != start:
        changes.append(f"start date: {show(output.commencement)} → {show(start)}")
    if output.due != due:
        changes.append(f"due date: {show(output.due)} → {show(due)}")
    return changes


def _create_programmes(programmes: list[Programme], acting_user) -> None:
    """The programmes an import names but the register lacks, each owned by its board."""
    Programme.objects.bulk_create(programmes)
    record_audit(
        actor=acting_user,
        action="programmes_created",
        summary="Added programmes " + ", ".join(f"“{p.name}” ({p.board})" for p in programmes),
        programmes=[p.pk for p in programmes],
        boards=[p.board_id for p in programmes],
    )


def _write_outputs(result: ImportResult) -> None:
    new = result._new_objects
    programmes = [o for o in new if isinstance(o, Programme)]
    if programmes:
        _create_programmes(programmes, result.actor)
    create_plan_records(
        acting_user=result.actor,
        organisations=[o for o in new if isinstance(o, Organisation)],
        plans=[o for o in new if isinstance(o, ActionPlan)],
        priorities=[o for o in new if isinstance(o, Priority)],
    )
    if result.to_create:
        create_outputs(
            outputs=[row.payload for row in result.to_create],
            acting_user=result.actor,
            summary=f"Added {len(result.to_create)} outputs from {result.filename}",
        )
    if result.to_update:
        update_outputs(
            updates=[row.payload for row in result.to_update],
            acting_user=result.actor,
            summary=f"Changed {len(result.to_update)} outputs from {result.filename}",
        )
