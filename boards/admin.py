"""The register's administration screens; every save goes through `boards.services` (or the
audited plain save), so each change leaves an audit row."""

from django import forms
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
                end=obj.end,
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


class TermsOfReferenceAdminForm(forms.ModelForm):
    """The terms' life checked as the service checks it, so a refusal is a form error."""

    class Meta:
        model = TermsOfReference
        fields = [
            "board",
            "version",
            "title",
            "status",
            "condition",
            "agreed_on",
            "agreed_at_meeting",
            "review_date",
            "based_on",
            "source",
        ]

    def clean(self):
        cleaned = super().clean()
        current = self.initial.get("status") if self.instance.pk else None
        problems = services.terms_status_problems(
            current=current,
            status=cleaned.get("status"),
            agreed_on=cleaned.get("agreed_on"),
            condition=cleaned.get("condition", ""),
        )
        for field, error in problems.items():
            self.add_error(field, error)
        return cleaned


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(AuditedAdmin):
    form = TermsOfReferenceAdminForm
    list_display = ["board", "version", "title", "status", "agreed_on", "review_date"]
    list_filter = ["status"]
    search_fields = ["board__name", "title"]
    list_select_related = ["board"]
    autocomplete_fields = ["board"]
    inlines = [TermsSectionInline]

    def save_service(self, request, obj, form, change):
        """A change of status is the terms' life (agreeing, or adding a version as agreed,
        supersedes the one in force); other fields are plain audited edits."""
        status = obj.status
        moving = "status" in form.changed_data if change else status in services.AGREED
        if not moving:
            super().save_service(request, obj, form, change)
            return
        obj.status = form.initial["status"] if change else TermsOfReference.Status.DRAFT
        if not change or set(form.changed_data) - {"status"}:
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


@admin.register(Profile)
class ProfileAdmin(AuditedAdmin):
    list_display = ["user", "person", "organisation"]
    list_select_related = ["user", "person", "organisation"]
    autocomplete_fields = ["person", "organisation"]
