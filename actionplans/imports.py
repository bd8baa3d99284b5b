"""Spreadsheet imports of action plans: outputs, and quarterly status updates.

One code path serves the management commands and the upload pages:

    result = read_outputs(content, filename="plan.csv", actor=user, create_missing=False)
    if result.errors: ...         # every bad row, with its CSV line number (the header is line 1)
    result.to_create / result.to_update / result.unchanged   # what applying would do
    result.apply()                # all-or-nothing, in one transaction, with an audit row

Reading never writes. `apply()` refuses a result with errors, and any failure while applying
rolls the whole import back.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from actionplans.models import (
    ActionPlan,
    Output,
    Priority,
    Programme,
    Quarter,
    Rag,
    StatusUpdate,
    financial_year_label,
    parse_financial_year,
)
from actionplans.services import record_status_update
from boards.models import Organisation, Sector
from leeds_communities.models import record_audit
from leeds_communities.roles import Role, ensure_role_groups, is_governance_support

OUTPUTS = "outputs"
STATUS_UPDATES = "status_updates"

DEFAULT_IMPORT_USERNAME = "import"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# (column, required, what to enter, example): the upload pages show these to the user.
OUTPUT_COLUMNS = [
    ("programme", True, "The programme's name, exactly as recorded.", "Leeds Regeneration Plan"),
    (
        "plan",
        True,
        "The action plan's name or short name within that programme.",
        "North East",
    ),
    ("priority", False, "The priority (theme) within the plan; may be left empty.", "Housing"),
    ("ref", True, "The output's reference within the plan, up to 40 characters.", "NE001"),
    ("title", True, "What the output is, up to 500 characters.", "Open a youth centre"),
    ("lead_agency", True, "The lead agency's name, exactly as recorded.", "Leeds City Council"),
    ("start_date", True, "The commencement date, as YYYY-MM-DD.", "2006-04-01"),
    ("due_date", False, "The due date, as YYYY-MM-DD; may be left empty.", "2008-03-31"),
]
STATUS_UPDATE_COLUMNS = [
    ("programme", True, "The programme's name, exactly as recorded.", "Leeds Regeneration Plan"),
    ("plan", True, "The action plan's name or short name within that programme.", "North East"),
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
]

_RAG_WORDS = {
    "g": Rag.GREEN,
    "green": Rag.GREEN,
    "a": Rag.AMBER,
    "amber": Rag.AMBER,
    "r": Rag.RED,
    "red": Rag.RED,
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BINARY_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff")

# Longest value each column may hold (the model field's max_length).
_MAX_LENGTHS = {
    "programme": Programme._meta.get_field("name").max_length,
    "plan": ActionPlan._meta.get_field("name").max_length,
    "priority": Priority._meta.get_field("title").max_length,
    "ref": Output._meta.get_field("ref").max_length,
    "title": Output._meta.get_field("title").max_length,
    "lead_agency": Organisation._meta.get_field("name").max_length,
}


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """A problem with the file. `line` is the CSV line (the header is 1); None for the file."""

    line: int | None
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}" if self.line else self.message


class ImportFailed(Exception):
    """Nothing was written; `errors` says why."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


class ImportUserError(Exception):
    """The acting user named for an import cannot import."""


@dataclass
class PlannedRow:
    """One row of the file and what applying it does."""

    line: int
    plan: str
    ref: str
    summary: str
    changes: list[str] = field(default_factory=list)
    payload: Any = field(default=None, repr=False, compare=False)


@dataclass
class ImportResult:
    kind: str
    filename: str
    actor: Any = None
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    to_create: list[PlannedRow] = field(default_factory=list)
    to_update: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    new_records: list[str] = field(default_factory=list)
    applied: bool = False
    _new_objects: list = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def noun(self) -> str:
        return "outputs" if self.kind == OUTPUTS else "status updates"

    @property
    def has_changes(self) -> bool:
        return bool(self.to_create or self.to_update)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.to_create),
            "updated": len(self.to_update),
            "unchanged": len(self.unchanged),
        }

    def describe(self, *, done: bool | None = None) -> str:
        """'3 outputs created, 1 updated, 7 unchanged' (or 'to create…' before applying)."""
        done = self.applied if done is None else done
        created, updated, unchanged = self.counts().values()
        if done:
            text = f"{created} {self.noun} created, {updated} updated, {unchanged} unchanged"
        else:
            text = f"{created} {self.noun} to create, {updated} to update, {unchanged} unchanged"
        if self.kind == STATUS_UPDATES:
            text = text.replace(f", {updated} updated", "").replace(f", {updated} to update", "")
        return text

    def digest(self) -> str:
        """A fingerprint of what applying would do, to notice when the records changed."""
        parts = [
            (kind, row.line, row.summary, tuple(row.changes))
            for kind, rows in (("c", self.to_create), ("u", self.to_update), ("n", self.unchanged))
            for row in rows
        ]
        parts.append(("new", tuple(self.new_records)))
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    def apply(self) -> ImportResult:
        """Write everything or nothing; record who imported what."""
        if self.errors:
            raise ImportFailed(self.errors)
        if self.applied:
            raise RuntimeError("This import has already been applied.")
        _check_actor(self.actor)
        try:
            with transaction.atomic():
                if self.kind == OUTPUTS:
                    _apply_outputs(self)
                else:
                    _apply_status_updates(self)
                record_audit(
                    actor=self.actor,
                    action=f"import_{self.kind}",
                    summary=f"Imported {self.filename}: {self.describe(done=True)}",
                    filename=self.filename,
                    rows=self.rows,
                    created=len(self.to_create),
                    updated=len(self.to_update),
                    unchanged=len(self.unchanged),
                    new_records=self.new_records,
                )
        except IntegrityError as exc:
            raise ImportFailed(
                [
                    RowError(
                        None,
                        "The records changed while importing, so nothing was imported. "
                        f"Check the file again. ({exc})",
                    )
                ]
            ) from exc
        self.applied = True
        return self


# --- who imports ----------------------------------------------------------------------------


def _check_actor(actor) -> None:
    if actor is None or not is_governance_support(actor):
        raise PermissionDenied("Only governance support may import action plans.")


def import_user(username: str | None = None):
    """The acting user for a command-line import: `username`, who must be governance support,
    or the `import` user, created in the Governance support group (unusable password)."""
    groups = ensure_role_groups()
    user_model = get_user_model()
    if username:
        try:
            user = user_model.objects.get(username=username)
        except user_model.DoesNotExist:
            raise ImportUserError(f"There is no user called “{username}”.") from None
        if not user.is_active or not is_governance_support(user):
            raise ImportUserError(
                f"“{username}” is not an active member of the Governance support group, "
                "so cannot import."
            )
        return user
    user, created = user_model.objects.get_or_create(
        username=DEFAULT_IMPORT_USERNAME,
        defaults={"first_name": "Spreadsheet", "last_name": "import"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(groups[Role.GOVERNANCE_SUPPORT])
    elif not user.is_active or not is_governance_support(user):
        raise ImportUserError(
            f"A user called “{DEFAULT_IMPORT_USERNAME}” exists but is not an active member of "
            "the Governance support group; name the importing user with --user."
        )
    return user


# --- reading the file -----------------------------------------------------------------------


def looks_binary(content: bytes) -> bool:
    return b"\x00" in content[:8192] or content.startswith(_BINARY_SIGNATURES)


def decode(content: bytes | str) -> tuple[str | None, list[RowError]]:
    """UTF-8 text (a byte-order mark is dropped), or the reason it is not."""
    if isinstance(content, str):
        text = content.removeprefix("\ufeff")
    else:
        if looks_binary(content):
            return None, [
                RowError(
                    None,
                    "The file is not a CSV file: it looks like a binary file such as an Excel "
                    "workbook. Save it as “CSV UTF-8 (comma delimited)” and try again.",
                )
            ]
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = content[: exc.start].count(b"\n") + 1
            return None, [
                RowError(
                    line,
                    "the file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)” "
                    "and try again.",
                )
            ]
    if not text.strip():
        return None, [RowError(None, "The file is empty.")]
    return text, []


def _records(text: str, columns: list[str]):
    """Yield (line, {column: value}) for each data row, or RowErrors for the header and for rows
    of the wrong width. Blank rows (as spreadsheets leave at the end) are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    errors: list[RowError] = []
    records: list[tuple[int, dict[str, str]]] = []
    try:
        header = next(reader)
    except csv.Error as exc:
        return [], [RowError(1, f"the header row cannot be read as CSV ({exc}).")]
    names = [name.strip().lower() for name in header]
    expected = list(columns)
    missing = [c for c in expected if c not in names]
    unexpected = [n for n in names if n not in expected]
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    problems = []
    if missing:
        problems.append("missing " + ", ".join(missing))
    if unexpected:
        shown = [n or "(an empty column name)" for n in unexpected]
        problems.append("unexpected " + ", ".join(shown))
    if repeated:
        problems.append("repeated " + ", ".join(repeated))
    if problems:
        return [], [
            RowError(
                1,
                "the header row is wrong: "
                + "; ".join(problems)
                + f". The header must be exactly: {','.join(expected)}",
            )
        ]
    line = 2
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(line, f"this row cannot be read as CSV ({exc})."))
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            errors.append(
                RowError(
                    start,
                    f"this row has {len(row)} values but the header has {len(names)} columns.",
                )
            )
            continue
        records.append((start, dict(zip(names, row, strict=True))))
    return records, errors


def _control_character(value: str, *, multiline: bool) -> str | None:
    for char in value:
        if multiline and char in "\r\n\t":
            continue
        category = unicodedata.category(char)
        if category == "Cc" or char in _BIDI_CONTROLS or category in ("Zl", "Zp"):
            return f"U+{ord(char):04X}"
    return None


def _clean_cells(line: int, record: dict[str, str], multiline=("commentary",)):
    """Strip each cell; report control characters and over-long values."""
    errors = []
    cleaned = {}
    for column, raw in record.items():
        bad = _control_character(raw, multiline=column in multiline)
        if bad:
            errors.append(
                RowError(line, f"{column} contains a control character ({bad}); remove it.")
            )
        value = raw.strip()
        if column not in multiline:
            value = " ".join(value.split())
        limit = _MAX_LENGTHS.get(column)
        if limit and len(value) > limit:
            errors.append(
                RowError(
                    line,
                    f"{column} is {len(value)} characters long; it can be at most {limit}.",
                )
            )
        cleaned[column] = value
    return cleaned, errors


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


class _Names:
    """Find a record by name: the exact name first, else the one whose name differs only in
    case and spacing."""

    def __init__(self, items, *names):
        self.exact: dict[str, Any] = {}
        self.folded: dict[str, list] = {}
        for item in items:
            for attr in names:
                value = getattr(item, attr)
                if value:
                    self.add(value, item)

    def add(self, name: str, item) -> None:
        self.exact.setdefault(name, item)
        matches = self.folded.setdefault(_fold(name), [])
        if item not in matches:
            matches.append(item)

    def get(self, name: str):
        if name in self.exact:
            return self.exact[name]
        matches = self.folded.get(_fold(name), [])
        return matches[0] if len(matches) == 1 else None


def _parse_date(line: int, column: str, value: str, errors: list[RowError]):
    if not value:
        return None
    if not _DATE.match(value):
        errors.append(RowError(line, f"{column} “{value}” is not a date; write it as YYYY-MM-DD."))
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(line, f"{column} “{value}” is not a real date."))
        return None


class _Slugs:
    """Unique slugs for records created by an import."""

    def __init__(self, model):
        self.taken = set(model.objects.values_list("slug", flat=True))

    def make(self, name: str, fallback: str) -> str:
        base = (slugify(name) or fallback)[:190]
        slug, n = base, 2
        while slug in self.taken:
            slug, n = f"{base}-{n}", n + 1
        self.taken.add(slug)
        return slug


class _Places:
    """Programmes and plans, looked up (and, for outputs with create_missing, planned)."""

    def __init__(self):
        self.programmes = _Names(Programme.objects.select_related("board"), "name")
        plans = list(ActionPlan.objects.select_related("programme", "owner"))
        self.plans: dict[int | None, _Names] = {}
        self.plan_names: dict[int | None, _Names] = {}
        for plan in plans:
            self.plans.setdefault(plan.programme_id, _Names([])).add(plan.name, plan)
            self.plan_names.setdefault(plan.programme_id, _Names([])).add(plan.name, plan)
        for plan in plans:
            if plan.short_name and not self.plan_names[plan.programme_id].get(plan.short_name):
                self.plans[plan.programme_id].add(plan.short_name, plan)

    def programme(self, name: str) -> Programme | None:
        return self.programmes.get(name) if name else None

    def plan(self, programme: Programme | None, name: str) -> ActionPlan | None:
        names = self.plans.get(programme.pk if programme else None)
        return names.get(name) if names else None


def _plan_label(plan: ActionPlan) -> str:
    return plan.label


# --- outputs --------------------------------------------------------------------------------


def read_outputs(
    content: bytes | str, *, filename: str, actor, create_missing: bool = False
) -> ImportResult:
    """Check every row of an outputs file and work out what importing it would change."""
    _check_actor(actor)
    result = ImportResult(kind=OUTPUTS, filename=filename, actor=actor)
    text, result.errors = decode(content)
    if text is None:
        return result
    columns = [c[0] for c in OUTPUT_COLUMNS]
    records, result.errors = _records(text, columns)
    if not records:
        if not result.errors:
            result.errors.append(RowError(None, "The file has a header but no rows to import."))
        return result
    result.rows = len(records)

    places = _Places()
    agencies = _Names(Organisation.objects.all(), "name")
    priorities: dict[Any, _Names] = {}
    for priority in Priority.objects.all():
        priorities.setdefault(priority.plan_id, _Names([])).add(priority.title, priority)
    next_order = dict(
        Priority.objects.values("plan").annotate(top=Max("order")).values_list("plan", "top")
    )

    # First pass: resolve names, so the outputs of every plan named can be loaded at once.
    resolved = []
    plan_ids = set()
    for line, record in records:
        cells, errors = _clean_cells(line, record, multiline=())
        programme = places.programme(cells["programme"])
        plan = (
            places.plan(programme, cells["plan"]) if programme or not cells["programme"] else None
        )
        if plan is not None:
            plan_ids.add(plan.pk)
        resolved.append((line, cells, errors, programme, plan))
    existing = {
        (o.plan_id, o.ref): o
        for o in Output.objects.filter(plan_id__in=plan_ids).select_related(
            "priority", "lead_agency"
        )
    }

    organisation_slugs = plan_slugs = None
    new_plans: dict[tuple, ActionPlan] = {}
    seen_refs: dict[tuple, int] = {}

    for line, cells, errors, programme, plan in resolved:
        # programme and plan
        if not cells["plan"]:
            errors.append(RowError(line, "plan is empty; give the action plan's name."))
        elif plan is None:
            plan_error = None
            if cells["programme"] and programme is None:
                plan_error = f"there is no programme called “{cells['programme']}”."
                if create_missing:
                    plan_error += (
                        " A new programme would have no board to own plan "
                        f"“{cells['plan']}”: add the programme, with its board, first."
                    )
            elif not create_missing:
                where = f"programme “{programme}”" if programme else "no programme"
                plan_error = f"there is no plan called “{cells['plan']}” in {where}."
            elif programme is None:
                plan_error = (
                    f"there is no plan called “{cells['plan']}” outside a programme, and a new "
                    "plan needs a programme whose board will own it."
                )
            elif programme.board is None:
                plan_error = (
                    f"there is no plan called “{cells['plan']}” in programme “{programme}”, and "
                    "the programme has no board to own a new plan."
                )
            if plan_error:
                errors.append(RowError(line, plan_error))
            else:
                key = (programme.pk, _fold(cells["plan"]))
                plan = new_plans.get(key)
                if plan is None:
                    plan_slugs = plan_slugs or _Slugs(ActionPlan)
                    plan = ActionPlan(
                        programme=programme,
                        name=cells["plan"],
                        slug=plan_slugs.make(cells["plan"], "plan"),
                        owner=programme.board,
                        scope=ActionPlan.Scope.CITY_WIDE,
                    )
                    new_plans[key] = plan
                    result._new_objects.append(plan)
                    result.new_records.append(
                        f"plan “{plan.name}” in programme “{programme}”, owned by "
                        f"{programme.board} (city-wide)"
                    )

        # priority
        priority = None
        if cells["priority"] and plan is not None:
            plan_key = plan.pk if plan.pk else id(plan)
            names = priorities.setdefault(plan_key, _Names([]))
            priority = names.get(cells["priority"])
            if priority is None and not create_missing:
                errors.append(
                    RowError(
                        line,
                        f"there is no priority called “{cells['priority']}” in plan "
                        f"“{plan.label}”.",
                    )
                )
            elif priority is None:
                order = next_order.get(plan_key, 0) or 0
                next_order[plan_key] = order + 1
                priority = Priority(plan=plan, title=cells["priority"], order=order + 1)
                names.add(priority.title, priority)
                result._new_objects.append(priority)
                result.new_records.append(f"priority “{priority.title}” in plan “{plan.label}”")

        # ref and title
        ref, title = cells["ref"], cells["title"]
        if not ref:
            errors.append(RowError(line, "ref is empty; give the output's reference."))
        if not title:
            errors.append(RowError(line, "title is empty; say what the output is."))
        if ref:
            key = (id(plan) if plan is not None else (cells["programme"], cells["plan"]), ref)
            key = (plan.pk or id(plan), ref) if plan is not None else key
            if key in seen_refs:
                errors.append(
                    RowError(
                        line,
                        f"ref “{ref}” appears twice in the file for the same plan "
                        f"(also on line {seen_refs[key]}).",
                    )
                )
            else:
                seen_refs[key] = line

        # lead agency
        agency = None
        if not cells["lead_agency"]:
            errors.append(RowError(line, "lead_agency is empty; name the lead agency."))
        else:
            agency = agencies.get(cells["lead_agency"])
            if agency is None and not create_missing:
                errors.append(
                    RowError(
                        line,
                        f"there is no lead agency (organisation) called “{cells['lead_agency']}”.",
                    )
                )
            elif agency is None:
                organisation_slugs = organisation_slugs or _Slugs(Organisation)
                agency = Organisation(
                    name=cells["lead_agency"],
                    slug=organisation_slugs.make(cells["lead_agency"], "organisation"),
                    sector=Sector.PUBLIC,
                )
                agencies.add(agency.name, agency)
                result._new_objects.append(agency)
                result.new_records.append(
                    f"lead agency “{agency.name}” (sector: public; correct it if need be)"
                )

        # dates
        start = _parse_date(line, "start_date", cells["start_date"], errors)
        due = _parse_date(line, "due_date", cells["due_date"], errors)
        if not cells["start_date"]:
            errors.append(RowError(line, "start_date is empty; give the commencement date."))
        if start and due and start > due:
            errors.append(
                RowError(
                    line,
                    f"the commencement date ({start:%Y-%m-%d}) is after the due date "
                    f"({due:%Y-%m-%d}).",
                )
            )

        if errors:
            result.errors.extend(errors)
            continue

        output = existing.get((plan.pk, ref)) if plan.pk else None
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
            result.to_create.append(PlannedRow(line, plan.label, ref, title, payload=output))
            continue
        changes = _output_changes(output, title, priority, agency, start, due)
        row = PlannedRow(line, plan.label, ref, title, changes=changes, payload=output)
        if changes:
            output.title, output.priority, output.lead_agency = title, priority, agency
            output.commencement, output.due = start, due
            result.to_update.append(row)
        else:
            result.unchanged.append(row)

    result.errors.sort(key=lambda e: e.line or 0)
    if result.errors:
        result.to_create, result.to_update, result.unchanged = [], [], []
        result.new_records, result._new_objects = [], []
    return result


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


def _apply_outputs(result: ImportResult) -> None:
    # Dependencies first: organisations and plans, then priorities (which may be in new plans).
    for kind in (Organisation, ActionPlan, Priority):
        for obj in result._new_objects:
            if isinstance(obj, kind):
                if isinstance(obj, Priority):
                    obj.plan = obj.plan  # picks up the id of a plan saved just now
                obj.save()
    creates = [row.payload for row in result.to_create]
    for output in creates:
        # Point at the ids of related records saved just now.
        output.plan, output.priority, output.lead_agency = (
            output.plan,
            output.priority,
            output.lead_agency,
        )
    Output.objects.bulk_create(creates, batch_size=500)
    Output.objects.bulk_update(
        [row.payload for row in result.to_update],
        ["title", "priority", "lead_agency", "commencement", "due"],
        batch_size=500,
    )


# --- status updates -------------------------------------------------------------------------


def _quarter_deadline(quarter: Quarter) -> datetime.date:
    """The last day of the month after the quarter ends (30 June → 31 July)."""
    after = quarter.end + datetime.timedelta(days=1)
    following = (after.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def read_status_updates(content: bytes | str, *, filename: str, actor) -> ImportResult:
    """Check every row of a status-updates file and work out what importing it would add."""
    _check_actor(actor)
    result = ImportResult(kind=STATUS_UPDATES, filename=filename, actor=actor)
    text, result.errors = decode(content)
    if text is None:
        return result
    columns = [c[0] for c in STATUS_UPDATE_COLUMNS]
    records, result.errors = _records(text, columns)
    if not records:
        if not result.errors:
            result.errors.append(RowError(None, "The file has a header but no rows to import."))
        return result
    result.rows = len(records)

    places = _Places()
    quarters = {(q.year, q.number): q for q in Quarter.objects.all()}
    today = timezone.localdate()

    resolved = []
    plan_ids = set()
    for line, record in records:
        cells, errors = _clean_cells(line, record)
        programme = places.programme(cells["programme"])
        plan = (
            places.plan(programme, cells["plan"]) if programme or not cells["programme"] else None
        )
        if plan is not None:
            plan_ids.add(plan.pk)
        resolved.append((line, cells, errors, programme, plan))
    outputs = {
        (o.plan_id, o.ref): o
        for o in Output.objects.filter(plan_id__in=plan_ids).select_related("plan")
    }
    already = set(
        StatusUpdate.objects.filter(
            output__plan_id__in=plan_ids, source=StatusUpdate.Source.IMPORT
        ).values_list("output_id", "quarter__year", "quarter__number", "rag", "commentary")
    )

    seen: dict[tuple, int] = {}
    for line, cells, errors, programme, plan in resolved:
        output = None
        if cells["programme"] and programme is None:
            errors.append(RowError(line, f"there is no programme called “{cells['programme']}”."))
        elif not cells["plan"]:
            errors.append(RowError(line, "plan is empty; give the action plan's name."))
        elif plan is None:
            where = f"programme “{programme}”" if programme else "no programme"
            errors.append(RowError(line, f"there is no plan called “{cells['plan']}” in {where}."))
        elif not cells["ref"]:
            errors.append(RowError(line, "ref is empty; give the output's reference."))
        else:
            output = outputs.get((plan.pk, cells["ref"]))
            if output is None:
                errors.append(
                    RowError(
                        line,
                        f"there is no output “{cells['ref']}” in plan “{plan.label}” "
                        "(unknown output).",
                    )
                )

        year = number = None
        try:
            year = parse_financial_year(cells["year"])
        except ValueError:
            errors.append(
                RowError(
                    line, f"year “{cells['year']}” is not a financial year; write it like 2006/07."
                )
            )
        if cells["quarter"] in ("1", "2", "3", "4"):
            number = int(cells["quarter"])
        else:
            errors.append(
                RowError(line, f"quarter “{cells['quarter']}” is not a quarter; use 1, 2, 3 or 4.")
            )

        quarter = None
        if year is not None and number is not None:
            quarter = quarters.get((year, number))
            if quarter is None:
                quarter = Quarter(year=year, number=number, state=Quarter.State.CLOSED)
                if quarter.end >= today:
                    errors.append(
                        RowError(
                            line,
                            f"{quarter} has not been opened yet, and only quarters that have "
                            "ended can be created by an import. Open the quarter first.",
                        )
                    )
                    quarter = None
                else:
                    quarter.deadline = _quarter_deadline(quarter)
                    quarters[(year, number)] = quarter
                    result._new_objects.append(quarter)
                    result.new_records.append(
                        f"{quarter} (closed; deadline {quarter.deadline:%-d %B %Y})"
                    )

        rag = _RAG_WORDS.get(cells["rag"].casefold())
        if rag is None:
            errors.append(
                RowError(
                    line,
                    f"rag “{cells['rag']}” is not a RAG status; use G, A or R "
                    "(or Green, Amber, Red).",
                )
            )
        commentary = cells["commentary"]
        if rag in (Rag.AMBER, Rag.RED) and not commentary:
            errors.append(
                RowError(line, f"commentary is empty; say why the output is {rag.label.lower()}.")
            )

        if output is not None and year is not None and number is not None:
            key = (output.pk, year, number)
            if key in seen:
                errors.append(
                    RowError(
                        line,
                        f"output “{output.ref}” has another return for quarter {number} "
                        f"{financial_year_label(year)} on line {seen[key]}; keep one.",
                    )
                )
            else:
                seen[key] = line

        if errors:
            result.errors.extend(errors)
            continue

        late = not quarter.is_open
        summary = f"{rag.label} for {quarter}" + (" (closed quarter)" if late else "")
        row = PlannedRow(
            line,
            output.plan.label,
            output.ref,
            summary,
            changes=[commentary] if commentary else [],
            payload=(output, quarter, rag, commentary, late),
        )
        if (output.pk, year, number, rag.value, commentary) in already:
            result.unchanged.append(row)
        else:
            result.to_create.append(row)

    result.errors.sort(key=lambda e: e.line or 0)
    if result.errors:
        result.to_create, result.unchanged = [], []
        result.new_records, result._new_objects = [], []
    return result


def _apply_status_updates(result: ImportResult) -> None:
    for quarter in result._new_objects:
        quarter.save()
    for row in result.to_create:
        output, quarter, rag, commentary, late = row.payload
        try:
            record_status_update(
                output=output,
                quarter=quarter,
                rag=rag,
                commentary=commentary,
                acting_user=result.actor,
                expected_version=None,
                late_reason=f"Imported from {result.filename}" if late else "",
                source=StatusUpdate.Source.IMPORT,
            )
        except ValidationError as exc:
            raise ImportFailed([RowError(row.line, " ".join(exc.messages))]) from exc


__all__ = [
    "DEFAULT_IMPORT_USERNAME",
    "MAX_UPLOAD_BYTES",
    "OUTPUTS",
    "OUTPUT_COLUMNS",
    "STATUS_UPDATES",
    "STATUS_UPDATE_COLUMNS",
    "ImportFailed",
    "ImportResult",
    "ImportUserError",
    "PlannedRow",
    "RowError",
    "import_user",
    "read_outputs",
    "read_status_updates",
]
