"""Before the reference data is imported the pages still answer (a new install)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_map_says_there_are_no_boundaries(client):
    response = client.get(reverse("neighbourhoods:map"))
    assert response.status_code == 200
    assert b"No boundaries have been loaded" in response.content


@pytest.mark.parametrize("name", ["neighbourhoods:index", "neighbourhoods:lsoa_list"])
def test_the_lists_are_empty(client, name):
    assert client.get(reverse(name)).status_code == 200
