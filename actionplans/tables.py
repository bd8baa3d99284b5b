import django_tables2 as tables
from django.utils.html import format_html

from actionplans.models import ActionPlan
from leeds_communities.tables import BaseTable


def _period(plan: ActionPlan, fmt: str) -> str:
    start = f"{plan.period_start:{fmt}}" if plan.period_start else "not recorded"
    end = f"{plan.period_end:{fmt}}" if plan.period_end else "open-ended"
    return f"{start} to {end}"


class PlanTable(BaseTable):
    caption = "Action plans"

    name = tables.Column(verbose_name="Plan", linkify=True)
    programme = tables.Column(order_by=("programme__name", "order"))
    owner = tables.Column(verbose_name="Owner board", linkify=True, order_by=("owner__name",))
    scope = tables.Column()
    area = tables.Column()
    period = tables.Column(
        verbose_name="Period", accessor="period_start", order_by=("period_start", "period_end")
    )
    output_count = tables.Column(
        verbose_name="Outputs", attrs={"td": {"class": "govuk-table__cell--numeric"}}
    )
    illustrative = tables.Column(verbose_name="Illustrative")

    class Meta(BaseTable.Meta):
        model = ActionPlan
        fields = ()
        sequence = (
            "name",
            "programme",
            "owner",
            "scope",
            "area",
            "period",
            "output_count",
            "illustrative",
        )
        order_by = ("programme", "name")
        empty_text = "No action plans match these filters."

    def render_scope(self, record):
        return record.get_scope_display()

    def value_scope(self, record):
        return record.get_scope_display()

    def render_period(self, record):
        return _period(record, "%b %Y")

    def value_period(self, record):
        return _period(record, "%Y-%m-%d")

    def render_illustrative(self, value):
        if not value:
            return "No"
        return format_html(
            '<strong class="govuk-tag govuk-tag--purple" title="{}">Illustrative</strong>',
            "Its outputs were generated to match published totals",
        )

    def value_illustrative(self, value):
        return "Illustrative" if value else ""
