import django_tables2 as tables
from django.db.models import OuterRef, Subquery

from leeds_communities.tables import BaseTable
from neighbourhoods.models import Deprivation, Domain, Lsoa

NUMERIC = {"td": {"class": "govuk-table__cell--numeric"}, "th": {"class": "govuk-table__header"}}
SHORT_DOMAIN_NAMES = {
    Domain.INCOME: "Income",
    Domain.EMPLOYMENT: "Employment",
    Domain.EDUCATION: "Education",
    Domain.HEALTH: "Health",
    Domain.CRIME: "Crime",
    Domain.BARRIERS: "Barriers",
    Domain.LIVING_ENVIRONMENT: "Living environment",
}


def with_deprivation(queryset, year):
    """Annotate the edition's IMD rank, decile and score and each domain's decile, as
    subqueries so that filtering and sorting by them stay one query."""

    def value(domain, field):
        return Subquery(
            Deprivation.objects.filter(
                lsoa=OuterRef("pk"), edition__year=year, domain=domain
            ).values(field)[:1]
        )

    annotations = {
        "imd_rank": value(Domain.IMD, "rank"),
        "imd_decile": value(Domain.IMD, "decile"),
        "imd_score": value(Domain.IMD, "score"),
    }
    for domain in SHORT_DOMAIN_NAMES:
        annotations[f"{domain.value}_decile"] = value(domain, "decile")
    return queryset.annotate(**annotations)


def _decile_column(domain):
    return tables.Column(
        verbose_name=f"{SHORT_DOMAIN_NAMES[domain]} decile",
        accessor=f"{domain.value}_decile",
        default="—",
        attrs=NUMERIC,
    )


class LsoaTable(BaseTable):
    caption = "Leeds LSOAs and their deprivation"

    code = tables.Column(verbose_name="LSOA code", linkify=True)
    name = tables.Column(verbose_name="Name")
    ward = tables.Column(linkify=True, order_by=("ward__name",))
    committee = tables.Column(
        verbose_name="Community committee",
        accessor="ward__committee__name",
        linkify=lambda record: (
            record.ward.committee.get_absolute_url() if record.ward.committee else None
        ),
    )
    population = tables.Column(verbose_name="Population (mid-2015)", attrs=NUMERIC)
    imd_rank = tables.Column(verbose_name="IMD rank", default="—", attrs=NUMERIC)
    imd_decile = tables.Column(verbose_name="IMD decile", default="—", attrs=NUMERIC)
    imd_score = tables.Column(verbose_name="IMD score", default="—", attrs=NUMERIC)
    income_decile = _decile_column(Domain.INCOME)
    employment_decile = _decile_column(Domain.EMPLOYMENT)
    education_decile = _decile_column(Domain.EDUCATION)
    health_decile = _decile_column(Domain.HEALTH)
    crime_decile = _decile_column(Domain.CRIME)
    barriers_decile = _decile_column(Domain.BARRIERS)
    living_environment_decile = _decile_column(Domain.LIVING_ENVIRONMENT)

    class Meta(BaseTable.Meta):
        model = Lsoa
        fields = ()
        sequence = (
            "code",
            "name",
            "ward",
            "committee",
            "population",
            "imd_rank",
            "imd_decile",
            "imd_score",
            "...",
        )
        order_by = ("imd_rank",)
        empty_text = "No LSOAs match these filters."

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        if year:
            self.caption = f"Leeds LSOAs and their deprivation, IMD {year}"

    def render_population(self, value):
        return f"{value:,}"

    def render_imd_rank(self, value):
        return f"{value:,}"

    def value_population(self, value):
        return value

    def value_imd_rank(self, value):
        return value
