"""Administration of meetings, reports and packs, for governance support."""

from django.contrib import admin

from boards.meetings.models import (
    ActionArising,
    AgendaItem,
    Appendix,
    Attendance,
    BoardPack,
    Decision,
    DeclarationOfInterest,
    Meeting,
    PackBuild,
    Recommendation,
    Report,
    ReportSection,
)
from leeds_communities.admin import AuditedAdmin


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["report"]
    fields = ["order", "title", "description", "report"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person"]


class DeclarationInline(admin.TabularInline):
    model = DeclarationOfInterest
    extra = 0
    autocomplete_fields = ["person"]


class ActionArisingInline(admin.TabularInline):
    model = ActionArising
    extra = 0
    readonly_fields = ["output"]
    fields = ["agenda_item", "text", "owner", "due", "output"]


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["date", "start_time", "board", "venue", "status"]
    list_filter = ["status", "board__kind"]
    search_fields = ["board__name", "venue"]
    date_hierarchy = "date"
    list_select_related = ["board"]
    autocomplete_fields = ["board"]
    inlines = [AgendaItemInline, AttendanceInline, DeclarationInline, ActionArisingInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(AuditedAdmin):
    list_display = ["meeting", "order", "title", "report"]
    search_fields = ["title", "meeting__board__name"]
    list_select_related = ["meeting__board", "report"]
    autocomplete_fields = ["report"]


@admin.register(Decision)
class DecisionAdmin(AuditedAdmin):
    list_display = ["agenda_item", "outcome"]
    list_filter = ["outcome"]
    list_select_related = ["agenda_item__meeting__board"]


class ReportSectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


class AppendixInline(admin.StackedInline):
    model = Appendix
    extra = 0
    autocomplete_fields = ["programme"]


@admin.register(Report)
class ReportAdmin(AuditedAdmin):
    list_display = ["subject", "board", "report_of", "date", "is_exempt"]
    list_filter = ["is_exempt", "wards_affected"]
    search_fields = ["subject", "report_of", "report_to", "author_name"]
    list_select_related = ["board"]
    autocomplete_fields = ["board"]
    raw_id_fields = ["author_user"]
    inlines = [ReportSectionInline, RecommendationInline, AppendixInline]


@admin.register(Appendix)
class AppendixAdmin(AuditedAdmin):
    list_display = ["report", "number", "title", "kind", "is_exempt", "demonstration"]
    list_filter = ["kind", "is_exempt", "demonstration"]
    list_select_related = ["report"]


@admin.register(Attendance)
class AttendanceAdmin(AuditedAdmin):
    list_display = ["meeting", "display_name", "kind"]
    list_filter = ["kind"]
    list_select_related = ["meeting__board", "person"]


@admin.register(DeclarationOfInterest)
class DeclarationOfInterestAdmin(AuditedAdmin):
    list_display = ["meeting", "display_name", "interest"]
    list_select_related = ["meeting__board", "person"]


@admin.register(ActionArising)
class ActionArisingAdmin(AuditedAdmin):
    list_display = ["meeting", "text", "owner", "due", "output"]
    list_select_related = ["meeting__board", "output"]
    readonly_fields = ["output"]


@admin.register(BoardPack)
class BoardPackAdmin(AuditedAdmin):
    list_display = ["meeting", "variant", "version", "page_count", "generated_at"]
    list_filter = ["variant"]
    list_select_related = ["meeting__board"]
    readonly_fields = [
        "meeting",
        "variant",
        "version",
        "content_hash",
        "file",
        "page_count",
        "generated_at",
        "generated_by",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(PackBuild)
class PackBuildAdmin(AuditedAdmin):
    list_display = ["meeting", "variant", "state", "step", "created_at", "updated_at"]
    list_filter = ["state", "variant"]
    list_select_related = ["meeting__board"]
    readonly_fields = ["meeting", "variant", "content_hash", "state", "step", "pack", "error"]

    def has_add_permission(self, request):
        return False
