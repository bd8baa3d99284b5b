"""One Table class per list serves the page, the CSV/XLSX export and the printed table.

Exports are written here and nowhere else: the header is the table's own column headers, every
text cell is made safe against formula injection, and every export is recorded. A table that
declares `export_values` (a `.values()` field per exported column) is exported row by row from
one values query, streamed, in a constant number of queries and constant memory whatever the
number of rows; the others (short registers) are exported through their own cells."""

import csv
import datetime
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import django_tables2 as tables
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.encoding import force_str
from django_filters.views import FilterView
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from leeds_communities.csvimport import neutralise_formula
from leeds_communities.security import record_export

CSV = "csv"
XLSX = "xlsx"
EXPORT_FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Rows fetched from the database at a time, and CSV rows sent to the client at a time.
CHUNK_SIZE = 2000
CSV_ROWS_PER_WRITE = 500
# Excel's limit on a sheet's name, and the characters it refuses in one.
_SHEET_TITLE_LENGTH = 31
_SHEET_TITLE_REFUSED = str.maketrans(dict.fromkeys("\\/*?:[]", "-"))


@dataclass(frozen=True)
class Cell:
    """How an exported column reads its value from a `.values()` row: a field, and what turns
    the field's value into the exported one (called only when the value is not empty)."""

    field: str
    convert: Callable[[Any], Any] | None = None


def _date_export(default) -> Callable[[Any], Any]:
    """As django-tables2 exports a date column: ISO 8601, or the column's default if empty."""

    def convert(value):
        return value.isoformat() if isinstance(value, datetime.date) else default

    return convert


class BaseTable(tables.Table):
    """Project defaults: GOV.UK table markup with a caption, sortable by real links."""

    caption = ""
    # Column name → the values field it exports (or a Cell). Declared, the table is exported by
    # streaming from a values query; a column left out is an error, not a silent blank.
    export_values: ClassVar[dict[str, str | Cell]] = {}

    class Meta:
        template_name = "tables/govuk_table.html"
        attrs = {"class": "govuk-table", "th": {"class": "govuk-table__header"}}


# --- reading the rows --------------------------------------------------------------------------


def _exported_columns(table: tables.Table):
    return [c for c in table.columns.iterall() if not c.column.exclude_from_export]


def export_header(table: tables.Table) -> list:
    return [force_str(c.header, strings_only=True) for c in _exported_columns(table)]


def _reader(bound_column, spec: str | Cell) -> Callable[[dict], Any]:
    cell = spec if isinstance(spec, Cell) else Cell(spec)
    convert = cell.convert
    if convert is None and isinstance(
        bound_column.column, tables.DateColumn | tables.DateTimeColumn
    ):
        convert = _date_export(bound_column.default)
    field, empty = cell.field, bound_column.column.empty_values

    def read(row: dict):
        value = row[field]
        if value in empty:
            return None  # as an empty cell exports through the table
        return convert(value) if convert else value

    return read


def _value_rows(table: BaseTable) -> Iterator[list]:
    """The table's rows from one values query over its (filtered, sorted) queryset."""
    columns = _exported_columns(table)
    missing = [c.name for c in columns if c.name not in table.export_values]
    if missing:
        raise ImproperlyConfigured(f"{type(table).__name__}.export_values lacks {missing}")
    readers = [_reader(c, table.export_values[c.name]) for c in columns]
    fields = {"pk"} | {
        spec.field if isinstance(spec, Cell) else spec
        for name, spec in table.export_values.items()
        if name in {c.name for c in columns}
    }
    queryset: QuerySet = table.data.data
    if queryset.query.is_empty():
        return  # `.none()`, which may lack the annotations the fields name
    # Pinned now: the rows are read after the view returns, when a router's choice (the read
    # replica) may no longer hold.
    rows = queryset.using(queryset.db).values(*sorted(fields)).iterator(chunk_size=CHUNK_SIZE)
    for row in rows:
        yield [read(row) for read in readers]


def _cell_rows(table: tables.Table) -> Iterator[list]:
    values = table.as_values()
    next(values)  # the header
    yield from values


def streams(table: tables.Table) -> bool:
    return bool(getattr(table, "export_values", None)) and isinstance(table.data.data, QuerySet)


def export_rows(table: tables.Table) -> Iterator[list]:
    return _value_rows(table) if streams(table) else _cell_rows(table)


# --- writing them ------------------------------------------------------------------------------


def _safe(row: Iterable) -> list:
    return [neutralise_formula(force_str(v, strings_only=True)) for v in row]


class _Lines(io.StringIO):
    def take(self) -> str:
        text = self.getvalue()
        self.seek(0)
        self.truncate()
        return text


def csv_chunks(header: list, rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text, a few hundred rows at a time; header as given, every cell made safe."""
    buffer = _Lines()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow(_safe(row))
        if n % CSV_ROWS_PER_WRITE == 0:
            yield buffer.take()
    yield buffer.take()


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(header: list, rows: Iterable[Iterable], filename: str, *, stream=True):
    """A CSV download named `filename` (with its extension), streamed unless told not to."""
    chunks = csv_chunks(header, rows)
    if stream:
        response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[CSV])
    else:
        response = HttpResponse("".join(chunks), content_type=CONTENT_TYPES[CSV])
    return _attachment(response, filename)


def _sheet_title(table: tables.Table) -> str:
    try:
        title = table.Meta.model._meta.verbose_name_plural.title()
    except AttributeError:
        title = "Export Data"
    return str(title).translate(_SHEET_TITLE_REFUSED)[:_SHEET_TITLE_LENGTH]


def xlsx_file(title: str, header: list, rows: Iterable[Iterable]):
    """The workbook in a temporary file, written a row at a time (openpyxl's write-only mode
    keeps memory flat): bold header frozen at the top, multi-line cells wrapped."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(len(str(name)) + 2, 12)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True)

    def styled(value, **style):
        cell = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    sheet.append([styled(name, font=bold) for name in header])
    for row in rows:
        sheet.append(
            [
                styled(v, alignment=wrap) if isinstance(v, str) and "\n" in v else v
                for v in _safe(row)
            ]
        )
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(file)
    file.seek(0)
    return file


def export_response(
    request, table: tables.Table, export_format: str, filename: str, *, what: str = ""
):
    """A table as a CSV or XLSX download named `filename` (no extension), recorded as an export
    like every other. A table with `export_values` streams; the others answer whole."""
    record_export(request, what or getattr(table, "caption", "") or "a table", export_format)
    header, rows, stream = export_header(table), export_rows(table), streams(table)
    name = f"{filename}.{export_format}"
    if export_format == CSV:
        return csv_response(header, rows, name, stream=stream)
    file = xlsx_file(_sheet_title(table), header, rows)
    if stream:
        return FileResponse(
            file, as_attachment=True, filename=name, content_type=CONTENT_TYPES[XLSX]
        )
    with file:
        return _attachment(HttpResponse(file.read(), content_type=CONTENT_TYPES[XLSX]), name)


# --- the list view -----------------------------------------------------------------------------


class FilteredTableView(tables.SingleTableMixin, FilterView):
    """A filterable, sortable, paginated, exportable list that answers htmx with the results."""

    export_formats = EXPORT_FORMATS
    export_name = "table"
    export_trigger_param = "_export"
    table_pagination = {"per_page": 25}
    results_template_name = ""

    def export_format(self) -> str | None:
        chosen = self.request.GET.get(self.export_trigger_param)
        return chosen if chosen in self.export_formats else None

    def get_table_pagination(self, table):
        if self.export_format():
            return False  # an export is every row; counting them for pages would cost a query
        return super().get_table_pagination(table)

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", None)
        # A history restore (the back button after hx-push-url) needs the whole page.
        if htmx and not htmx.history_restore_request and self.results_template_name:
            return [self.results_template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_formats"] = self.export_formats
        return context

    def render_to_response(self, context, **kwargs):
        export_format = self.export_format()
        if export_format:
            caption = getattr(self.get_table_class(), "caption", "") or "a table"
            return export_response(
                self.request, context["table"], export_format, self.export_name, what=caption
            )
        response = super().render_to_response(context, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response
