from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from actionplans.models import (
    ActionPlan,
    NarrativeReport,
    Output,
    PerformanceArea,
    Priority,
    Programme,
    Quarter,
    ReturnReminder,
    StatusUpdate,
)
from actionplans.services import set_quarter_state
from leeds_communities.admin import AuditedAdmin


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["name", "board"]
    search_fields = ["name", "description"]
    list_select_related = ["board"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["board"]


class PriorityInline(admin.TabularInline):
    model = Priority
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(AuditedAdmin):
    list_display = [
        "name",
        "programme",
        "owner",
        "scope",
        "area",
        "period_start",
        "period_end",
        "illustrative",
    ]
    list_filter = ["scope", "programme", "illustrative"]
    search_fields = ["name", "short_name", "area", "description"]
    list_select_related = ["programme", "owner"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["programme", "owner"]
    inlines = [PriorityInline]


@admin.register(Output)
class OutputAdmin(AuditedAdmin):
    list_display = ["ref", "title", "plan", "lead_agency", "commencement", "due", "withdrawn"]
    list_filter = ["plan__programme", "illustrative"]
    search_fields = ["ref", "title", "lead_officer", "plan__name", "lead_agency__name"]
    list_select_related = ["plan", "lead_agency"]
    autocomplete_fields = ["plan", "lead_agency"]
    raw_id_fields = ["priority"]
    # The version guards against lost updates; only record_status_update moves it on.
    readonly_fields = ["version"]


@admin.register(Quarter)
class QuarterAdmin(AuditedAdmin):
    list_display = ["__str__", "deadline", "state"]
    list_filter = ["state"]
    actions = ["close_quarters"]

    def get_readonly_fields(self, request, obj=None):
        # Opening and closing go through set_quarter_state, which audits them (and asks a reason
        # to reopen); a new quarter may be created in either state.
        return ["state"] if obj is not None else []

    @admin.action(description="Close the selected quarters to returns")
    def close_quarters(self, request, queryset):
        try:
            for quarter in queryset:
                set_quarter_state(
                    quarter=quarter, state=Quarter.State.CLOSED, acting_user=request.user
                )
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, f"Closed {queryset.count()} quarter(s).", messages.SUCCESS)


@admin.register(StatusUpdate)
class StatusUpdateAdmin(AuditedAdmin):
    """Append-only history: readable here, written only through record_status_update."""

    list_display = ["output", "quarter", "rag", "created_by", "created_at", "source"]
    list_filter = ["rag", "source", "quarter"]
    search_fields = ["output__ref", "output__title", "commentary"]
    list_select_related = ["output", "quarter", "created_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PerformanceAreaInline(admin.StackedInline):
    model = PerformanceArea
    extra = 0


@admin.register(NarrativeReport)
class NarrativeReportAdmin(AuditedAdmin):
    list_display = ["title", "section", "board", "period_label", "reported"]
    list_filter = ["period_label"]
    search_fields = ["title", "section", "board__name", "areas__name"]
    list_select_related = ["board"]
    autocomplete_fields = ["board"]
    inlines = [PerformanceAreaInline]


@admin.register(ReturnReminder)
class ReturnReminderAdmin(AuditedAdmin):
    """The record of reminders sent from the returns page: read only."""

    list_display = ["quarter", "lead_agency", "sent_by", "sent_at", "outstanding"]
    list_filter = ["quarter"]
    search_fields = ["lead_agency__name"]
    list_select_related = ["quarter", "lead_agency", "sent_by"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
