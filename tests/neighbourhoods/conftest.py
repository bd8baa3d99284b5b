"""The real Leeds data, imported once per test module (about a second) and removed after it, so
the tests read the published figures without re-importing them for every test."""

import pytest

from neighbourhoods.data import import_neighbourhood_data, seed_priority_neighbourhoods
from neighbourhoods.models import (
    CommunityCommittee,
    Deprivation,
    ImdEdition,
    Indicator,
    Lsoa,
    PriorityNeighbourhood,
    Ward,
)


def _remove_leeds_data():
    Indicator.objects.all().delete()
    PriorityNeighbourhood.objects.all().delete()
    Deprivation.objects.all().delete()
    Lsoa.objects.all().delete()
    Ward.objects.all().delete()
    CommunityCommittee.objects.all().delete()
    ImdEdition.objects.all().delete()


@pytest.fixture(scope="module")
def _leeds_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        import_neighbourhood_data()
        seed_priority_neighbourhoods()
    yield
    with django_db_blocker.unblock():
        _remove_leeds_data()


@pytest.fixture
def leeds(_leeds_module, db):
    """The 482 LSOAs, 33 wards, 10 committees, IMD 2015/2019 and the priority neighbourhoods;
    each test's own changes are rolled back as usual."""
    return None
