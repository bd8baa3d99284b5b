"""Scrutiny dashboards: every page takes the same selection (quarter + filters) from its URL, so
a view can be shared or cited, answers htmx with its body only, and prints as a PDF."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from actionplans.dashboards import queries as dashboards
from actionplans.dashboards.charts import bar_chart
from actionplans.dashboards.filters import SELECTION_PARAMS, OutputSelection, chosen_quarter
from actionplans.dashboards.tables import ExceptionTable, OutputStatusTable
from actionplans.models import Output, Quarter
from leeds_communities.pdf import render_pdf
from leeds_communities.pdf_limits import limit_pdf
from leeds_communities.tables import FilteredTableView

EXCEPTIONS_ON_INDEX = 10


@dataclass
class Selection:
    """What a dashboard page is about, read from its URL."""

    quarter: Quarter | None
    quarter_form: object
    filterset: OutputSelection
    params: dict[str, str]

    @property
    def outputs(self):
        return self.filterset.qs

    def query(self, **extra) -> str:
        merged = {k: v for k, v in {**self.params, **extra}.items() if v not in (None, "")}
        return "?" + urlencode(merged) if merged else ""

    def drilldown(self, **extra) -> str:
        return reverse("dashboards:outputs") + self.query(**extra)


def _selection(request) -> Selection:
    quarter, quarter_form = chosen_quarter(request)
    if quarter is None:
        base = Output.objects.none()
    else:
        base = dashboards.outputs_counted_in(quarter, request.user)
    filterset = OutputSelection(
        request.GET or None, queryset=base, request=request, quarter=quarter
    )
    if filterset.is_bound and not filterset.is_valid():
        # Keep the errors for the form; count nothing rather than something misleading.
        filterset.queryset = base.none()
    params = {}
    if quarter is not None:
        params = {"year": quarter.year_label, "quarter": str(quarter.number)}
    for name in SELECTION_PARAMS:
        value = request.GET.get(name, "").strip()
        if value and name not in filterset.errors:
            params[name] = value
    return Selection(quarter, quarter_form, filterset, params)


def _respond(request, selection: Selection, *, page: str, title: str, context: dict):
    """The page, its body for htmx, or the same body printed as a PDF."""
    context = {
        **context,
        "selection": selection,
        "quarter": selection.quarter,
        "filter": selection.filterset,
        "quarter_form": selection.quarter_form,
        "page_title": title,
        "body_template": f"dashboards/_{page}_body.html",
        "as_at": timezone.localtime(),
        "pdf_url": request.path + selection.query(format="pdf"),
    }
    if request.GET.get("format") == "pdf":
        html = render_to_string("dashboards/print.html", context, request=request)
        pdf = render_pdf(html)
        response = HttpResponse(pdf.content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{page}.pdf"'
        return response
    if getattr(request, "htmx", None) and not request.htmx.history_restore_request:
        response = render(request, context["body_template"], context)
    else:
        response = render(request, "dashboards/page.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _chart(selection: Selection, title: str, groups, param: str | None):
    rows = []
    for group in groups:
        extra = {param: group.key} if param else {}
        rows.append(
            (
                group,
                selection.drilldown(**extra),
                lambda status, extra=extra: selection.drilldown(**extra, status=status),
            )
        )
    return bar_chart(title, rows)


@limit_pdf
@require_safe
def dashboard(request):
    selection = _selection(request)
    context = {"panels": [], "changes": None, "exceptions": []}
    if selection.quarter is not None:
        outputs = selection.outputs
        overall, plan_groups = dashboards.plan_rollup(outputs)
        context["overall"] = overall
        context["overall_chart"] = _chart(selection, "All outputs", [overall], None)
        plan_dimension = dashboards.DIMENSIONS_BY_PARAM["plan"]
        changes_by_plan = dashboards.changes_by(
            outputs, selection.quarter, plan_dimension, request.user
        )
        # Every output is in one plan, so the plans' changes add up to the selection's.
        context["changes"] = [
            (
                label,
                sum(row.counts[name] for row in changes_by_plan),
                selection.drilldown(change=name),
            )
            for name, label in dashboards.CHANGE_LABELS.items()
        ]
        changes_by = {
            plan_dimension: changes_by_plan,
            dashboards.DIMENSIONS_BY_PARAM["lead_agency"]: dashboards.changes_by(
                outputs,
                selection.quarter,
                dashboards.DIMENSIONS_BY_PARAM["lead_agency"],
                request.user,
            ),
        }
        context["changes_by"] = [
            {
                "dimension": dimension,
                "rows": [
                    {
                        "label": row.label,
                        "cells": [
                            (
                                row.counts[name],
                                selection.drilldown(**{dimension.param: row.key}, change=name),
                            )
                            for name in dashboards.CHANGE_LABELS
                        ],
                    }
                    for row in rows
                ],
            }
            for dimension, rows in changes_by.items()
        ]
        context["change_labels"] = list(dashboards.CHANGE_LABELS.values())
        for dimension in dashboards.DIMENSIONS:
            groups = plan_groups.get(dimension.param)
            if groups is None:
                groups = dashboards.by_dimension(outputs, dimension)
            context["panels"].append(
                {
                    "dimension": dimension,
                    "groups": groups,
                    "chart": _chart(
                        selection, f"By {dimension.title.lower()}", groups, dimension.param
                    ),
                }
            )
        context["exceptions"] = dashboards.top_exceptions(
            outputs, selection.quarter, request.user, EXCEPTIONS_ON_INDEX
        )
    return _respond(request, selection, page="dashboard", title="Dashboards", context=context)


@limit_pdf
@require_safe
def trend(request):
    selection = _selection(request)
    try:
        span = min(
            max(int(request.GET.get("span", dashboards.TREND_SPAN)), 2), dashboards.MAX_TREND_SPAN
        )
    except ValueError:
        span = dashboards.TREND_SPAN
    series = []
    if selection.quarter is not None:
        quarters = dashboards.quarter_sequence(selection.quarter, span, request.user)
        series = dashboards.trend(selection.outputs, quarters)
    chart_rows = []
    for quarter, distribution in series:
        params = {"year": quarter.year_label, "quarter": quarter.number}
        chart_rows.append(
            (
                distribution,
                selection.drilldown(**params),
                lambda status, params=params: selection.drilldown(**params, status=status),
            )
        )
    context = {
        "series": series,
        "span": span,
        "span_links": [(n, request.path + selection.query(span=n)) for n in (4, 8, 20, 40)],
        "chart": bar_chart("RAG status quarter by quarter", chart_rows),
    }
    return _respond(request, selection, page="trend", title="Trend", context=context)


class ExceptionsView(FilteredTableView):
    """RED and BLANK outputs with their latest commentary, the longest-standing first."""

    table_class = ExceptionTable
    filterset_class = OutputSelection
    template_name = "dashboards/page.html"
    results_template_name = "dashboards/_table_body.html"
    page = "exceptions"
    title = "Exceptions"

    def get(self, request, *args, **kwargs):
        self.selection = _selection(request)
        return super().get(request, *args, **kwargs)

    def get_filterset(self, filterset_class):
        return self.selection.filterset

    def get_table_data(self):
        if self.selection.quarter is None:
            return Output.objects.none()
        return self.table_rows(self.object_list)

    def table_rows(self, outputs):
        return dashboards.exceptions(
            outputs, self.selection.quarter, self.request.user
        ).select_related("plan", "lead_agency")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            selection=self.selection,
            quarter=self.selection.quarter,
            quarter_form=self.selection.quarter_form,
            page_title=self.title,
            body_template=self.results_template_name,
            pdf_url=self.request.path + self.selection.query(format="pdf"),
            as_at=timezone.localtime(),
        )
        return context

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get("format") == "pdf":
            context["table"].paginate(per_page=10_000)
            pdf = render_pdf(
                render_to_string("dashboards/print.html", context, request=self.request)
            )
            response = HttpResponse(pdf.content, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{self.page}.pdf"'
            return response
        return super().render_to_response(context, **kwargs)


class OutputsView(ExceptionsView):
    """The drill-down: every output the selection holds, with its status for the quarter."""

    table_class = OutputStatusTable
    page = "outputs"
    title = "Outputs"

    def table_rows(self, outputs):
        outputs = dashboards.with_latest_commentary(
            outputs, self.selection.quarter, self.request.user
        )
        return outputs.select_related("plan", "lead_agency")


exceptions = limit_pdf(ExceptionsView.as_view(), exports=True)
outputs = limit_pdf(OutputsView.as_view(), exports=True)
