"""The dashboards, for every role: all may read; the public only what closed quarters published."""

import pytest
from django.urls import reverse

from actionplans.models import Quarter
from tests.conftest import PERSONAS
from tests.downloads import download_text
from tests.factories import OutputFactory, QuarterFactory, StatusUpdateFactory
from tests.permissions import over_matrix

ALL = dict.fromkeys(PERSONAS, 200)
NOBODY_POSTS = dict.fromkeys(PERSONAS, 405)

MATRIX = [
    ("dashboards:index", [], "", "get", ALL),
    ("dashboards:index", [], "?format=pdf", "get", ALL),
    ("dashboards:index", [], "", "post", NOBODY_POSTS),
    ("dashboards:trend", [], "", "get", ALL),
    ("dashboards:trend", [], "", "post", NOBODY_POSTS),
    ("dashboards:exceptions", [], "", "get", ALL),
    ("dashboards:exceptions", [], "?_export=csv", "get", ALL),
    ("dashboards:outputs", [], "", "get", ALL),
    ("dashboards:outputs", [], "?_export=xlsx", "get", ALL),
    ("dashboards:outputs", [], "", "post", NOBODY_POSTS),
]


@pytest.fixture
def returns(db):
    closed = QuarterFactory(year=2006, number=3, state=Quarter.State.CLOSED)
    open_ = QuarterFactory(year=2006, number=4, state=Quarter.State.OPEN)
    output = OutputFactory(title="Community centre refurbishment")
    StatusUpdateFactory(output=output, quarter=closed, rag="AMBER", commentary="Published")
    StatusUpdateFactory(output=output, quarter=open_, rag="RED", commentary="Draft return")
    return output


@over_matrix(MATRIX)
def test_each_role_gets_the_expected_status(
    persona, name, args, query, method, expected, persona_client, returns
):
    client = persona_client(persona)
    response = getattr(client, method)(reverse(name, args=args) + query)
    assert response.status_code == expected[persona], (persona, name)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_signed_in_people_see_the_open_quarters_returns(persona, persona_client, returns):
    client = persona_client(persona)
    response = client.get(
        reverse("dashboards:exceptions"), {"year": "2006/07", "quarter": "4", "_export": "csv"}
    )
    body = download_text(response)
    if persona == "anonymous":
        assert "Draft return" not in body
    else:
        assert "Draft return" in body
