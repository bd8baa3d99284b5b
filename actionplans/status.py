"""The status rule and the counting rule, in one place (seed 003).

- **Status of an output for a quarter**, derived, never typed in: WHITE if its commencement date
  is after the quarter's last day; otherwise its latest return for that quarter; otherwise BLANK
  ("no response from lead agency at end of quarter").
- **Which outputs a quarter counts**: those of plans whose period includes the quarter, less those
  withdrawn before it starts.

Both are SQL, so every page, export, pack, reminder and command counts in the database through
`Output.objects.counted_in(q).with_status(q)`; there is no Python copy of either rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import OuterRef, Q, Subquery
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


def status_expression(quarter: Quarter, *, counted_only: bool = False):
    """The status rule as one SQL expression over outputs. `quarter` may be unsaved (a quarter
    nobody has reported on yet). With `counted_only`, outputs the quarter does not count come out
    NULL, so one query can span several quarters (the plan's matrix, the trend, streaks); an
    unsaved quarter (none exists, or its returns are not for this reader) then counts nothing."""
    from actionplans.models import StatusUpdate

    if counted_only and quarter.pk is None:
        return models.Value(None, output_field=models.CharField())

    reported = models.Value(Status.BLANK)
    if quarter.pk is not None:
        latest = StatusUpdate.objects.filter(output=OuterRef("pk"), quarter=quarter)
        reported = Coalesce(
            Subquery(latest.order_by("-created_at", "-pk").values("rag")[:1]), reported
        )
    not_counted = []
    if counted_only:
        not_counted = [models.When(~counted(quarter), then=models.Value(None))]
    return models.Case(
        *not_counted,
        models.When(commencement__gt=quarter.end, then=models.Value(Status.WHITE)),
        default=reported,
        output_field=models.CharField(),
    )


def status_of(output, quarter: Quarter) -> str | None:
    """One output's status in `quarter` (None if the quarter does not count it), by the same SQL."""
    from actionplans.models import Output

    return (
        Output.objects.filter(pk=output.pk)
        .annotate(status=status_expression(quarter, counted_only=True))
        .values_list("status", flat=True)
        .get()
    )
