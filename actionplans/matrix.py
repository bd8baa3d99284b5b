"""Statuses of a plan's outputs for many quarters at once: the plan page's status matrix.

The outputs and their status in every quarter come from one query: one `status_expression`
annotation (over one join) a quarter, so the seed's rule lives in one place whatever the page
shows.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from actionplans.models import ActionPlan, Output, Quarter
from actionplans.status import join_latest, status_expression


def quarters_of(plan: ActionPlan, user) -> QuerySet[Quarter]:
    """The quarters of the plan's period that exist and whose returns `user` may see, earliest
    first."""
    return (
        Quarter.objects.within(plan.period_start, plan.period_end).visible_to(user).chronological()
    )


@dataclass
class MatrixRow:
    output: Output
    # One a quarter, in the matrix's order; None where the quarter does not count the output
    # (withdrawn before it started, or outside its plan's period).
    statuses: list[str | None]


def status_matrix(outputs: QuerySet[Output], quarters: list[Quarter]) -> list[MatrixRow]:
    """The outputs with their status in each quarter, in one query."""
    names = [f"status_{quarter.pk}" for quarter in quarters]
    annotated = join_latest(outputs, quarters).annotate(
        **{
            name: status_expression(quarter, counted_only=True)
            for name, quarter in zip(names, quarters, strict=True)
        }
    )
    return [
        MatrixRow(output=output, statuses=[getattr(output, name) for name in names])
        for output in annotated
    ]
