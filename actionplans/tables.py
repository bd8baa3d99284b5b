from urllib.parse import urlencode

import django_tables2 as tables
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from actionplans.models import ActionPlan, Output
from actionplans.presenters import status_tag
from leeds_communities.roles import is_governance_support
from leeds_communities.tables import BaseTable, Cell


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

    def order_programme(self, queryset, is_descending):
        # Plans in no programme come last on every database (NULLs sort differently).
        name = F("programme__name")
        name = name.desc(nulls_last=True) if is_descending else name.asc(nulls_last=True)
        return queryset.order_by(name, "order", "name"), True

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


class MyOutputTable(BaseTable):
    """An officer's outputs with their status in one quarter and a way to update each.

    Each row is also the htmx fragment the update form swaps back in, so the row template and
    this class decide together what a row shows."""

    caption = "Outputs"

    ref = tables.Column(verbose_name="Ref", linkify=True, order_by=("plan__name", "ref"))
    title = tables.Column(verbose_name="Output")
    plan = tables.Column(accessor="plan__name", verbose_name="Plan", order_by=("plan__name",))
    lead_agency = tables.Column(
        accessor="lead_agency__name", verbose_name="Lead agency", order_by=("lead_agency__name",)
    )
    due = tables.DateColumn(verbose_name="Due", format="j M Y")
    status = tables.Column(verbose_name="Status", empty_values=())
    action = tables.Column(
        verbose_name="Update", empty_values=(), orderable=False, exclude_from_export=True
    )

    export_values = {
        "ref": "ref",
        "title": "title",
        "plan": "plan__name",
        "lead_agency": "lead_agency__name",
        "due": "due",
        "status": Cell("status", lambda status: status_tag(status).text),
    }

    class Meta(BaseTable.Meta):
        model = Output
        fields = ()
        sequence = ("ref", "title", "plan", "lead_agency", "due", "status", "action")
        order_by = ("plan", "ref")
        empty_text = "No outputs match these filters."
        template_name = "actionplans/_my_outputs_table.html"

    def __init__(self, *args, quarter=None, user=None, next_url="", **kwargs):
        exclude = list(kwargs.pop("exclude", ()) or ())
        if user is not None and not is_governance_support(user):
            exclude.append("lead_agency")  # an officer's outputs all have their agency
        if quarter is None:
            exclude.append("status")
        super().__init__(*args, exclude=exclude, **kwargs)
        self.quarter = quarter
        self.user = user
        self.next_url = next_url
        if quarter is not None:
            self.caption = f"Outputs and their status in {quarter}"
            self.columns["status"].column.verbose_name = f"Status ({quarter})"

    def render_status(self, record):
        return render_to_string("components/status_tag.html", {"tag": status_tag(record.status)})

    def value_status(self, record):
        return status_tag(record.status).text

    def render_action(self, record):
        if self.quarter is None:
            return "No quarter open"
        if not self.quarter.is_open and not is_governance_support(self.user):
            return "Quarter closed"
        url = reverse("actionplans:output_update", kwargs={"pk": record.pk})
        query = urlencode({"next": self.next_url}) if self.next_url else ""
        drafted = getattr(record, "has_draft", False)
        return format_html(
            '{}<a class="govuk-link" href="{}{}" hx-get="{}{}" hx-target="closest tr" '
            'hx-swap="outerHTML">{}<span class="govuk-visually-hidden"> {} {}</span></a>',
            mark_safe('<strong class="govuk-tag govuk-tag--grey">Draft saved</strong> ')  # noqa: S308
            if drafted
            else "",
            url,
            f"?{query}" if query else "",
            url,
            f"?{query}" if query else "",
            "Continue draft" if drafted else "Update",
            record.ref,
            record.title,
        )

    def value_action(self, record):
        return ""


class OutstandingReturnTable(BaseTable):
    """The returns page's export: one row per output still Blank in the quarter."""

    caption = "Outstanding returns"

    lead_agency = tables.Column(verbose_name="Lead agency", accessor="lead_agency__name")
    plan = tables.Column(verbose_name="Plan", accessor="plan__name")
    ref = tables.Column(verbose_name="Ref")
    title = tables.Column(verbose_name="Output")
    lead_officer = tables.Column(verbose_name="Lead officer")

    export_values = {
        "lead_agency": "lead_agency__name",
        "plan": "plan__name",
        "ref": "ref",
        "title": "title",
        "lead_officer": "lead_officer",
    }

    class Meta(BaseTable.Meta):
        model = Output
        fields = ()
        orderable = False
