"""Statuses of a plan's outputs for many quarters at once: the plan page's status matrix.

The outputs and their status in every quarter come from one query: one `status_expression`
annotation a quarter, so the seed's rule lives in one place whatever the page shows.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from actionplans.models import ActionPlan, Output, Quarter, status_expression


def quarters_of(plan: ActionPlan) -> QuerySet[Quarter]:
    """The quarters that exist within the plan's period, earliest first."""
    quarters = Quarter.objects.order_by("year", "number")
    if plan.period_start:
        year, number = Quarter.year_and_number_of(plan.period_start)
        quarters = quarters.filter(Q(year__gt=year) | Q(year=year, number__gte=number))
    if plan.period_end:
        year, number = Quarter.year_and_number_of(plan.period_end)
        quarters = quarters.filter(Q(year__lt=year) | Q(year=year, number__lte=number))
    return quarters


@dataclass
class MatrixRow:
    output: Output
    # One a quarter, in the matrix's order; None where the quarter does not count the output
    # (withdrawn before it started).
    statuses: list[str | None]


def status_matrix(outputs: QuerySet[Output], quarters: list[Quarter]) -> list[MatrixRow]:
    """The outputs with their status in each quarter, in one query."""
    names = [f"status_{quarter.pk}" for quarter in quarters]
    annotated = outputs.annotate(
        **{
            name: status_expression(quarter, counted_only=True)
            for name, quarter in zip(names, quarters, strict=True)
        }
    )
    return [
        MatrixRow(output=output, statuses=[getattr(output, name) for name in names])
        for output in annotated
    ]
