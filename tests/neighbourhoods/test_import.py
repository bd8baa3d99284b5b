"""The real Leeds data loads completely, matches its published facts, and re-imports as a no-op."""

import csv

import pytest
from django.core.management import call_command
from django.db.models import Sum

from neighbourhoods.data import (
    default_directory,
    import_neighbourhood_data,
    seed_priority_neighbourhoods,
)
from neighbourhoods.models import (
    CommunityCommittee,
    Deprivation,
    Domain,
    ImdEdition,
    Lsoa,
    PriorityNeighbourhood,
    Ward,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    return import_neighbourhood_data()


def test_it_loads_every_area(imported):
    assert Ward.objects.count() == 33
    assert CommunityCommittee.objects.count() == 10
    assert Lsoa.objects.count() == 482
    assert not Ward.objects.filter(committee__isnull=True).exists()
    assert not Lsoa.objects.filter(boundary__isnull=True).exists()
    assert not Ward.objects.filter(boundary__isnull=True).exists()


def test_each_committee_has_three_or_four_wards(imported):
    sizes = {c.name: c.wards.count() for c in CommunityCommittee.objects.all()}
    assert set(sizes.values()) <= {3, 4}
    assert sum(sizes.values()) == 33


def test_population_matches_the_published_leeds_total(imported):
    assert Lsoa.objects.aggregate(total=Sum("population"))["total"] == 771_857


def test_deprivation_deciles_match_the_sources(imported):
    imd2019 = Deprivation.objects.filter(edition__year=2019, domain=Domain.IMD)
    imd2015 = Deprivation.objects.filter(edition__year=2015, domain=Domain.IMD)
    assert imd2019.count() == imd2015.count() == 482
    assert imd2019.filter(decile=1).count() == 114
    assert imd2015.filter(decile=1).count() == 105
    for domain in Domain:
        assert Deprivation.objects.filter(edition__year=2019, domain=domain).count() == 482


def test_a_known_lsoa_carries_its_published_values(imported):
    lsoa = Lsoa.objects.get(code="E01011264")
    assert lsoa.name == "Leeds 011A"
    assert lsoa.population == 1252
    values = {(d.edition.year, d.domain): d for d in lsoa.deprivation.select_related("edition")}
    assert (values[(2019, "imd")].rank, values[(2019, "imd")].decile) == (13915, 5)
    assert (values[(2019, "barriers")].rank, values[(2019, "barriers")].decile) == (23793, 8)
    assert str(values[(2019, "income")].score) == "8.800"
    assert (values[(2015, "imd")].rank, str(values[(2015, "imd")].score)) == (18951, "14.692")


def test_running_it_twice_changes_nothing(imported):
    again = import_neighbourhood_data()
    assert not again.changed
    assert Deprivation.objects.count() == 482 * 8 + 482


def test_a_changed_value_is_updated_not_duplicated(imported):
    Lsoa.objects.filter(code="E01011264").update(population=1)
    again = import_neighbourhood_data()
    assert again.updated["LSOAs"] == 1
    assert Lsoa.objects.get(code="E01011264").population == 1252


def test_the_command_reports_nothing_changed_the_second_time(capsys):
    call_command("import_neighbourhood_data")
    call_command("import_neighbourhood_data")
    assert "Nothing changed." in capsys.readouterr().out


def test_the_national_one_percent_sets_are_computed_16_then_12(imported):
    seed_priority_neighbourhoods()
    for year, expected in [(2015, 16), (2019, 12)]:
        edition = ImdEdition.objects.get(year=year)
        neighbourhood = PriorityNeighbourhood.objects.get(
            tier=PriorityNeighbourhood.Tier.NATIONAL_1PCT, edition=edition
        )
        assert neighbourhood.lsoas.count() == expected
        worst = neighbourhood.lsoas.filter(
            deprivation__edition=edition, deprivation__domain="imd"
        ).values_list("deprivation__rank", flat=True)
        assert max(worst) <= 328


def test_named_neighbourhoods_have_no_invented_boundaries(imported):
    seed_priority_neighbourhoods()
    seed_priority_neighbourhoods()
    named = PriorityNeighbourhood.objects.filter(tier=PriorityNeighbourhood.Tier.INITIAL_PRIORITY)
    assert sorted(named.values_list("name", flat=True)) == [
        "Lincoln Green",
        "New Wortley",
        "The Beverleys",
        "The Holdsforths",
        "The Nowells",
        "The Recreations",
    ]
    assert all(n.lsoas.count() == 0 for n in named)
    assert all("Boundary not yet defined" in n.description for n in named)


def test_the_computed_sets_match_the_derived_file(imported):
    """The data folder's DERIVED list was made independently of this code: both agree."""
    seed_priority_neighbourhoods()
    path = default_directory() / (
        "leeds_lsoa11_in_national_1pct_most_deprived_2015_2019_DERIVED.csv"
    )
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for year in (2015, 2019):
        expected = {r["lsoa11_code"] for r in rows if r[f"in_1pct_{year}"] in ("True", "TRUE", "1")}
        computed = set(
            PriorityNeighbourhood.objects.get(
                tier=PriorityNeighbourhood.Tier.NATIONAL_1PCT, edition__year=year
            ).lsoas.values_list("code", flat=True)
        )
        assert computed == expected


def test_boggart_hill_is_seeded_without_a_boundary(imported):
    seed_priority_neighbourhoods()
    boggart_hill = PriorityNeighbourhood.objects.get(slug="boggart-hill")
    assert not boggart_hill.lsoas.exists()
    assert "Boundary not yet defined" in boggart_hill.description
