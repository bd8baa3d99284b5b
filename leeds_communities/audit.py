"""The audit log, for governance support: who signed in (or failed to), who was refused, who
exported data or downloaded a members' pack, and every governance-significant write."""

import django_filters
import django_tables2 as tables
from django import forms

from leeds_communities.access import AllowOnlyMixin
from leeds_communities.models import AuditEvent
from leeds_communities.roles import is_governance_support
from leeds_communities.tables import BaseTable, FilteredTableView


def _actions():
    actions = AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
    return [(a, a.replace("_", " ").capitalize()) for a in actions]


class AuditFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=_actions, empty_label="Any event", label="Event")
    actor = django_filters.CharFilter(
        field_name="actor__username", lookup_expr="iexact", label="Username", max_length=150
    )
    since = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label="From (YYYY-MM-DD)",
        widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}),
    )
    until = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label="To (YYYY-MM-DD)",
        widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "since", "until"]


class AuditTable(BaseTable):
    caption = "Audit log"

    created_at = tables.DateTimeColumn(verbose_name="When", format="j M Y H:i:s")
    action = tables.Column(verbose_name="Event")
    actor = tables.Column(verbose_name="Who", accessor="actor__username", default="—")
    summary = tables.Column(orderable=False)
    address = tables.Column(
        verbose_name="From", accessor="detail__address", default="", orderable=False
    )

    class Meta(BaseTable.Meta):
        model = AuditEvent
        fields = ()
        sequence = ("created_at", "action", "actor", "summary", "address")
        order_by = ("-created_at",)
        empty_text = "No events match these filters."


class AuditLogView(AllowOnlyMixin, FilteredTableView):
    table_class = AuditTable
    filterset_class = AuditFilter
    template_name = "audit/audit_log.html"
    results_template_name = "audit/_audit_results.html"
    table_pagination = {"per_page": 50}

    refusal_message = "Only governance support reads the audit log."

    def allowed(self, user) -> bool:
        return is_governance_support(user)

    def get_queryset(self):
        return AuditEvent.objects.select_related("actor")


audit_log = AuditLogView.as_view()
