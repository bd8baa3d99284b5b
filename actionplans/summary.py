"""The summary progress table (seed 003): one row a plan, subtotals per scope, a total row."""

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count

from actionplans.models import ActionPlan, Output, Programme, Quarter, Status
from leeds_communities.tables import neutralise_formula

COLUMNS = [Status.GREEN, Status.AMBER, Status.RED, Status.WHITE, Status.BLANK]
CSV_HEADER = [
    "Plan",
    "No of outputs",
    "Green",
    "Green %",
    "Amber",
    "Amber %",
    "Red",
    "Red %",
    "White",
    "White %",
    "Blank",
    "Blank %",
]


def percent(count: int, total: int) -> int:
    """count / total × 100 rounded half up to a whole number, in integers (no float error)."""
    if total == 0:
        return 0
    return (200 * count + total) // (2 * total)


@dataclass
class SummaryRow:
    label: str
    kind: str  # "plan", "subtotal" or "total"
    plan: ActionPlan | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    @property
    def outputs(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[tuple[str, int, int]]:
        """(status, count, percent) for each column, in the table's order."""
        total = self.outputs
        return [(s, self.counts[s], percent(self.counts[s], total)) for s in COLUMNS]

    def add(self, other: "SummaryRow") -> None:
        for status in COLUMNS:
            self.counts[status] += other.counts[status]

    def as_csv_row(self) -> list:
        row = [neutralise_formula(self.label), self.outputs]
        for _, count, pct in self.cells():
            row += [count, pct]
        return row


@dataclass
class Summary:
    programme: Programme
    quarter: Quarter
    rows: list[SummaryRow]

    @property
    def total(self) -> SummaryRow:
        return self.rows[-1]

    def as_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for row in self.rows:
            writer.writerow(row.as_csv_row())
        return buffer.getvalue()


def build_summary(programme: Programme, quarter: Quarter) -> Summary:
    """Two queries: the plans, and the outputs counted by plan and derived status."""
    return build_plans_summary(ActionPlan.objects.filter(programme=programme), quarter, programme)


def build_plans_summary(plans, quarter: Quarter, programme: Programme) -> Summary:
    """The table for `plans` (a queryset) in `quarter`, under `programme` (which may be unsaved,
    naming a group of plans outside any programme)."""
    plans = list(plans.covering(quarter).order_by("order", "name"))
    counts = (
        Output.objects.filter(plan__in=plans)
        .counted_in(quarter)
        .with_status(quarter)
        .values("plan_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_plan = {plan.pk: SummaryRow(label=plan.label, kind="plan", plan=plan) for plan in plans}
    for item in counts:
        by_plan[item["plan_id"]].counts[item["status"]] += item["n"]

    scopes: dict[str, list[SummaryRow]] = {}
    for plan in plans:
        scopes.setdefault(plan.scope, []).append(by_plan[plan.pk])

    rows: list[SummaryRow] = []
    total = SummaryRow(label="Total", kind="total")
    for scope, scope_rows in scopes.items():
        rows.extend(scope_rows)
        if len(scope_rows) > 1:
            subtotal = SummaryRow(
                label=f"All {ActionPlan.Scope(scope).label.lower()} plans", kind="subtotal"
            )
            for row in scope_rows:
                subtotal.add(row)
            rows.append(subtotal)
        for row in scope_rows:
            total.add(row)
    rows.append(total)
    return Summary(programme=programme, quarter=quarter, rows=rows)
