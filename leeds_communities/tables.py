"""One Table class per list serves the page, the CSV/XLSX export and the printed table."""

import django_tables2 as tables
from django.utils.cache import patch_vary_headers
from django_filters.views import FilterView
from django_tables2.export import ExportMixin, TableExport

from leeds_communities.csvimport import neutralise_formula
from leeds_communities.security import record_export


class SafeTableExport(TableExport):
    """CSV and XLSX only, with every text cell made safe against formula injection."""

    ALLOWED = (TableExport.CSV, TableExport.XLSX)

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in cls.ALLOWED

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        rows = [tuple(neutralise_formula(v) for v in row) for row in dataset]
        headers = dataset.headers
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)
        return dataset


def export_response(request, table: tables.Table, export_format: str, filename: str):
    """A table as a CSV or XLSX download named `filename` (no extension), recorded as an export
    like every other."""
    record_export(request, getattr(table, "caption", "") or "a table", export_format)
    return SafeTableExport(export_format, table).response(filename=f"{filename}.{export_format}")


class BaseTable(tables.Table):
    """Project defaults: GOV.UK table markup with a caption, sortable by real links."""

    caption = ""

    class Meta:
        template_name = "tables/govuk_table.html"
        attrs = {"class": "govuk-table", "th": {"class": "govuk-table__header"}}


class FilteredTableView(ExportMixin, tables.SingleTableMixin, FilterView):
    """A filterable, sortable, paginated, exportable list that answers htmx with the results."""

    export_class = SafeTableExport
    export_formats = SafeTableExport.ALLOWED
    table_pagination = {"per_page": 25}
    results_template_name = ""

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", None)
        # A history restore (the back button after hx-push-url) needs the whole page.
        if htmx and not htmx.history_restore_request and self.results_template_name:
            return [self.results_template_name]
        return super().get_template_names()

    def create_export(self, export_format):
        caption = getattr(self.get_table_class(), "caption", "") or "a table"
        record_export(self.request, caption, export_format)
        return super().create_export(export_format)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_formats"] = self.export_formats
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response
