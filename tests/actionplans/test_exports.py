"""The large exports (the dashboards' drill-down and exceptions, the returns still to come, an
officer's outputs) stream from one values query: the same file as the table's own cells made,
formula-safe, recorded, in a number of queries that does not grow with the rows."""

import datetime
import io
from itertools import cycle

import openpyxl
import pytest
import tablib
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans.dashboards.tables import OutputStatusTable
from actionplans.models import Output, Quarter
from actionplans.services import outstanding_returns
from actionplans.tables import OutstandingReturnTable
from leeds_communities.csvimport import neutralise_formula
from leeds_communities.models import AuditEvent
from leeds_communities.tables import export_response
from tests.downloads import download_body, download_text
from tests.factories import (
    ActionPlanFactory,
    OrganisationFactory,
    OutputFactory,
    QuarterFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db

Q3 = {"year": "2006/07", "quarter": "3"}
FORMULA = '=HYPERLINK("http://example.com","click")'


@pytest.fixture
def quarters():
    return {
        n: QuarterFactory(
            year=2006, number=n, state=Quarter.State.OPEN if n == 4 else Quarter.State.CLOSED
        )
        for n in (2, 3, 4)
    }


def _outputs(quarters, n: int, start: int = 0) -> None:
    """`n` outputs over two plans and two agencies with every status in Q3 2006/07: red two
    quarters running (one with a formula for commentary), amber with a two-line commentary,
    green, white (not yet commenced), blank; some with no due date or lead officer."""
    plans = cycle(
        [
            ActionPlanFactory(name=f"East {start}", programme=None),
            ActionPlanFactory(name=f"+West {start}", programme=None),
        ]
    )
    agencies = cycle(
        [
            OrganisationFactory(name=f"Leeds City Council {start}"),
            OrganisationFactory(name=f"@Police {start}"),
        ]
    )
    kinds = cycle(["red", "amber", "green", "white", "blank"])
    for i in range(start, start + n):
        kind = next(kinds)
        output = OutputFactory(
            plan=next(plans),
            lead_agency=next(agencies),
            ref=f"R{i:03d}",
            title=f"-Output {i}" if i % 7 == 0 else f"Output {i}",
            lead_officer="" if i % 3 == 0 else f"Officer {i}",
            due=None if i % 4 == 0 else datetime.date(2008, 3, 31),
            commencement=datetime.date(2007, 6, 1)
            if kind == "white"
            else datetime.date(2006, 4, 1),
        )
        if kind == "red":
            StatusUpdateFactory(output=output, quarter=quarters[2], rag="RED", commentary="Late")
            StatusUpdateFactory(
                output=output,
                quarter=quarters[3],
                rag="RED",
                commentary=FORMULA if i % 2 else "Still late",
            )
        elif kind in ("amber", "green"):
            StatusUpdateFactory(
                output=output,
                quarter=quarters[3],
                rag=kind.upper(),
                commentary="First line\nsecond line" if kind == "amber" else "On track",
            )


def _as_the_tables_cells_exported_it(table, export_format: str):
    """What the export was before it streamed: the table's own cells through tablib, every
    text cell made formula-safe."""
    values = table.as_values()
    dataset = tablib.Dataset(title=table.Meta.model._meta.verbose_name_plural.title())
    dataset.headers = next(values)
    for row in values:
        dataset.append([neutralise_formula(v) for v in row])
    return dataset.export(export_format)


def _sheet(content: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]


PAGES = {
    "drill-down": (reverse("dashboards:outputs"), Q3, "table"),
    "exceptions": (reverse("dashboards:exceptions"), Q3, "table"),
    "my outputs": (reverse("actionplans:my_outputs"), {}, "my-outputs"),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_streamed_export_is_the_file_the_tables_cells_made(
    client, quarters, governance_support, page, export_format
):
    _outputs(quarters, 12)
    url, query, name = PAGES[page]
    client.force_login(governance_support)
    table = client.get(url, query).context["table"]
    expected = _as_the_tables_cells_exported_it(table, export_format)
    response = client.get(url, {**query, "_export": export_format})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="{name}.{export_format}"'
    if export_format == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert download_text(response) == expected
    else:
        assert _sheet(download_body(response)) == _sheet(expected)


def test_a_formula_in_a_commentary_is_exported_as_text(client, quarters, scrutiny_member):
    _outputs(quarters, 10)
    client.force_login(scrutiny_member)
    response = client.get(reverse("dashboards:exceptions"), {**Q3, "_export": "csv"})
    text = download_text(response)
    assert f'"\'{FORMULA.replace(chr(34), chr(34) * 2)}"' in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert ",'+West 0," in text and ",'@Police 0," in text
    assert "Quarters in a row" in text.splitlines()[0]
    _, rows = _sheet(
        download_body(client.get(reverse("dashboards:exceptions"), {**Q3, "_export": "xlsx"}))
    )
    assert ["'" + FORMULA] in [[cell for cell in row if cell == "'" + FORMULA] for row in rows]


def test_the_returns_download_is_the_file_the_tables_cells_made(
    client, quarters, governance_support
):
    _outputs(quarters, 15)
    client.force_login(governance_support)
    expected = _as_the_tables_cells_exported_it(
        OutstandingReturnTable(outstanding_returns(quarters[3])), "csv"
    )
    response = client.get(reverse("actionplans:returns"), {**Q3, "_export": "csv"})
    assert response.streaming
    assert response["Content-Disposition"] == (
        'attachment; filename="returns-outstanding-2006-07-q3.csv"'
    )
    assert download_text(response) == expected
    assert len(expected.splitlines()) == 1 + 3  # three of the fifteen are blank


@pytest.mark.parametrize(
    ("url", "query"),
    [
        (reverse("dashboards:outputs"), Q3),
        (reverse("dashboards:exceptions"), Q3),
        (reverse("actionplans:returns"), Q3),
        (reverse("actionplans:my_outputs"), {}),
    ],
)
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_an_export_runs_the_same_queries_for_5_rows_as_for_50(
    client, quarters, governance_support, url, query, export_format
):
    client.force_login(governance_support)

    def queries_and_rows():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {**query, "_export": export_format})
            content = download_body(response)  # streamed: the rows are read now
        if export_format == "csv":
            rows = len(content.decode().splitlines()) - 1
        else:
            rows = len(_sheet(content)[1]) - 1
        return len(queries), rows

    _outputs(quarters, 5)
    few, few_rows = queries_and_rows()
    _outputs(quarters, 45, start=5)
    many, many_rows = queries_and_rows()
    assert many_rows == 10 * few_rows > 0
    assert many == few


def test_every_streamed_export_is_recorded(client, quarters, scrutiny_member):
    _outputs(quarters, 5)
    client.force_login(scrutiny_member)
    client.get(reverse("dashboards:outputs"), {**Q3, "status": "RED", "_export": "xlsx"})
    event = AuditEvent.objects.get(action="export")
    assert event.actor == scrutiny_member
    assert event.summary == "Exported Outputs in this selection as XLSX"
    assert "status=RED" in event.detail["path"]


def test_the_public_export_holds_the_published_rows_only(client, quarters):
    _outputs(quarters, 5)
    StatusUpdateFactory(
        output=Output.objects.get(ref="R002"), quarter=quarters[4], rag="RED", commentary="Draft"
    )
    response = client.get(
        reverse("dashboards:outputs"), {"year": "2006/07", "quarter": "4", "_export": "csv"}
    )
    assert "Draft" not in download_text(response)


def test_a_table_that_streams_must_say_how_to_read_every_column(rf, quarters, scrutiny_member):
    class Incomplete(OutputStatusTable):
        export_values = {"ref": "ref"}

    request = rf.get("/")
    request.user = scrutiny_member
    response = export_response(request, Incomplete(Output.objects.all()), "csv", "x")
    with pytest.raises(ImproperlyConfigured, match="title"):
        download_body(response)
