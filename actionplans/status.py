"""The status rule and the counting rule, in one place (seed 003).

- **Status of an output for a quarter**, derived, never typed in: WHITE if its commencement date
  is after the quarter's last day; otherwise its latest return for that quarter; otherwise BLANK
  ("no response from lead agency at end of quarter").
- **Which outputs a quarter counts**: those of plans whose period includes the quarter, less those
  withdrawn before it starts.

Both are SQL, so every page, export, pack, reminder and command counts in the database through
`Output.objects.counted_in(q).with_status(q)`; there is no Python copy of either rule. The
latest return of each output in each quarter is kept in `LatestReturn` by `keep_latest`, which
every path that writes returns calls, so the rule joins it rather than searching each history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, FilteredRelation, Q
from django.db.models.functions import Coalesce

if TYPE_CHECKING:
    from actionplans.quarters import Quarter


class Rag(models.TextChoices):
    """What a lead agency may report."""

    GREEN = "GREEN", "Green"
    AMBER = "AMBER", "Amber"
    RED = "RED", "Red"


class Status(models.TextChoices):
    """What the summary counts: the three reported colours and the two derived ones."""

    GREEN = "GREEN", "Green"
    AMBER = "AMBER", "Amber"
    RED = "RED", "Red"
    WHITE = "WHITE", "White"
    BLANK = "BLANK", "Blank"


def plan_covers(quarter: Quarter, prefix: str = "") -> Q:
    """Plans (or, with prefix "plan__", outputs' plans) whose period includes `quarter`."""
    return (
        Q(**{f"{prefix}period_start__isnull": True})
        | Q(**{f"{prefix}period_start__lte": quarter.end})
    ) & (
        Q(**{f"{prefix}period_end__isnull": True})
        | Q(**{f"{prefix}period_end__gte": quarter.start})
    )


def counted(quarter: Quarter) -> Q:
    """The counting rule as a filter on outputs."""
    not_withdrawn = Q(withdrawn__isnull=True) | Q(withdrawn__gte=quarter.start)
    return not_withdrawn & plan_covers(quarter, prefix="plan__")


def latest_alias(quarter: Quarter) -> str:
    return f"latest_{quarter.pk}"


def join_latest(queryset, quarters):
    """Join each output's latest return in each saved quarter of `quarters` (one LEFT JOIN a
    quarter, on `LatestReturn`), so that `status_expression` can read it. Joining a quarter twice
    joins it once; unsaved quarters hold no returns and are not joined."""
    joined = queryset.query._filtered_relations
    aliases = {
        latest_alias(q): FilteredRelation(
            "latest_returns", condition=Q(latest_returns__quarter_id=q.pk)
        )
        for q in quarters
        if q.pk is not None and latest_alias(q) not in joined
    }
    return queryset.alias(**aliases) if aliases else queryset


def latest_field(quarter: Quarter, name: str):
    """A field (rag, commentary, corrective_action, corrective_action_by, created_at) of the
    output's latest return in `quarter`, on a queryset joined by `join_latest`; NULL where there
    is none."""
    return F(f"{latest_alias(quarter)}__{name}")


def status_expression(quarter: Quarter, *, counted_only: bool = False):
    """The status rule as one SQL expression over outputs joined by `join_latest` (with
    `with_status` doing both). `quarter` may be unsaved (a quarter nobody has reported on yet).
    With `counted_only`, outputs the quarter does not count come out NULL, so one query can span
    several quarters (the plan's matrix, the trend, streaks); an unsaved quarter (none exists, or
    its returns are not for this reader) then counts nothing."""
    if counted_only and quarter.pk is None:
        return models.Value(None, output_field=models.CharField())

    reported = models.Value(Status.BLANK)
    if quarter.pk is not None:
        reported = Coalesce(latest_field(quarter, "rag"), reported)
    not_counted = []
    if counted_only:
        not_counted = [models.When(~counted(quarter), then=models.Value(None))]
    return models.Case(
        *not_counted,
        models.When(commencement__gt=quarter.end, then=models.Value(Status.WHITE)),
        default=reported,
        output_field=models.CharField(),
    )


def with_status(queryset, quarter: Quarter, name: str = "status", *, counted_only=False):
    """Outputs annotated with their status in `quarter` (joined and derived in one query)."""
    return join_latest(queryset, [quarter]).annotate(
        **{name: status_expression(quarter, counted_only=counted_only)}
    )


def status_of(output, quarter: Quarter) -> str | None:
    """One output's status in `quarter` (None if the quarter does not count it), by the same SQL."""
    from actionplans.models import Output

    return (
        with_status(Output.objects.filter(pk=output.pk), quarter, counted_only=True)
        .values_list("status", flat=True)
        .get()
    )


# --- keeping the latest returns ---------------------------------------------------------------

LATEST_CHUNK = 500


def keep_latest(pairs) -> int:
    """Bring `LatestReturn` up to date for these (output id, quarter id) pairs from the status
    updates themselves: the latest is the newest by time of recording, then by id. Called by
    every path that writes returns, in its transaction; returns the rows written or removed."""
    from actionplans.freshness import changed
    from actionplans.models import LatestReturn, Quarter, StatusUpdate

    by_output: dict[int, set[int]] = {}
    for output_id, quarter_id in pairs:
        by_output.setdefault(output_id, set()).add(quarter_id)
    written = 0
    output_ids = sorted(by_output)
    for i in range(0, len(output_ids), LATEST_CHUNK):
        chunk = output_ids[i : i + LATEST_CHUNK]
        quarter_ids = set().union(*(by_output[o] for o in chunk))
        newest: dict[tuple[int, int], object] = {}
        updates = StatusUpdate.objects.filter(
            output_id__in=chunk, quarter_id__in=quarter_ids
        ).order_by("output_id", "quarter_id", "-created_at", "-pk")
        for update in updates.only(
            "pk",
            "output_id",
            "quarter_id",
            "rag",
            "commentary",
            "corrective_action",
            "corrective_action_by",
            "created_at",
        ).iterator(chunk_size=2000):
            key = (update.output_id, update.quarter_id)
            if key[1] in by_output[key[0]] and key not in newest:
                newest[key] = update
        orders = {
            q.pk: q.ordinal
            for q in Quarter.objects.filter(pk__in=quarter_ids).only("year", "number")
        }
        rows = [
            LatestReturn(
                output_id=u.output_id,
                quarter_id=u.quarter_id,
                quarter_order=orders[u.quarter_id],
                update_id=u.pk,
                rag=u.rag,
                commentary=u.commentary,
                corrective_action=u.corrective_action,
                corrective_action_by=u.corrective_action_by,
                created_at=u.created_at,
            )
            for u in newest.values()
        ]
        LatestReturn.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["output", "quarter"],
            update_fields=[
                "update",
                "rag",
                "commentary",
                "corrective_action",
                "corrective_action_by",
                "created_at",
                "quarter_order",
            ],
        )
        gone = Q()
        for output_id in chunk:
            without = {q for q in by_output[output_id] if (output_id, q) not in newest}
            if without:
                gone |= Q(output_id=output_id, quarter_id__in=without)
        if gone:
            written += LatestReturn.objects.filter(gone).delete()[0]
        written += len(rows)
    if by_output:
        changed()
    return written


def rebuild_latest() -> int:
    """Recompute every `LatestReturn` row from the status updates (`manage.py rebuild_statuses`):
    rows for pairs that no longer have a return go, the rest are rewritten."""
    from actionplans.models import LatestReturn, StatusUpdate

    pairs = set(StatusUpdate.objects.values_list("output_id", "quarter_id").distinct())
    pairs |= set(LatestReturn.objects.values_list("output_id", "quarter_id"))
    return keep_latest(sorted(pairs))
