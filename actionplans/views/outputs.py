"""The officer's journey: my outputs, updating a status (in place with htmx or as a plain form),
and an output's page with its history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_safe

from actionplans.filters import MyOutputFilter
from actionplans.forms import StatusUpdateForm
from actionplans.matrix import status_matrix
from actionplans.models import Output, Quarter, ReturnDraft, Status, StatusUpdate
from actionplans.presenters import status_tag
from actionplans.quarters import quarter_from_request, reporting_quarter
from actionplans.services import (
    StaleUpdate,
    quarter_accepts_returns,
    record_status_update,
    save_return_draft,
)
from actionplans.status import status_of
from actionplans.tables import MyOutputTable
from leeds_communities.access import AllowOnlyMixin, allow_only, reports_returns, signed_in
from leeds_communities.roles import is_governance_support
from leeds_communities.tables import FilteredTableView


def _get_output_for_user(request: HttpRequest, pk: int) -> Output:
    return get_object_or_404(
        Output.objects.for_user(request.user).select_related(
            "plan", "plan__programme", "priority", "lead_agency"
        ),
        pk=pk,
    )


def _safe_next(request: HttpRequest, candidate: str, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _who(update: StatusUpdate, viewer) -> str:
    """Signed-in people see who made a return; the public sees the agency's role in it."""
    if update.source == StatusUpdate.Source.SEED:
        return "Demo data"
    if not viewer.is_authenticated:
        if update.source == StatusUpdate.Source.IMPORT:
            return "Spreadsheet import"
        return "Governance support" if update.late_reason else "The lead agency"
    name = ""
    if update.created_by is not None:
        name = update.created_by.get_full_name() or update.created_by.get_username()
    if update.source == StatusUpdate.Source.IMPORT:
        return f"Spreadsheet import by {name}" if name else "Spreadsheet import"
    return name or "Unknown"


def with_draft(outputs, user, quarter: Quarter):
    """Mark the outputs `user` has a draft return for in `quarter` (`has_draft`)."""
    mine = ReturnDraft.objects.mine(user, quarter).filter(output=OuterRef("pk"))
    return outputs.annotate(has_draft=Exists(mine))


def _plan_url(plan) -> str | None:
    try:
        return plan.get_absolute_url()
    except NoReverseMatch:
        return None


# --- my outputs ---------------------------------------------------------------------------------


class MyOutputsView(AllowOnlyMixin, FilteredTableView):
    table_class = MyOutputTable
    filterset_class = MyOutputFilter
    template_name = "actionplans/my_outputs.html"
    results_template_name = "actionplans/_my_outputs_results.html"
    export_name = "my-outputs"
    http_method_names = ["get", "head"]
    refusal_message = "My outputs is for officers of lead agencies."

    def allowed(self, user) -> bool:
        return reports_returns(user)

    def dispatch(self, request, *args, **kwargs):
        self.quarter = reporting_quarter()
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        outputs = Output.objects.for_user(user)
        if not is_governance_support(user):
            outputs = outputs.led_by_user_agency(user)
        outputs = outputs.select_related("plan", "lead_agency")
        if self.quarter is not None:
            outputs = outputs.counted_in(self.quarter).with_status(self.quarter)
            outputs = with_draft(outputs, user, self.quarter)
        return outputs

    def get_table_kwargs(self):
        return {
            "quarter": self.quarter,
            "user": self.request.user,
            "next_url": self.request.get_full_path(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisation = getattr(getattr(user, "profile", None), "organisation", None)
        context.update(
            quarter=self.quarter,
            organisation=organisation,
            sees_all=is_governance_support(user),
            accepts_returns=quarter_accepts_returns(self.quarter) if self.quarter else None,
        )
        return context


my_outputs = MyOutputsView.as_view()


# --- one output ---------------------------------------------------------------------------------


def _quarter_statuses(output: Output, updates: list[StatusUpdate], user) -> list[dict]:
    """Its status in each quarter of its plan's period (and any other it reported in, from the
    `updates` `user` may see) by the one SQL rule; None where the quarter does not count it."""
    in_period = Quarter.objects.within(output.plan.period_start, output.plan.period_end)
    found = {q.pk: q for q in in_period.visible_to(user)}
    found.update({u.quarter_id: u.quarter for u in updates})
    quarters = sorted(found.values(), key=lambda q: (q.year, q.number))
    latest: dict[int, StatusUpdate] = {}
    for update in sorted(updates, key=lambda u: (u.created_at, u.pk)):
        latest[update.quarter_id] = update
    [row] = status_matrix(Output.objects.filter(pk=output.pk), quarters) if quarters else [None]
    return [
        {
            "quarter": quarter,
            "status": status,
            "tag": status_tag(status) if status else None,
            "update": latest.get(quarter.pk) if status not in (None, Status.WHITE) else None,
        }
        for quarter, status in zip(quarters, row.statuses if row else [], strict=False)
    ]


@require_safe
def output_detail(request, pk):
    output = _get_output_for_user(request, pk)
    updates = list(
        StatusUpdate.objects.visible_to(request.user)
        .filter(output=output)
        .select_related("quarter", "created_by")
        .order_by("-created_at", "-pk")
    )
    quarter = reporting_quarter()
    latest = updates[0] if updates else None
    context = {
        "output": output,
        "plan_url": _plan_url(output.plan),
        "quarter_statuses": _quarter_statuses(output, updates, request.user),
        "history": [(u, _who(u, request.user), status_tag(u.rag)) for u in updates],
        "quarter": quarter,
        # The forecast of its latest return: what the lead agency expects at the due date now.
        "forecast": latest if latest and latest.forecast else None,
        "forecast_tag": status_tag(latest.forecast) if latest and latest.forecast else None,
    }
    can_update = output.can_be_updated_by(request.user)
    if quarter is not None and can_update:
        context.update(_form_context(request, output, quarter, next_url=request.path))
    if can_update:
        # Governance support records late returns for closed quarters; officers, the open ones.
        support = is_governance_support(request.user)
        for row in context["quarter_statuses"]:
            q = row["quarter"]
            if row["status"] not in (None, Status.WHITE) and (q.is_open or support):
                query = urlencode({"year": q.year_label, "quarter": q.number, "next": request.path})
                update_url = reverse("actionplans:output_update", kwargs={"pk": output.pk})
                row["update_url"] = f"{update_url}?{query}"
    context["can_update"] = can_update
    response = render(request, "actionplans/output_detail.html", context)
    return response


# --- updating a status --------------------------------------------------------------------------


def _late(user, quarter: Quarter) -> bool:
    return not quarter.is_open and is_governance_support(user)


def _form_context(request, output, quarter, *, next_url, form=None) -> dict:
    """What the update form needs: the form itself, or why this person cannot use it."""
    refusal = ""
    if not quarter.is_open and not is_governance_support(request.user):
        refusal = (
            f"{quarter_accepts_returns(quarter).reason} Ask governance support to record a late "
            "return."
        )
    draft = ReturnDraft.objects.mine(request.user, quarter).filter(output=output).first()
    if form is None:
        initial = {"version": output.version, "quarter": quarter.pk, "next": next_url}
        if draft is not None:
            # Resumed against the version it was typed on: a return made since is a conflict.
            initial.update(
                version=draft.version,
                rag=draft.rag,
                commentary=draft.commentary,
                corrective_action=draft.corrective_action,
                corrective_action_by=draft.corrective_action_by,
                forecast=draft.forecast,
                late_reason=draft.late_reason,
            )
        form = StatusUpdateForm(
            initial=initial,
            late=_late(request.user, quarter),
            due=output.due,
            auto_id=f"o{output.pk}-%s",
        )
    return {
        "form": form,
        "refusal": refusal,
        "quarter": quarter,
        "current_status": status_of(output, quarter),
        "draft": draft,
    }


def _quarter_from_request(request) -> Quarter | None:
    """The quarter the form reports for: posted, chosen with ?year=&quarter=, or the one
    officers report on."""
    if request.method == "POST":
        raw = request.POST.get("quarter", "")
        # isdigit() is true of "¹" and "٣" too, which int() refuses: only ASCII digits are ids.
        return (
            Quarter.objects.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() else None
        )
    quarter, _ = quarter_from_request(
        request, quarters=Quarter.objects.all(), default=reporting_quarter
    )
    return quarter


def _row_response(request, output: Output, quarter: Quarter, next_url: str, saved_message=""):
    """The output's row of the my-outputs table, as htmx swaps it back in."""
    annotated = with_draft(
        Output.objects.filter(pk=output.pk).select_related("plan", "lead_agency"),
        request.user,
        quarter,
    ).with_status(quarter)
    annotated = annotated.get()
    table = MyOutputTable([annotated], quarter=quarter, user=request.user, next_url=next_url)
    response = render(
        request,
        "actionplans/_output_row.html",
        {"row": table.rows[0], "table": table, "saved_message": saved_message},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _form_response(request, output, quarter, context, *, status=200):
    """The form on its own page, or inside the output's table row for htmx. Without a quarter
    there is no row to draw, so htmx gets the page and its 4xx like anyone else."""
    context = {"output": output, "plan_url": _plan_url(output.plan), **context}
    if request.htmx and quarter is not None:
        context["colspan"] = len(MyOutputTable([], quarter=quarter, user=request.user).columns)
        # htmx swaps only successful responses: problems are shown in the row with a 200.
        response = render(request, "actionplans/_output_row_form.html", context)
    else:
        response = render(request, "actionplans/output_update.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@allow_only(signed_in, "Sign in to update an output.")
def output_update(request, pk):
    output = _get_output_for_user(request, pk)
    if not output.can_be_updated_by(request.user):
        raise PermissionDenied(
            "Only an officer of the lead agency or governance support may update this output."
        )
    default_next = output.get_absolute_url()
    quarter = _quarter_from_request(request)
    if quarter is None:
        return _form_response(
            request,
            output,
            None,
            {"refusal": "There is no such quarter to report on.", "form": None},
            status=404,
        )

    if request.method != "POST":
        next_url = _safe_next(request, request.GET.get("next", ""), default_next)
        if request.htmx and request.GET.get("show") == "row":
            return _row_response(request, output, quarter, next_url)
        return _form_response(
            request, output, quarter, _form_context(request, output, quarter, next_url=next_url)
        )

    late = _late(request.user, quarter)
    as_draft = request.POST.get("action") == "draft"
    form = StatusUpdateForm(
        request.POST, late=late, draft=as_draft, due=output.due, auto_id=f"o{output.pk}-%s"
    )
    next_url = _safe_next(request, request.POST.get("next", ""), default_next)
    context = _form_context(request, output, quarter, next_url=next_url, form=form)
    if not form.is_valid():
        return _form_response(request, output, quarter, context, status=400)
    if as_draft:
        return _draft_saved(request, output, quarter, form, context, next_url)
    try:
        update = record_status_update(
            output=output,
            quarter=quarter,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            **_return_fields(form),
        )
    except StaleUpdate as stale:
        _keep_draft(request, output, quarter, form)
        return _conflict_response(request, output, quarter, stale, next_url)
    except ValidationError as error:
        form.add_error(None, error)
        return _form_response(request, output, quarter, context, status=400)

    message = f"{output.ref} updated: {status_tag(update.rag).text} for {quarter}."
    if request.htmx:
        return _row_response(request, output, quarter, next_url, saved_message=message)
    messages.success(request, message)
    return redirect(next_url)


def _return_fields(form: StatusUpdateForm) -> dict:
    data = form.cleaned_data
    return {
        "rag": data.get("rag", ""),
        "commentary": data.get("commentary", ""),
        "corrective_action": data.get("corrective_action", ""),
        "corrective_action_by": data.get("corrective_action_by"),
        "forecast": data.get("forecast", ""),
        "late_reason": data.get("late_reason", ""),
    }


def _keep_draft(request, output, quarter, form):
    """Keep what was typed as the person's draft, against the version it was typed on."""
    return save_return_draft(
        output=output,
        quarter=quarter,
        acting_user=request.user,
        version=form.cleaned_data["version"],
        **_return_fields(form),
    )


def _draft_saved(request, output, quarter, form, context, next_url):
    try:
        _keep_draft(request, output, quarter, form)
    except ValidationError as error:
        form.add_error(None, error)
        return _form_response(request, output, quarter, context, status=400)
    message = (
        f"Draft saved for {output.ref} ({quarter}). It counts for nothing until you submit it."
    )
    if request.htmx:
        return _row_response(request, output, quarter, next_url, saved_message=message)
    messages.success(request, message)
    return redirect(next_url)


def _conflict_response(request, output, quarter, stale: StaleUpdate, next_url):
    """Someone saved first: show their update and give back what was typed, now against the
    version that includes theirs, so saving again is a knowing choice."""
    data = request.POST.copy()
    data["version"] = str(stale.output.version)
    form = StatusUpdateForm(
        data, late=_late(request.user, quarter), due=output.due, auto_id=f"o{output.pk}-%s"
    )
    form.is_valid()
    form.add_error(
        None,
        ValidationError(
            "Someone else updated this output after you opened the form. Nothing was saved "
            "as a return; what you entered is kept as your draft. Check their update, then "
            "save yours again if it is still right.",
            code="stale",
        ),
    )
    latest = stale.latest
    context = _form_context(request, stale.output, quarter, next_url=next_url, form=form)
    context.update(conflict=latest, conflict_who=_who(latest, request.user) if latest else "")
    return _form_response(request, stale.output, quarter, context, status=409)
