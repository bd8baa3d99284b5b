"""Neighbourhoods URLs reverse and resolve round-trip."""

import pytest
from django.urls import resolve, reverse

ROUTES = [
    ("neighbourhoods:indicator_list", {}, "/neighbourhoods/indicators/"),
    (
        "neighbourhoods:indicator_detail",
        {"slug": "residents-feeling-safe"},
        "/neighbourhoods/indicators/residents-feeling-safe/",
    ),
    ("neighbourhoods:index", {}, "/neighbourhoods/"),
    ("neighbourhoods:map", {}, "/neighbourhoods/map/"),
    ("neighbourhoods:lsoa_list", {}, "/neighbourhoods/lsoas/"),
    ("neighbourhoods:lsoa_detail", {"code": "E01011264"}, "/neighbourhoods/lsoas/E01011264/"),
    ("neighbourhoods:ward_detail", {"slug": "armley"}, "/neighbourhoods/wards/armley/"),
    (
        "neighbourhoods:committee_detail",
        {"slug": "inner-east"},
        "/neighbourhoods/committees/inner-east/",
    ),
    (
        "neighbourhoods:priority_detail",
        {"slug": "new-wortley"},
        "/neighbourhoods/priority/new-wortley/",
    ),
    (
        "neighbourhoods:priority_lsoas",
        {"slug": "new-wortley"},
        "/neighbourhoods/priority/new-wortley/lsoas/",
    ),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), ROUTES)
def test_it_reverses_and_resolves(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == name
    assert match.kwargs == kwargs
