"""What the two action plan imports share: the result of checking a file, who may import, the
opening every reader starts with, and finding programmes, plans and other records by name."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import slugify

from actionplans.models import ActionPlan, Output, Priority, Programme
from boards.models import Board, Organisation
from leeds_communities.csvimport import (
    ImportFailed,
    Row,
    RowError,
    Table,
    read_csv,
    write_all_or_nothing,
)
from leeds_communities.models import record_audit
from leeds_communities.roles import is_governance_support

OUTPUTS = "outputs"
STATUS_UPDATES = "status_updates"

# (column, required, what to enter, example): the upload pages show these to the user. Both
# files start by naming the plan.
PLACE_COLUMNS = [
    ("programme", True, "The programme's name, exactly as recorded.", "Leeds Regeneration Plan"),
    ("plan", True, "The action plan's name or short name within that programme.", "North East"),
]

# Longest value each column may hold (the model field's max_length).
MAX_LENGTHS = {
    "programme": Programme._meta.get_field("name").max_length,
    "plan": ActionPlan._meta.get_field("name").max_length,
    "priority": Priority._meta.get_field("title").max_length,
    "ref": Output._meta.get_field("ref").max_length,
    "title": Output._meta.get_field("title").max_length,
    "lead_agency": Organisation._meta.get_field("name").max_length,
    "board": Board._meta.get_field("name").max_length,
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
    # Writes what the check planned, through the services; set by the reader.
    # Writes the rows; may return more detail for the import's audit event (the ids written).
    _write: Callable[[ImportResult], dict | None] | None = field(default=None, repr=False)

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
        check_actor(self.actor)
        write_all_or_nothing([], self._write_and_audit)
        self.applied = True
        return self

    def _write_and_audit(self) -> None:
        try:
            written = self._write(self) or {}
        except ValidationError as exc:
            # The checks the reader made should have caught this: the records changed since.
            raise ImportFailed([RowError(None, message) for message in exc.messages]) from exc
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
            **written,
        )

    def finish(self, planned: list[tuple[str, PlannedRow]]) -> ImportResult:
        """File each planned row under what applying does to it, or nothing if any row failed."""
        if self.errors:
            self.new_records, self._new_objects = [], []
            return self
        lists = {"create": self.to_create, "update": self.to_update, "same": self.unchanged}
        for what, row in planned:
            lists[what].append(row)
        return self


def check_actor(actor) -> None:
    if actor is None or not is_governance_support(actor):
        raise PermissionDenied("Only governance support may import action plans.")


# --- the opening every reader shares --------------------------------------------------------


@dataclass
class Opened:
    result: ImportResult
    table: Table
    places: Places | None = None
    # Each row's programme and plan, by line, as named in the file (None where not found).
    found: dict[int, tuple[Programme | None, ActionPlan | None]] = field(default_factory=dict)
    plan_ids: set[int] = field(default_factory=set)

    def where(self, row: Row) -> tuple[Programme | None, ActionPlan | None]:
        return self.found[row.line]


def open_import(
    kind: str, content: bytes | str, *, filename: str, actor, columns, multiline=(), optional=()
) -> Opened:
    """Check who imports, read and clean the file, and find the programme and plan each row
    names (so the outputs of every plan named can then be loaded at once). The `optional`
    columns may be left out of the file. With no rows to check, `result.errors` says why and
    `places` is None."""
    check_actor(actor)
    result = ImportResult(kind=kind, filename=filename, actor=actor)
    table = read_csv(
        content,
        columns=[c[0] for c in columns if c[0] not in optional],
        multiline=multiline,
        max_lengths=MAX_LENGTHS,
        optional=optional,
    )
    opened = Opened(result=result, table=table)
    if not table.rows:
        result.errors = table.errors
        return opened
    result.rows = len(table.rows)
    places = opened.places = Places()
    for row in table.rows:
        programme = places.programme(row["programme"])
        plan = places.plan(programme, row["plan"]) if programme or not row["programme"] else None
        if plan is not None:
            opened.plan_ids.add(plan.pk)
        opened.found[row.line] = (programme, plan)
    return opened


# --- finding records by name ----------------------------------------------------------------


def fold(name: str) -> str:
    return " ".join(name.split()).casefold()


class Names:
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
        matches = self.folded.setdefault(fold(name), [])
        if item not in matches:
            matches.append(item)

    def get(self, name: str):
        if name in self.exact:
            return self.exact[name]
        matches = self.folded.get(fold(name), [])
        return matches[0] if len(matches) == 1 else None


def boards_by_name() -> Names:
    """Boards found by name or slug, as an import's `board` column and `--board` name them."""
    return Names(Board.objects.all(), "name", "slug")


class Slugs:
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


class Places:
    """Programmes and plans, looked up (and, for outputs with create_missing, planned)."""

    def __init__(self):
        self.programmes = Names(Programme.objects.select_related("board"), "name")
        plans = list(ActionPlan.objects.select_related("programme", "owner"))
        self.plans: dict[int | None, Names] = {}
        self.plan_names: dict[int | None, Names] = {}
        for plan in plans:
            self.plans.setdefault(plan.programme_id, Names([])).add(plan.name, plan)
            self.plan_names.setdefault(plan.programme_id, Names([])).add(plan.name, plan)
        for plan in plans:
            if plan.short_name and not self.plan_names[plan.programme_id].get(plan.short_name):
                self.plans[plan.programme_id].add(plan.short_name, plan)

    def programme(self, name: str) -> Programme | None:
        return self.programmes.get(name) if name else None

    def plan(self, programme: Programme | None, name: str) -> ActionPlan | None:
        names = self.plans.get(programme.pk if programme else None)
        return names.get(name) if names else None


def parse_date(row: Row, column: str) -> datetime.date | None:
    value = row[column]
    if not value:
        return None
    if not _DATE.match(value):
        row.error(f"{column} “{value}” is not a date; write it as YYYY-MM-DD.", column=column)
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        row.error(f"{column} “{value}” is not a real date.", column=column)
        return None
