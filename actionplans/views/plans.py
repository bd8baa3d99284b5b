"""Reading action plans: programmes and plans, a plan, the summary table, narrative reports."""

from django import forms
from django.db.models import Count, F, Prefetch
from django.http import HttpResponse
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
    financial_year_label,
)
from actionplans.presenters import all_status_tags
from actionplans.summary import build_summary
from actionplans.tables import PlanTable
from leeds_communities.tables import FilteredTableView

QUARTER_CHOICES = [
    (1, "Quarter 1 (April to June)"),
    (2, "Quarter 2 (July to September)"),
    (3, "Quarter 3 (October to December)"),
    (4, "Quarter 4 (January to March)"),
]


class QuarterForm(forms.Form):
    """A quarter by `?year=2006/07&quarter=3`, chosen among the quarters that exist."""

    year = forms.ChoiceField(
        label="Financial year",
        error_messages={
            "required": "Choose a financial year",
            "invalid_choice": "“%(value)s” is not a financial year with quarters; choose one "
            "from the list",
        },
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=QUARTER_CHOICES,
        error_messages={
            "required": "Choose a quarter",
            "invalid_choice": "“%(value)s” is not a quarter; choose quarter 1, 2, 3 or 4",
        },
    )

    def __init__(self, *args, quarters: list[Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = {(q.year_label, q.number): q for q in quarters}
        years = sorted({q.year for q in quarters}, reverse=True)
        self.fields["year"].choices = [(label, label) for label in map(financial_year_label, years)]

    def clean(self):
        cleaned = super().clean()
        year, number = cleaned.get("year"), cleaned.get("quarter")
        if year and number:
            cleaned["chosen"] = self.quarters.get((year, number))
            if cleaned["chosen"] is None:
                self.add_error("quarter", f"There is no Quarter {number} {year} to report on")
        return cleaned


class SummaryForm(QuarterForm):
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


def _latest_reported_quarter() -> Quarter | None:
    """The quarter summaries open on: the latest closed one, else the latest there is."""
    return Quarter.objects.latest_closed() or Quarter.objects.order_by("-year", "-number").first()


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
        context["summary_quarter"] = _latest_reported_quarter()
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


@require_safe
def plan_detail(request, slug):
    plan = _get_plan_for_user(request, slug)
    quarters = list(quarters_of(plan))
    form = QuarterForm(request.GET or None, quarters=quarters)
    chosen = quarters[-1] if quarters else None
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["chosen"]
    elif chosen is not None and not form.is_bound:
        form = QuarterForm(
            initial={"year": chosen.year_label, "quarter": chosen.number}, quarters=quarters
        )

    rows = status_matrix(
        Output.objects.for_user(request.user)
        .filter(plan=plan)
        .select_related("lead_agency")
        .order_by(F("priority__order").asc(nulls_last=True), "priority__title", "ref"),
        quarters,
    )
    current_index = quarters.index(chosen) if chosen else None
    priorities = list(plan.priorities.all())
    by_priority: dict[int | None, list] = {p.pk: [] for p in priorities}
    by_priority[None] = []
    counts = dict.fromkeys(Status.values, 0)
    for row in rows:
        current = row.statuses[current_index] if chosen else None
        by_priority[row.output.priority_id].append((row.output, current))
        if current is not None:
            counts[current] += 1

    groups = [(p, by_priority[p.pk]) for p in priorities]
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "actionplans/plan_detail.html",
        {
            "plan": plan,
            "form": form,
            "quarters": quarters,
            "quarter": chosen,
            "groups": groups,
            "unprioritised": by_priority[None],
            "matrix": rows,
            "counts": [(tag, counts[tag.code]) for tag in all_status_tags()],
            "output_count": len(rows),
            "any_illustrative": plan.illustrative or any(r.output.illustrative for r in rows),
        },
        status=status,
    )


# --- the summary progress table -----------------------------------------------------------------


@require_safe
def summary(request):
    programmes = list(Programme.objects.order_by("name"))
    quarters = list(Quarter.objects.order_by("year", "number"))
    form = SummaryForm(request.GET or None, quarters=quarters, programmes=programmes)
    context = {"form": form, "status_tags": all_status_tags()}
    if not form.is_bound:
        latest = _latest_reported_quarter()
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
        response = HttpResponse(result.as_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
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
