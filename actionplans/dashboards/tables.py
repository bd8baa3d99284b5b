"""The dashboards' lists: one Table each for the page, the CSV/XLSX export and the PDF."""

import django_tables2 as tables
from django.template.loader import render_to_string

from actionplans.dashboards.queries import STREAK_WINDOW
from actionplans.models import Output
from actionplans.presenters import status_tag
from leeds_communities.tables import BaseTable, Cell

NUMERIC = {
    "td": {"class": "govuk-table__cell--numeric"},
    "th": {"class": "govuk-table__header--numeric"},
}


def _status_text(status) -> str:
    return status_tag(status).text


def _streak_text(streak: int) -> str:
    return f"{streak} or more" if streak >= STREAK_WINDOW else str(streak)


class OutputStatusTable(BaseTable):
    caption = "Outputs in this selection"

    ref = tables.Column(verbose_name="Ref", linkify=True)
    title = tables.Column()
    plan = tables.Column(linkify=True, order_by=("plan__name",))
    lead_agency = tables.Column(order_by=("lead_agency__name",))
    lead_officer = tables.Column()
    status = tables.Column(verbose_name="Status this quarter")
    latest_commentary = tables.Column(verbose_name="Latest commentary", orderable=False)
    latest_corrective_action = tables.Column(verbose_name="Corrective action", orderable=False)
    latest_corrective_action_by = tables.DateColumn(
        verbose_name="Corrective action by", format="j M Y", orderable=False
    )
    due = tables.DateColumn(verbose_name="Due", format="j M Y")

    export_values = {
        "ref": "ref",
        "title": "title",
        "plan": "plan__name",
        "lead_agency": "lead_agency__name",
        "lead_officer": "lead_officer",
        "status": Cell("status", _status_text),
        "latest_commentary": "latest_commentary",
        "latest_corrective_action": "latest_corrective_action",
        "latest_corrective_action_by": "latest_corrective_action_by",
        "due": "due",
    }

    class Meta(BaseTable.Meta):
        model = Output
        fields = ()
        sequence = (
            "ref",
            "title",
            "plan",
            "lead_agency",
            "lead_officer",
            "status",
            "latest_commentary",
            "latest_corrective_action",
            "latest_corrective_action_by",
            "due",
        )
        order_by = ("plan", "ref")
        empty_text = "No outputs match this selection."

    def render_status(self, value):
        return render_to_string("components/status_tag.html", {"tag": status_tag(value)})

    def value_status(self, value):
        return _status_text(value)

    def value_plan(self, record):
        return record.plan.name

    def value_lead_agency(self, record):
        return record.lead_agency.name


class ExceptionTable(OutputStatusTable):
    caption = "Red and blank outputs, the longest-standing first"

    streak = tables.Column(verbose_name="Quarters in a row", attrs=NUMERIC)

    export_values = {**OutputStatusTable.export_values, "streak": Cell("streak", _streak_text)}

    class Meta(OutputStatusTable.Meta):
        sequence = (
            "ref",
            "title",
            "plan",
            "lead_agency",
            "lead_officer",
            "status",
            "streak",
            "latest_commentary",
            "latest_corrective_action",
            "latest_corrective_action_by",
            "due",
        )
        order_by = ()
        empty_text = "No red or blank outputs in this selection."

    def render_streak(self, value):
        return _streak_text(value)
