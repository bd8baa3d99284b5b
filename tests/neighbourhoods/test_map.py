"""The server-drawn map: one linked, named path per LSOA, accessible and printable."""

import re

import pytest
from django.urls import reverse

from leeds_communities.pdf import render_pdf

URL = reverse("neighbourhoods:map")
_AREA = re.compile(
    r'<a href="(/neighbourhoods/lsoas/(E01\d{6})/)" aria-label="([^"]+)">'
    r'<path d="M[^"]+" fill="(#[0-9a-f]{6})"/></a>'
)


def _svg(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index("<svg xmlns")
    return html[start : html.index("</svg>", start) + 6]


def test_it_draws_one_linked_named_path_per_lsoa(client, leeds):
    svg = _svg(client.get(URL))
    areas = _AREA.findall(svg)
    assert len(areas) == 482
    assert len({code for _, code, _, _ in areas}) == 482
    named = {code: label for _, code, label, _ in areas}
    assert named["E01011264"] == "Leeds 011A (E01011264), Otley &amp; Yeadon: decile 5"
    assert (
        '<title id="map-title">Leeds LSOAs by Index of Multiple Deprivation 2019 decile</title>'
        in svg
    )
    assert '<desc id="map-desc">' in svg
    assert svg.count("<path") == 482 + 33  # and the ward outlines


def test_it_shades_by_a_chosen_domain(client, leeds):
    imd = {c: f for _, c, _, f in _AREA.findall(_svg(client.get(URL)))}
    barriers = {c: f for _, c, _, f in _AREA.findall(_svg(client.get(URL + "?domain=barriers")))}
    assert barriers["E01011264"] != imd["E01011264"]  # decile 8 for barriers, 5 overall
    assert (
        "Barriers to housing and services 2019"
        in client.get(URL + "?domain=barriers").content.decode()
    )


def test_an_unknown_domain_or_edition_falls_back_to_the_imd(client, leeds):
    response = client.get(URL + "?domain=nonsense&edition=1999")
    assert len(_AREA.findall(_svg(response))) == 482
    assert "Index of Multiple Deprivation 2019" in response.content.decode()


def test_2015_has_only_the_overall_index(client, leeds):
    response = client.get(URL + "?domain=income&edition=2015")
    assert "Index of Multiple Deprivation 2015" in _svg(response)


def test_it_offers_the_map_as_a_table(client, leeds):
    html = client.get(URL).content.decode()
    assert "The map as a table" in html
    assert (
        html.count(
            '<td class="govuk-table__cell"><a class="govuk-link" href="/neighbourhoods/lsoas/'
        )
        == 482
    )


def test_a_profile_map_zooms_to_the_area_and_outlines_it(client, leeds):
    response = client.get(reverse("neighbourhoods:ward_detail", args=["burmantofts-richmond-hill"]))
    map_ = response.context["map"]
    assert map_["zoomed"]
    assert len(map_["highlighted"]) == 14
    assert 14 < len(map_["areas"]) < 482  # the neighbours in view, not the whole city


def test_the_svg_stays_small(client, leeds):
    assert len(_svg(client.get(URL)).encode()) < 150_000


@pytest.mark.parametrize("path", [URL, reverse("neighbourhoods:lsoa_detail", args=["E01011264"])])
def test_weasyprint_prints_a_page_with_the_map(client, leeds, path):
    html = client.get(path).content.decode()
    pdf = render_pdf(html)
    assert pdf.content.startswith(b"%PDF")
    assert pdf.page_count >= 1


def test_the_map_keeps_a_constant_number_of_queries(client, leeds, django_assert_num_queries):
    # editions, LSOAs, deprivation values, then the map's LSOA outlines and ward outlines
    with django_assert_num_queries(5):
        response = client.get(URL + "?domain=income")
    assert response.status_code == 200


def test_a_single_lsoa_is_shown_among_its_neighbours(client, leeds):
    response = client.get(reverse("neighbourhoods:lsoa_detail", args=["E01011264"]))
    map_ = response.context["map"]
    width = float(map_["view_box"].split()[2])
    assert width >= 160
    assert [a.code for a in map_["highlighted"]] == ["E01011264"]
    assert len(map_["areas"]) > 5


def test_keyboard_users_can_skip_the_maps_links(client, leeds):
    html = client.get("/neighbourhoods/map/").content.decode()
    skip = html.index('href="#after-map"')
    assert skip < html.index("<svg") < html.index('id="after-map"')
