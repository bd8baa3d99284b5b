from django.contrib import admin

from boards.models import (
    Board,
    Membership,
    Organisation,
    Person,
    Profile,
    TermsOfReference,
    TermsSection,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "organisation"]
    search_fields = ["name", "job_title"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "organisation"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "established", "disbanded", "reports_to"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "remit"]
    list_select_related = ["reports_to"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["reports_to", "succeeded_by"]
    filter_horizontal = ["links_to"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["board", "person", "organisation", "role", "statutory_category", "start", "end"]
    list_filter = ["role", "statutory_category"]
    search_fields = ["board__name", "person__name", "organisation__name"]
    list_select_related = ["board", "person", "organisation"]
    autocomplete_fields = ["board", "person", "organisation"]


class TermsSectionInline(admin.StackedInline):
    model = TermsSection
    extra = 0


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(admin.ModelAdmin):
    list_display = ["board", "version", "title", "status", "agreed_on", "review_date"]
    list_filter = ["status"]
    search_fields = ["board__name", "title"]
    list_select_related = ["board"]
    autocomplete_fields = ["board"]
    inlines = [TermsSectionInline]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "person", "organisation"]
    list_select_related = ["user", "person", "organisation"]
    autocomplete_fields = ["person", "organisation"]
