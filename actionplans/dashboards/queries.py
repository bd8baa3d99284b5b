"""Scrutiny dashboards: where plans are off track, for how long and what changed.

Every number is counted in the database: each panel is one query whatever the number of outputs,
and so is the trend, over all its quarters. Statuses join each output's kept latest return
(`actionplans.status.join_latest`) rather than search its history. A quarter counts the outputs
of the plans whose period includes it, less those withdrawn before it started:
`actionplans.status`, as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.lookups import Exact, In

from actionplans.freshness import cached_aggregate
from actionplans.models import ActionPlan, LatestReturn, Output, Quarter, Status
from actionplans.quarters import quarter_sequence
from actionplans.status import join_latest, status_expression
from actionplans.summary import COLUMNS, percent

# Exceptions are what scrutiny asks about: off track, or nobody answered.
EXCEPTION_STATUSES = (Status.RED, Status.BLANK)
# How far back "for how long" looks; a streak longer than this shows as "8 or more".
STREAK_WINDOW = 8
TREND_SPAN = 8
MAX_TREND_SPAN = 40


@dataclass(frozen=True)
class Dimension:
    """A way of grouping outputs: the filter parameter it links to, and its key and label."""

    param: str
    title: str
    key: str
    label: str | None = None
    choices: dict[str, str] | None = None

    @property
    def many(self) -> bool:
        """Whether an output can fall in several groups (it targets several areas)."""
        return self.key.startswith("target_")


DIMENSIONS = [
    Dimension("board", "Board", "plan__owner__slug", "plan__owner__name"),
    Dimension("programme", "Programme", "plan__programme__slug", "plan__programme__name"),
    Dimension("plan", "Plan", "plan__slug", "plan__name"),
    Dimension("scope", "Scope", "plan__scope", choices=dict(ActionPlan.Scope.choices)),
    Dimension("lead_agency", "Lead agency", "lead_agency__slug", "lead_agency__name"),
    Dimension(
        "committee",
        "Community committee",
        "target_wards__committee__slug",
        "target_wards__committee__name",
    ),
    Dimension("ward", "Ward", "target_wards__slug", "target_wards__name"),
    Dimension(
        "neighbourhood",
        "Priority neighbourhood",
        "target_neighbourhoods__slug",
        "target_neighbourhoods__name",
    ),
]
DIMENSIONS_BY_PARAM = {d.param: d for d in DIMENSIONS}


@dataclass
class Distribution:
    """Counts of outputs by status for one group (or for the whole selection)."""

    label: str
    key: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[tuple[str, int, int]]:
        """(status, count, percent of this group's outputs) in the summary table's order."""
        return [(s, self.counts[s], percent(self.counts[s], self.total)) for s in COLUMNS]


def outputs_counted_in(quarter: Quarter, user):
    """The outputs a quarter counts, as `user` may see them, with `status` for that quarter."""
    return Output.objects.for_user(user).counted_in(quarter).with_status(quarter)


def overall(outputs) -> Distribution:
    """One query: the selection's outputs by status."""
    result = Distribution(label="All outputs")
    for row in outputs.values("status").annotate(n=_count(outputs)).order_by():
        result.counts[row["status"]] += row["n"]
    return result


@cached_aggregate
def by_dimension(outputs, dimension: Dimension) -> list[Distribution]:
    """One query: the selection's outputs by group and status, largest group first. An output
    targeting several wards counts once in each of them (and once in their committee)."""
    fields = [dimension.key] + ([dimension.label] if dimension.label else [])
    rows = (
        outputs.filter(**{f"{dimension.key}__isnull": False})
        .values(*fields, "status")
        .annotate(n=_count(outputs, dimension))
        .order_by()
    )
    groups: dict[str, Distribution] = {}
    for row in rows:
        key = row[dimension.key]
        if key not in groups:
            label = row[dimension.label] if dimension.label else dimension.choices.get(key, key)
            groups[key] = Distribution(label=label, key=key)
        groups[key].counts[row["status"]] += row["n"]
    return sorted(groups.values(), key=lambda g: (-g.total, g.label))


def _follow(obj, path: str):
    for name in path.split("__"):
        obj = getattr(obj, name) if obj is not None else None
    return obj


@cached_aggregate
def plan_rollup(outputs) -> tuple[Distribution, dict[str, list[Distribution]]]:
    """Two queries for the whole selection and every grouping an output's plan decides (board,
    programme, plan, scope): the database counts outputs by plan and status, and the plans' few
    rows are then summed into each grouping."""
    rows = list(outputs.values("plan_id", "status").annotate(n=_count(outputs)).order_by())
    plans = ActionPlan.objects.select_related("owner", "programme").in_bulk(
        {row["plan_id"] for row in rows}
    )
    overall = Distribution(label="All outputs")
    by_plan = [d for d in DIMENSIONS if d.key.startswith("plan__")]
    groups: dict[str, dict[str, Distribution]] = {d.param: {} for d in by_plan}
    for row in rows:
        plan, status, n = plans[row["plan_id"]], row["status"], row["n"]
        overall.counts[status] += n
        for dimension in by_plan:
            key = _follow(plan, dimension.key.removeprefix("plan__"))
            if key is None:
                continue
            if key not in groups[dimension.param]:
                label = (
                    _follow(plan, dimension.label.removeprefix("plan__"))
                    if dimension.label
                    else dimension.choices.get(key, key)
                )
                groups[dimension.param][key] = Distribution(label=label, key=key)
            groups[dimension.param][key].counts[status] += n
    return overall, {
        param: sorted(found.values(), key=lambda g: (-g.total, g.label))
        for param, found in groups.items()
    }


@cached_aggregate
def trend(outputs, quarters: list[Quarter]) -> list[tuple[Quarter, Distribution]]:
    """One query for all the quarters: the distribution in each, counting what each counts."""
    if not quarters:
        return []
    names = {}
    for i, quarter in enumerate(quarters):
        expression = status_expression(quarter, counted_only=True)
        for status in COLUMNS:
            names[(i, status)] = _count(outputs, filter=Q(Exact(expression, status)))
    totals = join_latest(outputs, quarters).aggregate(
        **{f"q{i}_{status.lower()}": count for (i, status), count in names.items()}
    )
    series = []
    for i, quarter in enumerate(quarters):
        result = Distribution(label=str(quarter))
        for status in COLUMNS:
            result.counts[status] = totals[f"q{i}_{status.lower()}"]
        series.append((quarter, result))
    return series


def _count(outputs, dimension: Dimension | None = None, **kwargs) -> Count:
    """Count outputs. Where the selection or the grouping joins a many-valued relation (wards,
    committees, neighbourhoods: an output could appear twice) the count is of distinct outputs;
    otherwise of rows, which is cheaper. The selection's filters on those relations make it
    distinct (`filters.py`)."""
    many = bool(outputs.query.distinct) or (dimension is not None and dimension.many)
    return Count("pk", distinct=many, **kwargs)


def streak_expression(quarter: Quarter, statuses, user=None) -> Combinable:
    """How many quarters in a row, up to and including `quarter`, an output has been in one of
    `statuses` (0 to STREAK_WINDOW). Built as m(1 + m(1 + …)) so that each quarter's status
    appears once in the SQL."""
    streak = Value(0)
    for q in streak_quarters(quarter, user):
        in_status = Case(
            When(In(status_expression(q, counted_only=True), list(statuses)), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        streak = in_status * (Value(1) + streak)
    return streak


def _sequence_for_reader(quarter: Quarter, count: int, user=None) -> list[Quarter]:
    """`quarter_sequence`, looked up once per quarter object, length and reader (the publication
    rule asks only whether the reader is signed in)."""
    cache = quarter.__dict__.setdefault("_sequences", {})
    key = (count, bool(user is not None and user.is_authenticated))
    if key not in cache:
        cache[key] = quarter_sequence(quarter, count, user)
    return cache[key]


def streak_quarters(quarter: Quarter, user=None) -> list[Quarter]:
    """The STREAK_WINDOW quarters up to and including `quarter`, as `user` may see them, earliest
    first."""
    return _sequence_for_reader(quarter, STREAK_WINDOW, user)


def with_streak(outputs, quarter: Quarter, user=None, statuses=EXCEPTION_STATUSES, name="streak"):
    outputs = join_latest(outputs, streak_quarters(quarter, user))
    return outputs.annotate(**{name: streak_expression(quarter, statuses, user)})


def red_for_at_least(outputs, quarter: Quarter, quarters: int, user=None):
    """Outputs RED in each of the `quarters` quarters up to and including `quarter`."""
    sequence = quarter_sequence(quarter, quarters, user)
    conditions = [Q(Exact(status_expression(q, counted_only=True), Status.RED)) for q in sequence]
    return join_latest(outputs, sequence).filter(*conditions)


@dataclass
class Changes:
    turned_red: int
    recovered: int
    stayed_red: int
    stayed_blank: int
    completed: int
    withdrawn: int


CHANGE_LABELS = {
    "turned_red": "Turned red",
    "recovered": "Recovered from red",
    "stayed_red": "Red for two quarters or more",
    "stayed_blank": "Blank for two quarters or more",
    "completed": "Completed this quarter",
    "withdrawn": "Withdrawn this quarter",
}


def _change_conditions(quarter: Quarter) -> dict[str, Q]:
    return {
        "turned_red": Q(status=Status.RED) & ~Q(previous_status=Status.RED),
        "recovered": Q(previous_status=Status.RED, status__in=[Status.GREEN, Status.AMBER]),
        "stayed_red": Q(status=Status.RED, previous_status=Status.RED),
        "stayed_blank": Q(status=Status.BLANK, previous_status=Status.BLANK),
        "completed": Q(completed__gte=quarter.start, completed__lte=quarter.end),
        "withdrawn": Q(withdrawn__gte=quarter.start, withdrawn__lte=quarter.end),
    }


def previous_quarter(quarter: Quarter, user=None) -> Quarter:
    """The quarter before, as `user` may see it (unsaved, counting nothing, if none exists or
    its returns are not published to them)."""
    return _sequence_for_reader(quarter, 2, user)[0]


def with_previous_status(outputs, quarter: Quarter, user=None):
    """Each output's status in the quarter before; NULL where that quarter did not count it
    (or holds nothing this reader may see), so a first quarter changes nothing."""
    previous = previous_quarter(quarter, user)
    return join_latest(outputs, [previous]).annotate(
        previous_status=status_expression(previous, counted_only=True)
    )


def changes(outputs, quarter: Quarter, user=None) -> Changes:
    """One query (after finding the previous quarter): how many outputs turned red, recovered,
    stayed red or blank, were completed or withdrawn in `quarter`."""
    totals = with_previous_status(outputs, quarter, user).aggregate(
        **{
            name: _count(outputs, filter=condition)
            for name, condition in _change_conditions(quarter).items()
        }
    )
    return Changes(**totals)


@dataclass
class ChangeRow:
    label: str
    key: str
    counts: dict[str, int]


@cached_aggregate
def changes_by(outputs, quarter: Quarter, dimension: Dimension, user=None) -> list[ChangeRow]:
    """One query: the changes counted for each group (plan, lead agency…), groups with no
    change left out, the most changed first."""
    fields = [dimension.key] + ([dimension.label] if dimension.label else [])
    conditions = _change_conditions(quarter)
    rows = (
        with_previous_status(outputs, quarter, user)
        .values(*fields)
        .annotate(
            **{
                f"n_{name}": _count(outputs, dimension, filter=condition)
                for name, condition in conditions.items()
            }
        )
        .order_by()
    )
    result = []
    for row in rows:
        counts = {name: row[f"n_{name}"] for name in conditions}
        if any(counts.values()):
            label = (
                row[dimension.label] if dimension.label else dimension.choices[row[dimension.key]]
            )
            result.append(ChangeRow(label, row[dimension.key], counts))
    return sorted(result, key=lambda r: (-sum(r.counts.values()), r.label))


def changed_outputs(outputs, quarter: Quarter, change: str, user=None):
    """The outputs behind one of the changes, for the drill-down."""
    changed = with_previous_status(outputs, quarter, user)
    return changed.filter(_change_conditions(quarter)[change])


def with_latest_commentary(outputs, quarter: Quarter, user=None):
    """The commentary, corrective action and date of each output's latest return up to and
    including `quarter`,
    among the returns `user` may see (the publication rule). One indexed step per output, and
    written as a subquery so that the database looks it up only for the rows a page shows."""
    latest = (
        LatestReturn.objects.filter(output=OuterRef("pk"), quarter_order__lte=quarter.ordinal)
        .filter(quarter__in=Quarter.objects.visible_to(user))
        .order_by("-quarter_order")
    )
    return outputs.annotate(
        latest_commentary=Subquery(latest.values("commentary")[:1]),
        latest_corrective_action=Subquery(latest.values("corrective_action")[:1]),
        latest_corrective_action_by=Subquery(latest.values("corrective_action_by")[:1]),
        latest_update_at=Subquery(latest.values("created_at")[:1]),
    )


def exceptions(outputs, quarter: Quarter, user=None):
    """RED and BLANK outputs, the longest-standing first, with their latest commentary (as
    `user` may see them: for the public, published quarters only)."""
    outputs = with_streak(outputs.filter(status__in=EXCEPTION_STATUSES), quarter, user)
    return with_latest_commentary(outputs, quarter, user).order_by(
        "-streak", "commencement", "plan__name", "ref"
    )


@cached_aggregate
def top_exceptions(outputs, quarter: Quarter, user=None, n: int = 10) -> list[Output]:
    """The `n` longest-standing exceptions, as a list (for the overview's panel)."""
    return list(exceptions(outputs, quarter, user).select_related("plan", "lead_agency")[:n])


def drilldown_url(base: str, params: dict[str, str], **extra: str) -> str:
    """A stable link to the outputs list: the page's selection plus one more filter."""
    merged = {k: v for k, v in {**params, **extra}.items() if v not in (None, "")}
    return f"{base}?{urlencode(merged)}" if merged else base
