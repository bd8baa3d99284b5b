"""The neighbourhoods overview and the admin for targeting and indicators."""

import re

import pytest
from django.urls import reverse

from neighbourhoods.models import PriorityNeighbourhood, Ward
from tests.factories import OutputFactory

URL = reverse("neighbourhoods:index")


def test_it_lists_neighbourhoods_committees_and_wards(client, leeds):
    response = client.get(URL)
    html = response.content.decode()
    assert html.count('href="/neighbourhoods/priority/') == 9
    assert html.count('href="/neighbourhoods/committees/') == 10
    assert html.count('href="/neighbourhoods/wards/') == 33 * 2  # in its committee and the list
    assert "114 of 482 (24%)" in html and "105 of 482 (22%)" in html
    assert html.count("Boundary not yet defined") == 7
    names = re.findall(
        r'<a class="govuk-link" href="/neighbourhoods/priority/[^"]+/">([^<]+)</a>', html
    )
    assert names[:2] == ["Lincoln Green", "New Wortley"]  # initial priority ones, by name
    assert "Open Government Licence v3.0" in html


def test_it_is_in_the_header_navigation(client, leeds):
    html = client.get(reverse("home")).content.decode()
    assert 'class="govuk-service-navigation__link" href="/neighbourhoods/"' in html


def test_it_keeps_a_constant_number_of_queries(client, leeds, django_assert_num_queries):
    # editions, LSOAs, deprivation, neighbourhoods, committees with their wards, wards
    with django_assert_num_queries(7):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "admin:neighbourhoods_ward_change",
        "admin:neighbourhoods_priorityneighbourhood_change",
    ],
)
def test_governance_support_sets_targeted_outputs_in_the_admin(
    client, governance_support, leeds, path
):
    client.force_login(governance_support)
    ward = Ward.objects.get(slug="armley")
    neighbourhood = PriorityNeighbourhood.objects.get(slug="new-wortley")
    obj = ward if "ward" in path else neighbourhood
    response = client.get(reverse(path, args=[obj.pk]))
    assert response.status_code == 200
    assert 'name="targeted_outputs"' in response.content.decode()


def test_an_output_knows_the_areas_it_targets(leeds):
    output = OutputFactory()
    Ward.objects.get(slug="armley").targeted_outputs.add(output)
    PriorityNeighbourhood.objects.get(slug="new-wortley").targeted_outputs.add(output)
    assert [w.slug for w in output.target_wards.all()] == ["armley"]
    assert [n.slug for n in output.target_neighbourhoods.all()] == ["new-wortley"]
