"""The benchmark's baseline: each dashboard aggregate written by hand as the best SQL we know.

The latest return of each output in each quarter is taken straight from the returns
(`actionplans_statusupdate`, the source of truth) — on PostgreSQL by `DISTINCT ON (output_id,
quarter_id) … ORDER BY output_id, quarter_id, created_at DESC, id DESC`, elsewhere (SQLite) by
`ROW_NUMBER()` over the same order — and joined to the outputs with the seed's rules, restated
here in SQL from `actionplans/status.py`:

- a quarter counts an output when its plan's period includes the quarter and it was not
  withdrawn before the quarter started;
- its status is WHITE when it commences after the quarter's last day, else its latest return's
  RAG, else BLANK.

Every reader here is signed in (a scrutiny member sees every quarter's returns), so the
publication rule filters nothing. tests/test_bench.py checks, on the test database, that each
function here gives the dashboards' own numbers: the comparison is like for like.
"""

# SQL is built from constants, int() ids and ISO dates only: no outside text reaches it.
# ruff: noqa: S608

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

OUTPUT = "actionplans_output"
PLAN = "actionplans_actionplan"
UPDATE = "actionplans_statusupdate"
QUARTER = "actionplans_quarter"
AGENCY = "boards_organisation"
STATUSES = ("GREEN", "AMBER", "RED", "WHITE", "BLANK")
EXCEPTION = ("RED", "BLANK")
STREAK_WINDOW = 8
CHANGES = ("turned_red", "recovered", "stayed_red", "stayed_blank", "completed", "withdrawn")


@dataclass(frozen=True)
class Slot:
    """A quarter of the series: its row id (None: no row, so it counts nothing) and dates."""

    quarter_id: int | None
    year: int
    number: int
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class Selection:
    """What the pages are about: one programme's outputs in the last quarter of `slots` (the
    quarters before it, oldest first, serve the streaks, the changes and the trend)."""

    vendor: str
    programme_id: int
    slots: tuple[Slot, ...]

    @property
    def quarter(self) -> Slot:
        return self.slots[-1]

    @property
    def previous(self) -> Slot:
        return self.slots[-2]

    def date(self, value: datetime.date) -> str:
        text = f"'{value.isoformat()}'"
        return f"DATE {text}" if self.vendor == "postgresql" else text


def slots_of(quarters) -> tuple[Slot, ...]:
    """Slots from Quarter objects (saved or not), e.g. `quarter_sequence(quarter, 8, user)`."""
    return tuple(Slot(q.pk, q.year, q.number, q.start, q.end) for q in quarters)


def latest_returns(selection: Selection, quarter_ids: list[int], among: str = "") -> str:
    """The latest return (output_id, quarter_id, rag) of each output in each of the quarters
    (of the outputs the query `among` selects, if given)."""
    ids = ", ".join(str(int(i)) for i in quarter_ids) or "NULL"
    where = f"u.quarter_id IN ({ids})" + (f" AND u.output_id IN ({among})" if among else "")
    if selection.vendor == "postgresql":
        return (
            "SELECT DISTINCT ON (u.output_id, u.quarter_id) u.output_id, u.quarter_id, u.rag "
            f"FROM {UPDATE} u WHERE {where} "
            "ORDER BY u.output_id, u.quarter_id, u.created_at DESC, u.id DESC"
        )
    return (
        "SELECT output_id, quarter_id, rag FROM (SELECT u.output_id, u.quarter_id, u.rag, "
        "ROW_NUMBER() OVER (PARTITION BY u.output_id, u.quarter_id "
        "ORDER BY u.created_at DESC, u.id DESC) AS n "
        f"FROM {UPDATE} u WHERE {where}) ranked WHERE n = 1"
    )


def _counted(selection: Selection, slot: Slot) -> str:
    if slot.quarter_id is None:
        return "FALSE"
    start, end = selection.date(slot.start), selection.date(slot.end)
    return (
        f"(p.period_start IS NULL OR p.period_start <= {end}) "
        f"AND (p.period_end IS NULL OR p.period_end >= {start}) "
        f"AND (o.withdrawn IS NULL OR o.withdrawn >= {start})"
    )


def _status(selection: Selection, slot: Slot, alias: str) -> str:
    """The status of output `o` in `slot` (NULL where the quarter does not count it), reading
    the latest return joined as `alias`."""
    return (
        f"CASE WHEN NOT ({_counted(selection, slot)}) THEN NULL "
        f"WHEN o.commencement > {selection.date(slot.end)} THEN 'WHITE' "
        f"ELSE COALESCE({alias}.rag, 'BLANK') END"
    )


def statuses(
    selection: Selection,
    slots: tuple[Slot, ...],
    extra: str = "",
    current_in: tuple[str, ...] | None = None,
) -> str:
    """One row per output of the programme that the chosen quarter (the last slot) counts: its
    columns (`extra`, over `o` and `p`), `status` in the chosen quarter and `status_<k>` for the
    k-th slot before it; with `current_in`, only the outputs in those statuses now.

    Each quarter's latest returns are joined whole (hash joins). Narrowing the earlier quarters'
    returns to the outputs listed first looks cheaper, but the planner cannot estimate how many
    outputs a status filter keeps and at 100,000 outputs chose nested loops taking minutes."""
    current = slots[-1]
    if current.quarter_id is None:
        raise ValueError("the chosen quarter must exist")
    saved = [s.quarter_id for s in slots if s.quarter_id is not None]
    joins, columns = [], []
    for k, slot in enumerate(reversed(slots)):
        name = "status" if k == 0 else f"status_{k}"
        if slot.quarter_id is None:
            columns.append(f"NULL AS {name}")
            continue
        joins.append(
            f"LEFT JOIN latest l{k} ON l{k}.output_id = o.id "
            f"AND l{k}.quarter_id = {int(slot.quarter_id)}"
        )
        columns.append(f"{_status(selection, slot, f'l{k}')} AS {name}")
    select = ", ".join(["o.id", "o.plan_id", "o.lead_agency_id", *columns])
    if extra:
        select += ", " + extra
    sql = (
        f"WITH latest AS ({latest_returns(selection, saved)}) "
        f"SELECT {select} FROM {OUTPUT} o JOIN {PLAN} p ON p.id = o.plan_id "
        + " ".join(joins)
        + f" WHERE p.programme_id = {int(selection.programme_id)} "
        f"AND {_counted(selection, current)}"
    )
    if current_in:
        if not set(current_in) <= set(STATUSES):
            raise ValueError(f"not statuses: {current_in}")
        wanted = ", ".join(f"'{s}'" for s in current_in)
        sql = f"SELECT * FROM ({sql}) c WHERE c.status IN ({wanted})"
    return sql


def _fetch(connection, sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


# --- the overview's aggregates ------------------------------------------------------------------


def counts_by(connection, selection: Selection, key: str) -> dict[tuple, int]:
    """{(key, status): outputs} in the chosen quarter; key "plan_id" or "lead_agency_id"."""
    sql = (
        f"SELECT s.{key}, s.status, COUNT(*) FROM ({statuses(selection, selection.slots[-1:])}) s "
        f"GROUP BY s.{key}, s.status"
    )
    return {(k, status): n for k, status, n in _fetch(connection, sql)}


def _change_columns(selection: Selection) -> str:
    start, end = selection.date(selection.quarter.start), selection.date(selection.quarter.end)
    previous = "COALESCE(s.status_1, '')"
    conditions = {
        "turned_red": f"s.status = 'RED' AND {previous} <> 'RED'",
        "recovered": f"{previous} = 'RED' AND s.status IN ('GREEN', 'AMBER')",
        "stayed_red": "s.status = 'RED' AND s.status_1 = 'RED'",
        "stayed_blank": "s.status = 'BLANK' AND s.status_1 = 'BLANK'",
        "completed": f"s.completed >= {start} AND s.completed <= {end}",
        "withdrawn": f"s.withdrawn >= {start} AND s.withdrawn <= {end}",
    }
    return ", ".join(
        f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {name}"
        for name, condition in conditions.items()
    )


def changes_by(connection, selection: Selection, key: str) -> dict[int, dict[str, int]]:
    """{key: {change: outputs}} for the groups with any change (the overview's two tables)."""
    inner = statuses(selection, selection.slots[-2:], extra="o.completed, o.withdrawn")
    sql = f"SELECT s.{key}, {_change_columns(selection)} FROM ({inner}) s GROUP BY s.{key}"
    result = {}
    for row in _fetch(connection, sql):
        counts = dict(zip(CHANGES, (int(n or 0) for n in row[1:]), strict=True))
        if any(counts.values()):
            result[row[0]] = counts
    return result


# --- the trend: one query over all its quarters -------------------------------------------------


def trend(connection, selection: Selection) -> dict[int, dict[str, int]]:
    """{position in slots: {status: outputs}} counting what each quarter counts, in one query
    (the programme's outputs × the quarters, each with its latest return). Like the page, it
    starts from the outputs the chosen quarter counts."""
    saved = [s for s in selection.slots if s.quarter_id is not None]
    date = selection.date
    values = ", ".join(
        f"({k}, {int(s.quarter_id)}, {date(s.start)}, {date(s.end)})"
        for k, s in enumerate(selection.slots)
        if s.quarter_id is not None
    )
    sql = (
        f"WITH latest AS ({latest_returns(selection, [s.quarter_id for s in saved])}), "
        f"slots (k, quarter_id, q_start, q_end) AS (VALUES {values}) "
        "SELECT k, status, COUNT(*) FROM (SELECT sl.k, "
        "CASE WHEN o.commencement > sl.q_end THEN 'WHITE' ELSE COALESCE(l.rag, 'BLANK') END "
        f"AS status FROM {OUTPUT} o JOIN {PLAN} p ON p.id = o.plan_id CROSS JOIN slots sl "
        "LEFT JOIN latest l ON l.output_id = o.id AND l.quarter_id = sl.quarter_id "
        f"WHERE p.programme_id = {int(selection.programme_id)} "
        f"AND {_counted(selection, selection.quarter)} "
        "AND (p.period_start IS NULL OR p.period_start <= sl.q_end) "
        "AND (p.period_end IS NULL OR p.period_end >= sl.q_start) "
        "AND (o.withdrawn IS NULL OR o.withdrawn >= sl.q_start)) t GROUP BY k, status"
    )
    result: dict[int, dict[str, int]] = {}
    for k, status, n in _fetch(connection, sql):
        result.setdefault(k, {})[status] = n
    return result


# --- lists: drill-down and exceptions (a page of them, or every row for the CSV) ----------------


def _latest_commentary(selection: Selection) -> str:
    """The commentary of output `o`'s latest return up to and including the chosen quarter."""
    q = selection.quarter
    return (
        f"(SELECT u.commentary FROM {UPDATE} u JOIN {QUARTER} uq ON uq.id = u.quarter_id "
        f"WHERE u.output_id = o.id AND (uq.year < {int(q.year)} "
        f"OR (uq.year = {int(q.year)} AND uq.number <= {int(q.number)})) "
        "ORDER BY uq.year DESC, uq.number DESC, u.created_at DESC, u.id DESC LIMIT 1)"
    )


def _commentaries(selection: Selection) -> str:
    """(output_id, commentary) of every programme output's latest return up to and including
    the chosen quarter, in one sort of their histories: cheaper than a lookup per row when
    every row is wanted."""
    q = selection.quarter
    up_to = (
        f"(uq.year < {int(q.year)} OR (uq.year = {int(q.year)} AND uq.number <= {int(q.number)}))"
    )
    programme = (
        f"SELECT o2.id FROM {OUTPUT} o2 JOIN {PLAN} p2 ON p2.id = o2.plan_id "
        f"WHERE p2.programme_id = {int(selection.programme_id)}"
    )
    order = "uq.year DESC, uq.number DESC, u.created_at DESC, u.id DESC"
    source = (
        f"FROM {UPDATE} u JOIN {QUARTER} uq ON uq.id = u.quarter_id "
        f"WHERE u.output_id IN ({programme}) AND {up_to}"
    )
    if selection.vendor == "postgresql":
        return (
            f"SELECT DISTINCT ON (u.output_id) u.output_id, u.commentary {source} "
            f"ORDER BY u.output_id, {order}"
        )
    return (
        "SELECT output_id, commentary FROM (SELECT u.output_id, u.commentary, "
        f"ROW_NUMBER() OVER (PARTITION BY u.output_id ORDER BY {order}) AS n {source}) r "
        "WHERE n = 1"
    )


def _streak(window: int) -> str:
    """Quarters in a row, up to and including the chosen one, in RED or BLANK (at most
    `window`): the first k whose status is not an exception."""
    exception = "IN ('RED', 'BLANK')"
    expression = str(window)
    for k in reversed(range(window)):
        column = "s.status" if k == 0 else f"s.status_{k}"
        expression = f"CASE WHEN {column} {exception} THEN {expression} ELSE {k} END"
    return expression


def outputs(
    connection,
    selection: Selection,
    *,
    where: str = "",
    current_in: tuple[str, ...] | None = None,
    limit: int | None = None,
) -> tuple[int, list[tuple]]:
    """The drill-down: how many outputs match `where` (over columns s.status, s.status_1,
    s.completed, s.withdrawn) and the first `limit` of them (all when None), ordered by plan
    name then ref: (id, ref, title, plan, lead agency, lead officer, status, commentary, due).
    `current_in` narrows to statuses now before the rest is worked out (`where` must imply it)."""
    inner = statuses(
        selection,
        selection.slots[-2:],
        extra="o.completed, o.withdrawn, o.ref, p.name AS plan_name",
        current_in=current_in,
    )
    condition = f"WHERE {where}" if where else ""
    page = f"LIMIT {int(limit)}" if limit is not None else ""
    # A page of rows looks each commentary up; every row (the CSV) sorts the histories once on
    # PostgreSQL (SQLite evaluates that join far worse than a lookup per row).
    commentary, join = _latest_commentary(selection), ""
    if limit is None and not where and selection.vendor == "postgresql":
        commentary = "c.commentary"
        join = f"LEFT JOIN ({_commentaries(selection)}) c ON c.output_id = o.id "
    sql = (
        f"SELECT o.id, o.ref, o.title, p.name, a.name, o.lead_officer, s.status, "
        f"{commentary}, o.due, s.total FROM ("
        f"SELECT s.id, s.status, COUNT(*) OVER () AS total FROM ({inner}) s {condition} "
        f"ORDER BY s.plan_name, s.ref {page}) s "
        f"JOIN {OUTPUT} o ON o.id = s.id JOIN {PLAN} p ON p.id = o.plan_id "
        f"JOIN {AGENCY} a ON a.id = o.lead_agency_id {join}ORDER BY p.name, o.ref"
    )
    return _counted_rows(_fetch(connection, sql))


def _counted_rows(rows: list[tuple]) -> tuple[int, list[tuple]]:
    """(the count before LIMIT, carried in each row's last column; the rows without it)."""
    return (rows[0][-1] if rows else 0), [row[:-1] for row in rows]


def exceptions(
    connection, selection: Selection, *, limit: int | None = None
) -> tuple[int, list[tuple]]:
    """RED and BLANK outputs, the longest-standing first (then commencement, plan, ref): how
    many, and the first `limit` (all when None) as (id, ref, title, plan, lead agency, lead
    officer, status, streak, commentary, due)."""
    window = selection.slots[-STREAK_WINDOW:]
    inner = statuses(
        selection, window, extra="o.commencement, o.ref, p.name AS plan_name", current_in=EXCEPTION
    )
    ranked = (
        f"SELECT s.id, s.status, {_streak(len(window))} AS streak, s.commencement, "
        f"s.plan_name, s.ref FROM ({inner}) s"
    )
    page = f"LIMIT {int(limit)}" if limit is not None else ""
    order = "r.streak DESC, r.commencement, r.plan_name, r.ref"
    sql = (
        f"SELECT o.id, o.ref, o.title, p.name, a.name, o.lead_officer, r.status, r.streak, "
        f"{_latest_commentary(selection)}, o.due, r.total FROM (SELECT r.*, "
        f"COUNT(*) OVER () AS total FROM ({ranked}) r ORDER BY {order} {page}) r "
        f"JOIN {OUTPUT} o ON o.id = r.id "
        f"JOIN {PLAN} p ON p.id = o.plan_id JOIN {AGENCY} a ON a.id = o.lead_agency_id "
        f"ORDER BY {order}"
    )
    return _counted_rows(_fetch(connection, sql))


def as_csv(rows: list[tuple]) -> str:
    """The rows written out as CSV, as an export would."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()
