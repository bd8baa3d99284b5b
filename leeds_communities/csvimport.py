"""The CSV import engine every import uses: read the file, check its header, clean its cells, run
a row parser over every row collecting every row error, then write all or nothing.

    table = read_csv(content, columns=["ref", "title"], max_lengths={"title": 500})
    if table.errors: ...                    # the file as a whole is wrong (or some rows are)
    checked = parse_rows(table, parse_row)  # parse_row(row) -> item; problems via row.error(...)
    checked.items                           # [(row, item)] for rows without errors
    checked.errors                          # every RowError, by line (the header is line 1)
    write_all_or_nothing(checked.errors, write)   # one transaction; nothing if any row failed

Reading never writes. Cells are stored as typed: a value a spreadsheet would run as a formula is
neutralised where a file is written (`neutralise_formula`, which every export uses), and the
apostrophe an export put in front of one is taken off again, so an exported file imports back
to the values it came from. This module imports nothing from the apps.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from leeds_communities.roles import Role, ensure_role_groups, is_governance_support

T = TypeVar("T")

DEFAULT_IMPORT_USERNAME = "import"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BINARY_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff")


# --- errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """A problem with the file. `line` is the CSV line (the header is 1), None for the whole
    file; `column` names the column at fault where one is."""

    line: int | None
    message: str
    column: str | None = None

    def __str__(self):
        return f"Line {self.line}: {self.message}" if self.line else self.message


class ImportFailed(Exception):
    """Nothing was written; `errors` says why."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


class ImportUserError(Exception):
    """The acting user named for an import cannot import."""


def problems_summary(errors: list[RowError], filename: str) -> str:
    """'Nothing was imported: 2 problems in plan.csv.'"""
    count = len(errors)
    return f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in {filename}."


# --- who imports from the command line ------------------------------------------------------


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


# --- decoding -------------------------------------------------------------------------------


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


# --- header and rows ------------------------------------------------------------------------


@dataclass
class Row:
    """One data row: its CSV line, its cells by column, and the problems found with it."""

    line: int
    cells: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def error(self, message: str, *, column: str | None = None) -> None:
        self.errors.append(RowError(self.line, message, column))


def header_problem(
    header: list[str], columns: Collection[str], optional: Collection[str] = ()
) -> RowError | None:
    """The header must name exactly `columns` (any order, any case, once each), and may name
    any of `optional` too."""
    names = [name.strip().lower() for name in header]
    expected = list(columns)
    missing = [c for c in expected if c not in names]
    unexpected = [n for n in names if n not in expected and n not in optional]
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    problems = []
    if missing:
        problems.append("missing " + ", ".join(missing))
    if unexpected:
        shown = [n or "(an empty column name)" for n in unexpected]
        problems.append("unexpected " + ", ".join(shown))
    if repeated:
        problems.append("repeated " + ", ".join(repeated))
    if not problems:
        return None
    also = f" (and may add {', '.join(optional)})" if optional else ""
    return RowError(
        1,
        "the header row is wrong: "
        + "; ".join(problems)
        + f". The header must be exactly: {','.join(expected)}{also}",
    )


def records(
    text: str, columns: Collection[str], optional: Collection[str] = ()
) -> tuple[list[Row], list[RowError]]:
    """The data rows (cells as read; an optional column the file leaves out reads as empty), or
    RowErrors for the header and for rows of the wrong width. Blank rows (as spreadsheets leave
    at the end) are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        return [], [RowError(1, f"the header row cannot be read as CSV ({exc}).")]
    problem = header_problem(header, columns, optional)
    if problem:
        return [], [problem]
    names = [name.strip().lower() for name in header]
    absent = dict.fromkeys((c for c in optional if c not in names), "")
    rows: list[Row] = []
    errors: list[RowError] = []
    line = 2
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(line, f"this row cannot be read as CSV ({exc})."))
            break
        # A quoted cell may span lines: the row starts where the last one ended.
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(names):
            errors.append(
                RowError(
                    start,
                    f"this row has {len(cells)} values but the header has {len(names)} columns.",
                )
            )
            continue
        rows.append(Row(start, {**absent, **dict(zip(names, cells, strict=True))}))
    return rows, errors


# --- cells ----------------------------------------------------------------------------------


def neutralise_formula(value):
    """A text cell a spreadsheet would run as a formula, made text (prefixed with ')."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _unneutralise(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _control_character(value: str, *, multiline: bool) -> str | None:
    for char in value:
        if multiline and char in "\r\n\t":
            continue
        category = unicodedata.category(char)
        if category == "Cc" or char in _BIDI_CONTROLS or category in ("Zl", "Zp"):
            return f"U+{ord(char):04X}"
    return None


def clean_cells(
    row: Row,
    *,
    multiline: Collection[str] = (),
    max_lengths: Mapping[str, int | None] | None = None,
) -> Row:
    """Strip each cell (and, outside `multiline` columns, collapse its spaces); take off the
    apostrophe an export adds before a formula; report control characters and values longer
    than `max_lengths` allows. Leading tabs and line breaks never survive, so no cleaned cell
    starts with one."""
    max_lengths = max_lengths or {}
    for column, raw in row.cells.items():
        bad = _control_character(raw, multiline=column in multiline)
        if bad:
            row.error(f"{column} contains a control character ({bad}); remove it.", column=column)
        value = raw.strip()
        if column not in multiline:
            value = " ".join(value.split())
        value = _unneutralise(value)
        limit = max_lengths.get(column)
        if limit and len(value) > limit:
            row.error(
                f"{column} is {len(value)} characters long; it can be at most {limit}.",
                column=column,
            )
        row.cells[column] = value
    return row


@dataclass
class Table:
    """A file read and cleaned: its rows, and the errors found so far."""

    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """Whether there are rows to parse (some may already have errors)."""
        return bool(self.rows)


def read_csv(
    content: bytes | str,
    *,
    columns: Collection[str],
    multiline: Collection[str] = (),
    max_lengths: Mapping[str, int | None] | None = None,
    optional: Collection[str] = (),
) -> Table:
    """Decode, check the header, split into rows and clean every cell. A file that cannot be
    read, has a wrong header or has no rows gives a Table with no rows and the reason. The
    `optional` columns may be left out of the file."""
    text, errors = decode(content)
    if text is None:
        return Table(errors=errors)
    rows, errors = records(text, columns, optional)
    if not rows and not errors:
        errors = [RowError(None, "The file has a header but no rows to import.")]
    for row in rows:
        clean_cells(row, multiline=multiline, max_lengths=max_lengths)
    return Table(rows=rows, errors=errors)


# --- the driver -----------------------------------------------------------------------------


@dataclass
class Checked(Generic[T]):
    """What parsing every row gave: items for the good rows, every error for the others."""

    items: list[tuple[Row, T]]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_rows(
    rows: Table | Iterable[Row],
    parse_row: Callable[[Row], T],
    *,
    errors: Iterable[RowError] = (),
) -> Checked[T]:
    """Run `parse_row` over every row; it reports problems with `row.error(...)`. Every row is
    parsed whatever the others hold, so the file's every problem is reported at once. If any
    row has an error no item is kept: the result is all or nothing."""
    if isinstance(rows, Table):
        errors = [*rows.errors, *errors]
        rows = rows.rows
    found = list(errors)
    items: list[tuple[Row, Any]] = []
    for row in rows:
        item = parse_row(row)
        if row.errors:
            found.extend(row.errors)
        else:
            items.append((row, item))
    found.sort(key=lambda e: e.line or 0)
    return Checked(items=[] if found else items, errors=found)


def write_all_or_nothing(errors: list[RowError], write: Callable[[], T]) -> T:
    """Run `write` in one transaction, or refuse if there are errors. Anything raised inside
    rolls everything back; a constraint broken by a change made meanwhile is reported as one
    file error rather than a server error."""
    if errors:
        raise ImportFailed(errors)
    try:
        with transaction.atomic():
            return write()
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


__all__ = [
    "DEFAULT_IMPORT_USERNAME",
    "FORMULA_PREFIXES",
    "MAX_UPLOAD_BYTES",
    "Checked",
    "ImportFailed",
    "ImportUserError",
    "Row",
    "RowError",
    "Table",
    "clean_cells",
    "decode",
    "header_problem",
    "import_user",
    "looks_binary",
    "neutralise_formula",
    "parse_rows",
    "problems_summary",
    "read_csv",
    "records",
    "write_all_or_nothing",
]
