"""Area profiles: the published figures, comparisons, outputs targeting the area, indicators,
and a constant number of queries."""

import datetime
import html as html_lib
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from actionplans.models import Output
from neighbourhoods.models import (
    AreaType,
    Deprivation,
    Indicator,
    IndicatorValue,
    Lsoa,
    PriorityNeighbourhood,
    Ward,
)
from tests.factories import OutputFactory, QuarterFactory, StatusUpdateFactory

IMD_2019_SET = "leeds-lsoas-in-the-most-deprived-1-nationally-imd-2019"


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _row(response, label: str) -> dict:
    """The comparison table's row for `label`, as {column header: cell text}."""
    html = html_lib.unescape(response.content.decode())
    table = html[html.index('id="comparison"') :]
    table = table[: table.index("</table>")]
    headers = [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table)
    ]
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0] == label:
            return dict(zip(headers, cells, strict=True))
    raise AssertionError(f"no row {label!r}")


def test_a_known_lsoa_shows_its_published_ranks_and_deciles(client, leeds):
    response = client.get(reverse("neighbourhoods:lsoa_detail", args=["E01011264"]))
    text = _text(response)
    assert "Leeds 011A" in text
    assert "IMD 2019: rank 13,915 of 32,844, decile 5." in text
    # IMD 2015 beside it, and the move between the editions
    assert "IMD 2015 (rank 18,951, decile 6)" in text or "rank 18,951" in text
    assert "relatively more deprived in 2019 than in 2015" in text
    assert "Open Government Licence v3.0" in text and "Office for National Statistics" in text


def test_an_lsoa_is_compared_with_its_ward_committee_leeds_and_england(client, leeds):
    lsoa = Lsoa.objects.select_related("ward__committee").get(code="E01011264")
    response = client.get(reverse("neighbourhoods:lsoa_detail", args=[lsoa.code]))
    ward_row = _row(response, f"{lsoa.ward.name} ward")
    assert ward_row["LSOAs"] == str(lsoa.ward.lsoas.count())
    assert _row(response, str(lsoa.ward.committee))
    leeds_row = _row(response, "Leeds")
    assert leeds_row["In most deprived 10%, IMD 2019"] == "24% (114)"
    assert leeds_row["In most deprived 10%, IMD 2015"] == "22% (105)"
    assert leeds_row["Population (mid-2015)"] == "771,857"
    england = _row(response, "England")
    assert england["LSOAs"] == "32,844"
    assert england["In most deprived 10%, IMD 2019"] == "10%"


def test_a_ward_profile_counts_its_lsoas_by_decile_and_compares(client, leeds):
    ward = Ward.objects.get(slug="burmantofts-richmond-hill")
    in_decile_1 = Deprivation.objects.filter(
        lsoa__ward=ward, edition__year=2019, domain="imd", decile=1
    ).count()
    response = client.get(reverse("neighbourhoods:ward_detail", args=[ward.slug]))
    row = _row(response, "Burmantofts & Richmond Hill ward (this area)")
    total = ward.lsoas.count()
    assert row["LSOAs"] == str(total)
    assert (
        row["In most deprived 10%, IMD 2019"] == f"{100 * in_decile_1 / total:.0f}% ({in_decile_1})"
    )
    assert _row(response, "Inner East Community Committee")
    summary = response.context["summary"]
    assert sum(summary.distribution[(2019, "imd")]) == total
    assert summary.distribution[(2019, "imd")][0] == in_decile_1


def test_a_committee_profile_compares_each_of_its_wards(client, leeds):
    response = client.get(reverse("neighbourhoods:committee_detail", args=["inner-east"]))
    for ward in Ward.objects.filter(committee__slug="inner-east"):
        assert _row(response, f"{ward.name} ward")["LSOAs"] == str(ward.lsoas.count())


def test_the_imd_2019_set_profile_shows_its_twelve_lsoas(client, leeds):
    response = client.get(reverse("neighbourhoods:priority_detail", args=[IMD_2019_SET]))
    row = _row(response, "Leeds LSOAs in the most deprived 1% nationally (IMD 2019) (this area)")
    assert row["LSOAs"] == "12"
    assert row["In most deprived 10%, IMD 2019"] == "100% (12)"
    assert len(response.context["map"]["highlighted"]) == 12


def test_a_neighbourhood_without_lsoas_says_its_boundary_is_not_defined(client, leeds):
    text = _text(client.get(reverse("neighbourhoods:priority_detail", args=["new-wortley"])))
    assert "Boundary not yet defined" in text
    assert "Choose its LSOAs" not in text  # only governance support sees the link


@pytest.fixture
def targeted(leeds):
    """Outputs aimed at a ward and at the IMD 2019 set, with reported and derived statuses."""
    quarter = QuarterFactory(year=2006, number=3, state="closed")  # published
    ward = Ward.objects.get(slug="burmantofts-richmond-hill")
    red = OutputFactory(ref="NE001", title="Open a youth centre")
    StatusUpdateFactory(output=red, quarter=quarter, rag="RED", commentary="Site not secured.")
    blank = OutputFactory(ref="NE002", title="Clean the becks")
    future = OutputFactory(
        ref="NE003", title="Start a food bank", commencement=datetime.date(2008, 1, 1)
    )
    elsewhere = OutputFactory(ref="NE004", title="Somewhere else")
    ward.targeted_outputs.add(red, blank)
    PriorityNeighbourhood.objects.get(slug=IMD_2019_SET).targeted_outputs.add(future)
    Ward.objects.get(slug="adel-wharfedale").targeted_outputs.add(elsewhere)
    return quarter


def test_a_profile_lists_the_outputs_targeting_it_with_their_status_in_words(client, targeted):
    text = _text(
        client.get(reverse("neighbourhoods:ward_detail", args=["burmantofts-richmond-hill"]))
    )
    assert "NE001 Open a youth centre" in text and "Red" in text
    assert "NE002 Clean the becks" in text and "Blank" in text
    assert "NE003" not in text and "NE004" not in text
    assert "Quarter 3 2006/07" in text


def test_the_public_sees_the_published_quarter_not_the_open_one(client, targeted, officer):
    q4 = QuarterFactory(year=2006, number=4, state="open")
    red = Output.objects.get(ref="NE001")
    StatusUpdateFactory(output=red, quarter=q4, rag="GREEN")
    url = reverse("neighbourhoods:ward_detail", args=["burmantofts-richmond-hill"])
    assert "Quarter 3 2006/07" in _text(client.get(url))
    client.force_login(officer)
    assert "Quarter 3 2006/07" in _text(client.get(url))  # reading pages open on the published


def test_an_lsoa_shows_outputs_for_its_ward_and_its_neighbourhoods(client, targeted):
    lsoa = (
        PriorityNeighbourhood.objects.get(slug=IMD_2019_SET)
        .lsoas.filter(ward__slug="burmantofts-richmond-hill")
        .first()
    )
    text = _text(client.get(reverse("neighbourhoods:lsoa_detail", args=[lsoa.code])))
    assert "NE001" in text and "NE002" in text
    assert "NE003 Start a food bank" in text and "White" in text


def test_a_profile_shows_indicator_values_beside_ward_and_city(client, leeds):
    indicator = Indicator.objects.create(
        name="Test indicator",
        slug="test-indicator",
        unit="%",
        higher_is_better=True,
        illustrative=True,
    )
    ward = Ward.objects.get(slug="burmantofts-richmond-hill")
    lsoa = ward.lsoas.first()
    for area_type, code, value in [
        (AreaType.LSOA, lsoa.code, "12.5"),
        (AreaType.WARD, ward.code, "20"),
        (AreaType.CITY, "E08000035", "33.25"),
    ]:
        IndicatorValue.objects.create(
            indicator=indicator,
            area_type=area_type,
            area_code=code,
            period="2019/20",
            value=Decimal(value),
        )
    response = client.get(reverse("neighbourhoods:lsoa_detail", args=[lsoa.code]))
    (table,) = response.context["indicators"]
    assert table.columns == ["This area", "Burmantofts & Richmond Hill ward", "Leeds"]
    assert table.rows == [
        {"period": "2019/20", "values": [Decimal("12.5"), Decimal("20"), Decimal("33.25")]}
    ]
    text = _text(response)
    assert "Test indicator (%; higher is better) Illustrative figures" in text
    assert "2019/20 12.5 20 33.25" in text


@pytest.mark.parametrize(
    ("name", "arg", "queries"),
    [
        ("lsoa_detail", "E01011264", 10),
        ("ward_detail", "burmantofts-richmond-hill", 10),
        ("committee_detail", "inner-east", 10),
        ("priority_detail", IMD_2019_SET, 11),
    ],
)
def test_profiles_keep_a_constant_number_of_queries(
    client, targeted, django_assert_num_queries, name, arg, queries
):
    with django_assert_num_queries(queries):
        response = client.get(reverse(f"neighbourhoods:{name}", args=[arg]))
    assert response.status_code == 200
