"""Governance support chooses the LSOAs of a named priority neighbourhood in the browser."""

import pytest
from django.urls import reverse

from leeds_communities.models import AuditEvent
from neighbourhoods.models import PriorityNeighbourhood

URL = reverse("neighbourhoods:priority_lsoas", args=["new-wortley"])


def _new_wortley():
    return PriorityNeighbourhood.objects.get(slug="new-wortley")


def test_the_form_groups_every_lsoa_by_ward(client, governance_support, leeds):
    client.force_login(governance_support)
    html = client.get(URL).content.decode()
    assert html.count('type="checkbox"') == 482
    assert html.count('<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">') == 33
    assert "LSOAs in Armley" in html


def test_governance_support_chooses_lsoas_and_the_wards_follow(client, governance_support, leeds):
    client.force_login(governance_support)
    response = client.post(URL, {"lsoas": ["E01011264", "E01011265"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("neighbourhoods:priority_detail", args=["new-wortley"])
    neighbourhood = _new_wortley()
    assert sorted(neighbourhood.lsoas.values_list("code", flat=True)) == ["E01011264", "E01011265"]
    assert sorted(neighbourhood.wards.values_list("name", flat=True)) == [
        "Guiseley & Rawdon",
        "Otley & Yeadon",
    ]
    assert "Boundary not yet defined" not in neighbourhood.description
    event = AuditEvent.objects.get(action="set_priority_lsoas")
    assert event.actor == governance_support
    assert event.detail["added"] == ["E01011264", "E01011265"]
    page = client.get(response["Location"]).content.decode()
    assert "New Wortley now has 2 LSOAs." in page
    assert "Boundary not yet defined" not in page


def test_the_form_shows_the_current_choice(client, governance_support, leeds):
    _new_wortley().lsoas.set(PriorityNeighbourhood.objects.none())
    client.force_login(governance_support)
    client.post(URL, {"lsoas": ["E01011264"]})
    html = client.get(URL).content.decode()
    assert 'value="E01011264" checked' in html
    assert html.count(" checked") == 1


def test_unticking_everything_marks_the_boundary_undefined_again(client, governance_support, leeds):
    client.force_login(governance_support)
    client.post(URL, {"lsoas": ["E01011264"]})
    client.post(URL, {})
    neighbourhood = _new_wortley()
    assert not neighbourhood.lsoas.exists() and not neighbourhood.wards.exists()
    assert "Boundary not yet defined" in neighbourhood.description


def test_an_unknown_code_is_an_error_and_nothing_is_written(client, governance_support, leeds):
    client.force_login(governance_support)
    response = client.post(URL, {"lsoas": ["E01011264", "E01999999"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "E01999999" in html
    assert not _new_wortley().lsoas.exists()
    assert not AuditEvent.objects.filter(action="set_priority_lsoas").exists()


@pytest.mark.parametrize("persona", ["officer", "chair", "scrutiny_member"])
def test_other_roles_are_refused_and_nothing_is_written(persona_client, persona, leeds):
    response = persona_client(persona).post(URL, {"lsoas": ["E01011264"]})
    assert response.status_code == 403
    assert not _new_wortley().lsoas.exists()


def test_the_computed_sets_cannot_be_chosen(client, governance_support, leeds):
    client.force_login(governance_support)
    url = reverse(
        "neighbourhoods:priority_lsoas",
        args=["leeds-lsoas-in-the-most-deprived-1-nationally-imd-2019"],
    )
    assert client.post(url, {"lsoas": ["E01011264"]}).status_code == 404
    assert PriorityNeighbourhood.objects.get(slug__endswith="imd-2019").lsoas.count() == 12


def test_governance_support_sees_the_link_on_the_profile(client, governance_support, leeds):
    client.force_login(governance_support)
    html = client.get(reverse("neighbourhoods:priority_detail", args=["new-wortley"])).content
    assert b"Choose its LSOAs" in html
