"""URLs are part of the contract: reverse and resolve round-trip."""

import pytest
from django.urls import resolve, reverse

ROUTES = [
    ("boards:board_list", {}, "/boards/"),
    ("boards:structure", {}, "/boards/structure/"),
    ("boards:board_detail", {"slug": "communities-board"}, "/boards/communities-board/"),
    (
        "boards:terms_detail",
        {"slug": "communities-board", "version": 2},
        "/boards/communities-board/terms/2/",
    ),
    (
        "boards:terms_compare",
        {"slug": "communities-board"},
        "/boards/communities-board/terms/compare/",
    ),
    ("login", {}, "/accounts/login/"),
    ("logout", {}, "/accounts/logout/"),
    ("home", {}, "/"),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), ROUTES)
def test_it_reverses_and_resolves(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == name
    assert match.kwargs == kwargs
