"""The register's administration screens; every save goes through `boards.services` (or the
audited plain save), so each change leaves an audit row."""

from django.contrib import admin

from boards import services
from boards.models import (
    Board,
    Membership,
    Organisation,
    Person,
    Profile,
    TermsOfReference,
    TermsSection,
)
from leeds_communities.admin import AuditedAdmin


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["name", "job_title", "organisation"]
    search_fields = ["name", "job_title"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "organisation"]


@admin.register(Board)
class BoardAdmin(AuditedAdmin):
    list_display = ["name", "kind", "status", "established", "disbanded", "reports_to"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "remit"]
    list_select_related = ["reports_to"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["reports_to", "succeeded_by"]
    filter_horizontal = ["links_to"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["board", "person", "organisation", "role", "statutory_category", "start", "end"]
    list_filter = ["role", "statutory_category"]
    search_fields = ["board__name", "person__name", "organisation__name"]
    list_select_related = ["board", "person", "organisation"]
    autocomplete_fields = ["board", "person", "organisation"]

    def save_service(self, request, obj, form, change):
        if not change:
            created = services.add_membership(
                board=obj.board,
                person=obj.person,
                organisation=obj.organisation,
                role=obj.role,
                statutory_category=obj.statutory_category,
                start=obj.start,
                note=obj.note,
                acting_user=request.user,
            )
            obj.pk = created.pk
        elif form.changed_data == ["end"] and obj.end and form.initial.get("end") is None:
            end = obj.end
            obj.end = None
            services.end_membership(membership=obj, end=end, acting_user=request.user)
        else:
            super().save_service(request, obj, form, change)


class TermsSectionInline(admin.StackedInline):
    model = TermsSection
    extra = 0


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(AuditedAdmin):
    list_display = ["board", "version", "title", "status", "agreed_on", "review_date"]
    list_filter = ["status"]
    search_fields = ["board__name", "title"]
    list_select_related = ["board"]
    autocomplete_fields = ["board"]
    inlines = [TermsSectionInline]

    def save_service(self, request, obj, form, change):
        """A change of status is the terms' life (agreeing supersedes the version before);
        other fields are plain audited edits."""
        status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
            if set(form.changed_data) - {"status"}:
                super().save_service(request, obj, form, change)
            services.set_terms_status(
                terms=obj,
                status=status,
                agreed_on=obj.agreed_on,
                agreed_at_meeting=obj.agreed_at_meeting,
                condition=obj.condition,
                acting_user=request.user,
            )
            obj.refresh_from_db()
        else:
            super().save_service(request, obj, form, change)


@admin.register(Profile)
class ProfileAdmin(AuditedAdmin):
    list_display = ["user", "person", "organisation"]
    list_select_related = ["user", "person", "organisation"]
    autocomplete_fields = ["person", "organisation"]
