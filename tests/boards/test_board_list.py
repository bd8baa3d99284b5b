"""The boards register list: filters, sorting, pagination, exports, htmx and query count."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from boards.models import Board, Membership
from tests.factories import BoardFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = reverse("boards:board_list")

# The first cell of each body row links to the board: that link's text is the board's name.
_ROW_NAME = re.compile(
    r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell"><a href="[^"]*">([^<]*)</a>'
)


def _names(response) -> list[str]:
    assert response.status_code == 200
    return _ROW_NAME.findall(response.content.decode())


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def _xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return list(workbook.active.iter_rows(values_only=True))


HEADER = ["Name", "Kind", "Status", "Chair", "Reports to", "Established", "Disbanded"]


@pytest.fixture
def register():
    """A small register: a parent with two sub-boards, a district, and a disbanded board."""
    parent = BoardFactory(name="Leeds Initiative", kind=Board.Kind.CITY_PARTNERSHIP)
    safer = BoardFactory(
        name="Safer and Stronger Communities Board",
        kind=Board.Kind.STRATEGIC_PARTNERSHIP_BOARD,
        status=Board.Status.DISBANDED,
        established=datetime.date(2011, 1, 1),
        disbanded=datetime.date(2013, 6, 1),
        reports_to=parent,
        remit="Safer, stronger and cleaner-greener strands.",
    )
    communities = BoardFactory(
        name="Communities Board",
        kind=Board.Kind.STRATEGIC_PARTNERSHIP_BOARD,
        established=datetime.date(2013, 6, 1),
        reports_to=parent,
        remit="Creating the conditions for the Best City for Communities; the Poverty Truth.",
    )
    east = BoardFactory(
        name="East District Partnership",
        kind=Board.Kind.DISTRICT_PARTNERSHIP,
        established=datetime.date(2004, 9, 1),
        remit="Neighbourhood working in the east of the city.",
    )
    shadow = BoardFactory(
        name="Best City Leadership Network",
        kind=Board.Kind.NETWORK,
        status=Board.Status.SHADOW,
        established=None,
        remit="Succeeds the Leeds Initiative Board.",
    )
    return {
        "parent": parent,
        "safer": safer,
        "communities": communities,
        "east": east,
        "shadow": shadow,
    }


# --- filters -----------------------------------------------------------------------------------


def test_it_lists_every_board_by_name_by_default(client, register):
    assert _names(client.get(URL)) == sorted(b.name for b in register.values())


def test_it_filters_by_kind(client, register):
    names = _names(client.get(URL, {"kind": Board.Kind.STRATEGIC_PARTNERSHIP_BOARD}))
    assert names == ["Communities Board", "Safer and Stronger Communities Board"]


def test_it_filters_by_status(client, register):
    assert _names(client.get(URL, {"status": Board.Status.DISBANDED})) == [
        "Safer and Stronger Communities Board"
    ]
    assert _names(client.get(URL, {"status": Board.Status.SHADOW})) == [
        "Best City Leadership Network"
    ]


def test_it_filters_by_the_parent_boards_slug(client, register):
    names = _names(client.get(URL, {"reports_to": register["parent"].slug}))
    assert names == ["Communities Board", "Safer and Stronger Communities Board"]


def test_it_offers_only_boards_with_sub_boards_as_parents(client, register):
    html = client.get(URL).content.decode()
    select = html[
        html.index('name="reports_to"') : html.index("</select>", html.index("reports_to"))
    ]
    assert f'value="{register["parent"].slug}"' in select
    assert f'value="{register["east"].slug}"' not in select


def test_it_searches_the_name(client, register):
    assert _names(client.get(URL, {"q": "district"})) == ["East District Partnership"]


def test_it_searches_the_remit(client, register):
    assert _names(client.get(URL, {"q": "poverty"})) == ["Communities Board"]


def test_it_needs_every_search_word_to_match_the_name_or_remit(client, register):
    # "communities" is in both SPBs' names; "truth" is only in the Communities Board's remit.
    assert _names(client.get(URL, {"q": "communities truth"})) == ["Communities Board"]
    assert _names(client.get(URL, {"q": "communities nowhere"})) == []


def test_it_combines_filters(client, register):
    query = {
        "kind": Board.Kind.STRATEGIC_PARTNERSHIP_BOARD,
        "status": Board.Status.ACTIVE,
        "reports_to": register["parent"].slug,
        "q": "communities",
    }
    assert _names(client.get(URL, query)) == ["Communities Board"]


def test_it_says_when_no_board_matches(client, register):
    response = client.get(URL, {"q": "zzzz"})
    assert _names(response) == []
    assert "No boards match these filters." in response.content.decode()


def test_bad_filter_input_gives_a_govuk_error_message_not_a_500(client, register):
    response = client.get(URL, {"kind": "nonsense"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert 'class="govuk-error-message"' in html
    assert "nonsense is not one of the available choices" in html


def test_an_unknown_parent_slug_gives_an_error_message(client, register):
    response = client.get(URL, {"reports_to": "no-such-board"})
    assert response.status_code == 200
    assert 'id="id_reports_to-error"' in response.content.decode()


# --- sorting and pagination --------------------------------------------------------------------


def test_it_sorts_by_name(client, register):
    names = sorted(b.name for b in register.values())
    assert _names(client.get(URL, {"sort": "name"})) == names
    assert _names(client.get(URL, {"sort": "-name"})) == names[::-1]


def test_it_sorts_by_established_date(client):
    BoardFactory(name="A 2013", established=datetime.date(2013, 6, 1))
    BoardFactory(name="B 2004", established=datetime.date(2004, 9, 1))
    BoardFactory(name="C 2011", established=datetime.date(2011, 1, 1))
    assert _names(client.get(URL, {"sort": "established"})) == ["B 2004", "C 2011", "A 2013"]
    assert _names(client.get(URL, {"sort": "-established"})) == ["A 2013", "C 2011", "B 2004"]


def test_it_marks_the_sorted_column_for_screen_readers(client, register):
    html = client.get(URL, {"sort": "-name"}).content.decode()
    assert 'aria-sort="descending"' in html


def test_it_shows_25_boards_a_page(client):
    BoardFactory.create_batch(30)
    first = _names(client.get(URL))
    second = _names(client.get(URL, {"page": 2}))
    assert len(first) == 25
    assert len(second) == 5
    assert set(first).isdisjoint(second)
    assert sorted(first + second) == sorted(Board.objects.values_list("name", flat=True))


def test_pagination_keeps_the_filters_and_sort(client):
    BoardFactory.create_batch(30, kind=Board.Kind.DISTRICT_PARTNERSHIP)
    BoardFactory.create_batch(3, kind=Board.Kind.NETWORK)
    response = client.get(URL, {"kind": "district", "sort": "-name", "page": 2})
    names = _names(response)
    assert len(names) == 5
    expected = (
        Board.objects.filter(kind="district").order_by("-name").values_list("name", flat=True)
    )
    assert names == list(expected)[25:]


# --- exports -----------------------------------------------------------------------------------


def test_the_csv_export_has_the_column_headers_and_every_row(client, register):
    rows = _csv_rows(client.get(URL, {"_export": "csv"}))
    assert rows[0] == HEADER
    assert sorted(r[0] for r in rows[1:]) == sorted(b.name for b in register.values())


def test_the_csv_export_is_a_download(client, register):
    response = client.get(URL, {"_export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="boards.csv"'


def test_the_csv_export_keeps_the_filters(client, register):
    rows = _csv_rows(client.get(URL, {"kind": "spb", "status": "active", "_export": "csv"}))
    assert rows == [
        HEADER,
        [
            "Communities Board",
            "Strategic Partnership Board",
            "Active",
            "",
            "Leeds Initiative",
            "2013-06-01",
            "—",
        ],
    ]


def test_the_csv_export_has_every_filtered_row_not_just_the_first_page(client):
    BoardFactory.create_batch(30, kind=Board.Kind.DISTRICT_PARTNERSHIP)
    BoardFactory.create_batch(2, kind=Board.Kind.NETWORK)
    rows = _csv_rows(client.get(URL, {"kind": "district", "_export": "csv"}))
    assert len(rows) == 1 + 30


def test_the_csv_export_names_the_current_chairs(client, register):
    MembershipFactory(
        board=register["communities"],
        person=PersonFactory(name="Cllr Peter Gruen"),
        role=Membership.Role.CHAIR,
    )
    MembershipFactory(
        board=register["communities"],
        person=PersonFactory(name="Former Chair"),
        role=Membership.Role.CHAIR,
        start=datetime.date(2013, 6, 1),
        end=datetime.date(2014, 1, 1),
    )
    rows = _csv_rows(client.get(URL, {"q": "Communities Board", "_export": "csv"}))
    assert rows[1][HEADER.index("Chair")] == "Cllr Peter Gruen"


def test_the_page_links_to_exports_that_keep_the_filters(client, register):
    html = client.get(URL, {"kind": "spb"}).content.decode()
    links = re.findall(r'href="([^"]*_export=[^"]*)"', html)
    assert len(links) == 2
    assert all("kind=spb" in link for link in links)
    assert {re.search(r"_export=(\w+)", link).group(1) for link in links} == {"csv", "xlsx"}


def test_the_xlsx_export_keeps_the_filters(client, register):
    response = client.get(URL, {"reports_to": register["parent"].slug, "_export": "xlsx"})
    rows = _xlsx_rows(response)
    assert list(rows[0]) == HEADER
    assert [r[0] for r in rows[1:]] == ["Communities Board", "Safer and Stronger Communities Board"]
    assert {r[HEADER.index("Reports to")] for r in rows[1:]} == {"Leeds Initiative"}
    assert response["Content-Disposition"] == 'attachment; filename="boards.xlsx"'


def test_an_unsupported_export_format_renders_the_html_page(client, register):
    response = client.get(URL, {"_export": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert "<html" in response.content.decode()
    assert len(_names(response)) == len(register)


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://x")', '+HYPERLINK("http://x")', "@SUM(A1:A2)", "-1+1"],
)
def test_the_csv_export_neutralises_a_formula_in_the_name(client, name):
    BoardFactory(name=name, slug="formula")
    rows = _csv_rows(client.get(URL, {"_export": "csv"}))
    assert rows[1][0] == "'" + name


def test_the_xlsx_export_neutralises_a_formula_so_it_is_text_not_a_formula(client):
    BoardFactory(name='=HYPERLINK("http://x")', slug="formula")
    response = client.get(URL, {"_export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cell = workbook.active["A2"]
    assert cell.value == '\'=HYPERLINK("http://x")'
    assert cell.data_type == "s"


def test_the_export_neutralises_a_formula_in_a_chairs_name(client):
    board = BoardFactory(name="Plain board")
    MembershipFactory(board=board, person=PersonFactory(name="=cmd|' /C calc'!A0"), role="chair")
    rows = _csv_rows(client.get(URL, {"_export": "csv"}))
    assert rows[1][HEADER.index("Chair")] == "'=cmd|' /C calc'!A0"


def test_the_html_page_shows_a_formula_name_as_typed(client):
    BoardFactory(name='=HYPERLINK("http://x")', slug="formula")
    assert _names(client.get(URL)) == ["=HYPERLINK(&quot;http://x&quot;)"]


# --- htmx --------------------------------------------------------------------------------------


def test_an_htmx_request_gets_only_the_results_fragment(client, register):
    response = client.get(URL, {"kind": "spb"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="board-filter"' not in html
    assert _names(response) == ["Communities Board", "Safer and Stronger Communities Board"]
    assert "Download these 2 rows" in html


def test_a_normal_request_gets_the_whole_page(client, register):
    html = client.get(URL).content.decode()
    assert "<html" in html
    assert 'id="board-filter"' in html
    assert 'id="board-results"' in html


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_the_response_varies_on_hx_request(client, register, headers):
    response = client.get(URL, headers=headers)
    assert "HX-Request" in [v.strip() for v in response["Vary"].split(",")]


def test_an_htmx_history_restore_request_gets_the_whole_page(client, register):
    response = client.get(
        URL,
        {"kind": "spb"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


# --- query count -------------------------------------------------------------------------------


def _boards_with_parents_and_chairs(n):
    parents = BoardFactory.create_batch(n, kind=Board.Kind.CITY_PARTNERSHIP)
    for parent in parents:
        board = BoardFactory(reports_to=parent)
        MembershipFactory(board=board, role=Membership.Role.CHAIR)


LIST_QUERIES = 4  # count, page of boards (+ parents), current chairs, parent choices
EXPORT_QUERIES = 3  # every board (+ parents), chairs, audit row: no page counted


@pytest.mark.parametrize("n", [60, 120])
def test_the_list_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, n):
    _boards_with_parents_and_chairs(n)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(URL, {"kind": Board.Kind.PARTNERSHIP})
    names = _names(response)
    assert len(names) == 25
    assert "Person" in response.content.decode()  # the chairs are shown


@pytest.mark.parametrize("n", [60, 120])
def test_the_csv_export_runs_a_fixed_number_of_queries(client, django_assert_num_queries, n):
    _boards_with_parents_and_chairs(n)
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(URL, {"kind": Board.Kind.PARTNERSHIP, "_export": "csv"})
    rows = _csv_rows(response)
    assert len(rows) == 1 + n
    assert all(row[HEADER.index("Chair")] for row in rows[1:])
    assert all(row[HEADER.index("Reports to")] for row in rows[1:])
