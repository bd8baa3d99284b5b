"""Reading action plans: programmes and plans, a plan, the summary table, narrative reports."""

from collections import defaultdict

from django import forms
from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, Prefetch, Q, Value
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from actionplans.filters import PlanFilter
from actionplans.matrix import quarters_of, status_matrix
from actionplans.models import (
    ActionPlan,
    NarrativeReport,
    Output,
    PerformanceArea,
    Programme,
    Quarter,
    Status,
)
from actionplans.presenters import all_status_tags
from actionplans.quarters import QuarterForm, quarter_from_request, reading_quarter
from actionplans.status import with_status
from actionplans.summary import CSV_HEADER, build_summary
from actionplans.tables import PlanTable
from leeds_communities.tables import FilteredTableView, csv_response


class SummaryForm(QuarterForm):
    """A programme and a quarter: `?programme=…&year=2006/07&quarter=3`."""

    programme = forms.ChoiceField(
        label="Programme",
        error_messages={
            "required": "Choose a programme",
            "invalid_choice": "There is no such programme; choose one from the list",
        },
    )
    field_order = ["programme", "year", "quarter"]

    def __init__(self, *args, programmes: list[Programme], **kwargs):
        super().__init__(*args, **kwargs)
        self.programmes = {p.slug: p for p in programmes}
        self.fields["programme"].choices = [(p.slug, p.name) for p in programmes]
        self.order_fields(self.field_order)

    def clean_programme(self):
        return self.programmes[self.cleaned_data["programme"]]


# --- programmes and plans -----------------------------------------------------------------------


class PlanListView(FilteredTableView):
    table_class = PlanTable
    filterset_class = PlanFilter
    template_name = "actionplans/plan_list.html"
    results_template_name = "actionplans/_plan_results.html"
    export_name = "action-plans"
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return (
            ActionPlan.objects.for_user(self.request.user)
            .select_related("programme", "owner")
            .annotate(output_count=Count("outputs"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(self.request, "htmx", None) and not self.request.htmx.history_restore_request:
            return context  # the results fragment needs nothing more
        context["programmes"] = list(
            Programme.objects.annotate(plan_count=Count("plans")).order_by("name")
        )
        context["summary_quarter"] = reading_quarter(self.request.user)
        context["narrative_reports"] = list(
            NarrativeReport.objects.for_user(self.request.user).select_related("board")
        )
        return context


plan_list = PlanListView.as_view()


# --- a plan -------------------------------------------------------------------------------------


def _get_plan_for_user(request, slug) -> ActionPlan:
    return get_object_or_404(
        ActionPlan.objects.for_user(request.user).select_related("programme", "owner"), slug=slug
    )


OUTPUTS_PER_PAGE = 200


def _plan_totals(outputs, quarter: Quarter | None) -> tuple[int, dict[str, int], bool]:
    """In one query: how many outputs the plan has, how many of them have each status at the
    end of `quarter` (those it counts), and whether any is illustrative."""
    if quarter is None:
        outputs = outputs.annotate(current=Value(None, output_field=CharField()))
    else:
        outputs = with_status(outputs, quarter, "current", counted_only=True)
    groups = (
        outputs.values("current")
        .annotate(n=Count("pk"), illustrative=Count("pk", filter=Q(illustrative=True)))
        .order_by()
    )
    counts = dict.fromkeys(Status.values, 0)
    total = any_illustrative = 0
    for group in groups:
        total += group["n"]
        any_illustrative += group["illustrative"]
        if group["current"] is not None:
            counts[group["current"]] += group["n"]
    return total, counts, bool(any_illustrative)


def _page_links(request, paginator: Paginator, page) -> dict | None:
    """The GOV.UK pagination component's links, keeping the quarter chosen; None for one page."""
    if paginator.num_pages < 2:
        return None

    def url(number):
        query = request.GET.copy()
        query["page"] = number
        return f"?{query.urlencode()}"

    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "items": [
            {"number": n, "url": url(n), "current": n == page.number}
            if n != Paginator.ELLIPSIS
            else {"ellipsis": True}
            for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ],
    }


@require_safe
def plan_detail(request, slug):
    plan = _get_plan_for_user(request, slug)
    in_period = quarters_of(plan, request.user)
    quarters = list(in_period)
    default = reading_quarter(request.user, quarters)
    chosen, form = quarter_from_request(request, quarters=quarters, default=default, required=True)
    chosen = chosen or default  # a bad choice keeps its errors and shows the default

    outputs = Output.objects.for_user(request.user).filter(plan=plan)
    total, counts, any_illustrative = _plan_totals(outputs, chosen)
    # A long plan is shown a page at a time: its outputs, and their matrix, for that page only.
    paginator = Paginator(
        outputs.select_related("lead_agency").order_by(
            F("priority__order").asc(nulls_last=True), "priority__title", "ref", "pk"
        ),
        OUTPUTS_PER_PAGE,
    )
    paginator.count = total  # already counted above: spare the paginator its own query
    page = paginator.get_page(request.GET.get("page"))
    rows = status_matrix(page.object_list, quarters)
    current_index = quarters.index(chosen) if chosen else None

    # Priorities in the plan's order, numbered as in the plan; on a page, those with outputs
    # there (and, on the first, those with none at all).
    by_priority: dict[int | None, list] = defaultdict(list)
    for row in rows:
        current = row.statuses[current_index] if chosen else None
        by_priority[row.output.priority_id].append((row.output, current))
    priorities = list(plan.priorities.annotate(output_count=Count("outputs")))
    groups = [
        (number, priority, by_priority[priority.pk])
        for number, priority in enumerate(priorities, start=1)
        if by_priority[priority.pk] or (priority.output_count == 0 and page.number == 1)
    ]
    status = 400 if form.errors else 200
    return render(
        request,
        "actionplans/plan_detail.html",
        {
            "plan": plan,
            "form": form,
            "quarters": quarters,
            "quarter": chosen,
            "groups": groups,
            "has_priorities": bool(priorities),
            "unprioritised": by_priority[None],
            "matrix": rows,
            "counts": [(tag, counts[tag.code]) for tag in all_status_tags()],
            "output_count": total,
            "page": page,
            "pagination": _page_links(request, paginator, page),
            "any_illustrative": plan.illustrative or any_illustrative,
        },
        status=status,
    )


# --- the summary progress table -----------------------------------------------------------------


@require_safe
def summary(request):
    programmes = list(Programme.objects.order_by("name"))
    quarters = list(Quarter.objects.visible_to(request.user).chronological())
    form = SummaryForm(request.GET or None, quarters=quarters, programmes=programmes)
    context = {"form": form, "status_tags": all_status_tags()}
    if not form.is_bound:
        latest = reading_quarter(request.user)
        first = programmes[0] if programmes else None
        form.initial = {
            "programme": first.slug if first else None,
            "year": latest.year_label if latest else None,
            "quarter": latest.number if latest else None,
        }
        return render(request, "actionplans/summary.html", context)
    if not form.is_valid():
        response = render(request, "actionplans/summary.html", context, status=400)
        if request.GET.get("format") == "csv":
            response.headers["Content-Type"] = "text/html; charset=utf-8"
        return response

    result = build_summary(form.cleaned_data["programme"], form.cleaned_data["chosen"])
    if request.GET.get("format") == "csv":
        quarter = result.quarter
        filename = (
            f"summary-{result.programme.slug}-{quarter.year_label.replace('/', '-')}"
            f"-q{quarter.number}.csv"
        )
        rows = (row.as_csv_row() for row in result.rows)
        # A row a plan: short, so it answers whole.
        return csv_response(CSV_HEADER, rows, filename, stream=False)
    context.update(
        summary=result,
        any_illustrative=any(row.plan.illustrative for row in result.rows if row.plan),
    )
    return render(request, "actionplans/summary.html", context)


# --- narrative performance reports --------------------------------------------------------------


@require_safe
def narrative_report(request, pk):
    report = get_object_or_404(
        NarrativeReport.objects.for_user(request.user)
        .select_related("board")
        .prefetch_related(Prefetch("areas", queryset=PerformanceArea.objects.order_by("order"))),
        pk=pk,
    )
    return render(
        request,
        "actionplans/narrative_report.html",
        {"report": report, "areas": report.areas.all()},
    )
