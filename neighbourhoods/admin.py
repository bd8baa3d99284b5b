from django.contrib import admin

from leeds_communities.admin import AuditedAdmin
from neighbourhoods.models import (
    CommunityCommittee,
    Deprivation,
    ImdEdition,
    Indicator,
    IndicatorValue,
    Lsoa,
    PriorityNeighbourhood,
    Ward,
)


@admin.register(CommunityCommittee)
class CommunityCommitteeAdmin(AuditedAdmin):
    list_display = ["name", "source_note"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Ward)
class WardAdmin(AuditedAdmin):
    list_display = ["name", "code", "committee"]
    list_filter = ["committee"]
    search_fields = ["name", "code"]
    list_select_related = ["committee"]
    exclude = ["boundary"]
    autocomplete_fields = ["targeted_outputs"]


@admin.register(Lsoa)
class LsoaAdmin(AuditedAdmin):
    list_display = ["code", "name", "ward", "population"]
    list_filter = ["ward__committee"]
    search_fields = ["code", "name", "ward__name"]
    list_select_related = ["ward"]
    exclude = ["boundary"]


@admin.register(ImdEdition)
class ImdEditionAdmin(AuditedAdmin):
    list_display = ["year", "name", "lsoa_vintage", "national_lsoa_count"]


@admin.register(Deprivation)
class DeprivationAdmin(AuditedAdmin):
    list_display = ["lsoa", "edition", "domain", "rank", "decile", "score"]
    list_filter = ["edition", "domain", "decile"]
    search_fields = ["lsoa__code", "lsoa__name"]
    list_select_related = ["lsoa", "edition"]
    raw_id_fields = ["lsoa"]


@admin.register(PriorityNeighbourhood)
class PriorityNeighbourhoodAdmin(AuditedAdmin):
    list_display = ["name", "tier", "edition", "programme_manager"]
    list_filter = ["tier", "edition"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["lsoas", "wards"]
    autocomplete_fields = ["targeted_outputs"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 3
    fields = ["area_type", "area_code", "period", "value"]


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["name", "unit", "higher_is_better", "illustrative"]
    list_filter = ["higher_is_better", "illustrative"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [IndicatorValueInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(AuditedAdmin):
    list_display = ["indicator", "area_type", "area_code", "period", "value"]
    list_filter = ["indicator", "area_type"]
    search_fields = ["indicator__name", "area_code", "period"]
    list_select_related = ["indicator"]
