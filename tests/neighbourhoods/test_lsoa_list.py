"""The LSOA table: filters, sorting, exports, htmx and a constant number of queries."""

import csv
import io
import re

import openpyxl
from django.urls import reverse

from neighbourhoods.models import Lsoa

URL = reverse("neighbourhoods:lsoa_list")
_CODE = re.compile(r'<a href="/neighbourhoods/lsoas/(E01\d{6})/">')


def _codes(response) -> list[str]:
    assert response.status_code == 200
    return _CODE.findall(response.content.decode())


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_it_lists_the_most_deprived_first_with_a_caption_and_attribution(client, leeds):
    response = client.get(URL)
    html = response.content.decode()
    assert "<caption" in html and "Leeds LSOAs and their deprivation, IMD 2019" in html
    assert "482 results" in html
    assert "Open Government Licence v3.0" in html
    codes = _codes(response)
    assert len(codes) == 25
    rows = _csv(client.get(URL + "?_export=csv"))
    ranks = [int(r["IMD rank"]) for r in rows]
    assert ranks == sorted(ranks)
    assert codes[0] == rows[0]["LSOA code"]


def test_it_exports_every_matching_row_with_the_published_values(client, leeds):
    rows = _csv(client.get(URL + "?_export=csv"))
    assert len(rows) == 482
    known = next(r for r in rows if r["LSOA code"] == "E01011264")
    assert known["Name"] == "Leeds 011A"
    assert (known["IMD rank"], known["IMD decile"]) == ("13915", "5")
    assert known["Barriers decile"] == "8"


def test_it_exports_xlsx(client, leeds):
    response = client.get(URL + "?_export=xlsx&imd_decile=1")
    assert "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1 + 114


def test_it_filters_by_ward_and_committee(client, leeds):
    rows = _csv(client.get(URL + "?_export=csv&ward=burmantofts-richmond-hill"))
    assert len(rows) == 14
    assert {r["Ward"] for r in rows} == {"Burmantofts & Richmond Hill"}
    rows = _csv(client.get(URL + "?_export=csv&committee=inner-east"))
    assert {r["Community committee"] for r in rows} == {"Inner East"}
    assert len(rows) == Lsoa.objects.filter(ward__committee__slug="inner-east").count()


def test_it_filters_by_imd_decile_in_the_chosen_edition(client, leeds):
    assert len(_csv(client.get(URL + "?_export=csv&imd_decile=1"))) == 114
    rows_2015 = _csv(client.get(URL + "?_export=csv&imd_decile=1&edition=2015"))
    assert len(rows_2015) == 105
    assert {r["IMD decile"] for r in rows_2015} == {"1"}
    assert {r["Income decile"] for r in rows_2015} == {""}


def test_it_filters_by_a_domain_decile(client, leeds):
    rows = _csv(client.get(URL + "?_export=csv&domain=barriers&domain_decile=10"))
    assert rows and {r["Barriers decile"] for r in rows} == {"10"}


def test_it_sorts_by_a_column(client, leeds):
    rows = _csv(client.get(URL + "?_export=csv&sort=-population"))
    populations = [int(r["Population (mid-2015)"].replace(",", "")) for r in rows]
    assert populations == sorted(populations, reverse=True)


def test_htmx_gets_only_the_results(client, leeds):
    response = client.get(URL + "?ward=burmantofts-richmond-hill", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "<caption" in html
    assert len(_codes(response)) == 14
    assert "HX-Request" in response["Vary"]


def test_the_query_count_does_not_grow_with_rows(client, leeds, django_assert_num_queries):
    # editions, the chosen committee, count, rows, the form's ward and committee choices
    with django_assert_num_queries(6):
        response = client.get(URL + "?per_page=100&committee=inner-east")
    assert len(_codes(response)) == 47


def test_a_domain_decile_without_a_domain_is_an_error(client, leeds):
    response = client.get(URL + "?domain_decile=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose the domain whose decile you want" in html
    assert "govuk-error-message" in html
