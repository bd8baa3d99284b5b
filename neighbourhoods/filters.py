import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from leeds_communities.filters import SearchFilter
from neighbourhoods.models import CommunityCommittee, Deprivation, Domain, ImdEdition, Lsoa, Ward

DECILE_CHOICES = [(n, str(n)) for n in range(1, 11)]


class LsoaFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("domain_decile") and not data.get("domain"):
            self.add_error("domain", "Choose the domain whose decile you want")
        return data


class LsoaFilter(django_filters.FilterSet):
    q = SearchFilter(fields=["code", "name"], help_text="LSOA code or name", max_length=100)
    ward = django_filters.ModelChoiceFilter(
        queryset=Ward.objects.order_by("name").only("name", "slug"),
        to_field_name="slug",
        empty_label="Any ward",
    )
    committee = django_filters.ModelChoiceFilter(
        field_name="ward__committee",
        label="Community committee",
        queryset=CommunityCommittee.objects.order_by("name").only("name", "slug"),
        to_field_name="slug",
        empty_label="Any committee",
    )
    edition = django_filters.ChoiceFilter(
        label="IMD edition", choices=[], method="keep", empty_label=None
    )
    imd_decile = django_filters.ChoiceFilter(
        label="IMD decile",
        choices=DECILE_CHOICES,
        method="keep",
        empty_label="Any decile",
        help_text="1 is the most deprived 10% in England",
    )
    domain = django_filters.ChoiceFilter(
        label="Domain",
        choices=[(d.value, d.label) for d in Domain if d != Domain.IMD],
        method="keep",
        empty_label="Choose a domain",
    )
    domain_decile = django_filters.ChoiceFilter(
        label="Domain decile", choices=DECILE_CHOICES, method="keep", empty_label="Any decile"
    )

    class Meta:
        model = Lsoa
        form = LsoaFilterForm
        fields = ["q", "ward", "committee", "edition", "imd_decile", "domain", "domain_decile"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once: the choices and the default edition come from the same query.
        self.editions = list(ImdEdition.objects.order_by("-year").values_list("year", "name"))
        self.filters["edition"].extra["choices"] = [(str(y), n) for y, n in self.editions]

    def keep(self, queryset, name, value):
        """Applied together in `filter_queryset`: the deciles depend on the edition."""
        return queryset

    @property
    def year(self) -> int | None:
        data = getattr(self.form, "cleaned_data", None) or {}
        if data.get("edition"):
            return int(data["edition"])
        return self.editions[0][0] if self.editions else None

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        year = self.year
        if data.get("imd_decile"):
            queryset = queryset.filter(_has(year, Domain.IMD, data["imd_decile"]))
        if data.get("domain") and data.get("domain_decile"):
            queryset = queryset.filter(_has(year, data["domain"], data["domain_decile"]))
        return queryset


def _has(year, domain, decile):
    return Exists(
        Deprivation.objects.filter(
            lsoa=OuterRef("pk"), edition__year=year, domain=domain, decile=int(decile)
        )
    )
