""" "No change since last quarter": an officer ticks several of their outputs and records each
one's last RAG again for the reporting quarter, each through the same service and version check
as the update form, so a colleague's return made meanwhile is a conflict for that row alone."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from actionplans.forms import CarryForwardForm
from actionplans.models import LatestReturn, Output, Quarter, Status, StatusUpdate
from actionplans.presenters import status_tag
from actionplans.quarters import reporting_quarter
from actionplans.services import StaleUpdate, carry_forward, quarter_accepts_returns
from actionplans.views.outputs import _who, with_draft
from leeds_communities.access import allow_only, reports_returns


@dataclass
class Row:
    output: Output
    previous: StatusUpdate
    tag: object = None
    conflict: StatusUpdate | None = None
    conflict_who: str = ""
    commentary: str = ""
    version: int | None = None
    problems: list = field(default_factory=list)


def _rows(user, quarter: Quarter, keep=()) -> list[Row]:
    """The user's agency's outputs still Blank in `quarter` that have a return in an earlier
    quarter (and those in `keep`, rows being shown again after a conflict), each with that
    latest earlier return."""
    previous = (
        LatestReturn.objects.filter(output=OuterRef("pk"), quarter_order__lt=quarter.ordinal)
        .order_by("-quarter_order")
        .values("update_id")[:1]
    )
    outputs = list(
        with_draft(
            Output.objects.for_user(user)
            .led_by_user_agency(user)
            .counted_in(quarter)
            .with_status(quarter)
            .exclude(status=Status.WHITE)
            .annotate(previous_id=Subquery(previous))
            .filter(previous_id__isnull=False)
            .filter(Q(status=Status.BLANK) | Q(pk__in=list(keep)))
            .select_related("plan"),
            user,
            quarter,
        ).order_by("plan__name", "ref")
    )
    updates = StatusUpdate.objects.select_related("quarter").in_bulk(
        [o.previous_id for o in outputs]
    )
    return [
        Row(output=o, previous=updates[o.previous_id], tag=status_tag(updates[o.previous_id].rag))
        for o in outputs
    ]


def _page(request, quarter, form, *, status=200, refusal=""):
    rows = form.bound_rows() if form is not None else []
    context = {"quarter": quarter, "form": form, "rows": rows, "refusal": refusal}
    return render(request, "actionplans/carry_forward.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@allow_only(reports_returns, "Carrying returns forward is for officers of lead agencies.")
def carry_forward_returns(request):
    quarter = reporting_quarter()
    if quarter is None:
        return _page(request, None, None, status=404, refusal="No quarter is open for returns.")
    rule = quarter_accepts_returns(quarter)
    if not rule.accepts_returns:
        refusal = f"{rule.reason} Late returns are recorded one by one, with the reason."
        return _page(request, quarter, None, refusal=refusal)

    if request.method != "POST":
        return _page(request, quarter, CarryForwardForm(rows=_rows(request.user, quarter)))

    ticked = [v for v in request.POST.getlist("carry") if v.isascii() and v.isdigit()]
    rows = _rows(request.user, quarter, keep=[int(v) for v in ticked])
    form = CarryForwardForm(request.POST, rows=rows)
    if not form.is_valid():
        return _page(request, quarter, form, status=400)

    saved, failed = [], []
    for row in form.chosen():
        try:
            carry_forward(
                output=row.output,
                quarter=quarter,
                previous=row.previous,
                commentary=row.commentary,
                acting_user=request.user,
                expected_version=row.version,
            )
        except StaleUpdate as stale:
            row.conflict = stale.latest
            row.conflict_who = _who(stale.latest, request.user) if stale.latest else ""
            row.version = stale.output.version
            failed.append(row)
        except (ValidationError, PermissionDenied) as error:
            row.problems = getattr(error, "messages", [str(error)])
            failed.append(row)
        else:
            saved.append(row)

    if saved:
        refs = ", ".join(r.output.ref for r in saved)
        messages.success(
            request,
            f"{len(saved)} return{'s' if len(saved) != 1 else ''} carried forward to {quarter}: "
            f"{refs}.",
        )
    if not failed:
        return redirect("actionplans:my_outputs")
    return _failed_page(request, quarter, failed)


def _failed_page(request, quarter, failed: list[Row]):
    """The rows not saved, still ticked with what was typed; a conflict row now carries the
    version that includes the colleague's return, so saving it again is a knowing choice."""
    data = request.POST.copy()
    data.setlist("carry", [str(r.output.pk) for r in failed])
    for row in failed:
        data[f"version_{row.output.pk}"] = str(row.version)
    by_pk = {r.output.pk: r for r in failed}
    rows = _rows(request.user, quarter, keep=list(by_pk))
    for row in rows:
        if row.output.pk in by_pk:
            row.conflict = by_pk[row.output.pk].conflict
            row.conflict_who = by_pk[row.output.pk].conflict_who
    form = CarryForwardForm(data, rows=rows)
    form.is_valid()
    for pk, row in by_pk.items():
        name = f"commentary_{pk}"
        if name not in form.fields:
            continue
        if row.conflict is not None or not row.problems:
            form.add_error(
                name,
                ValidationError(
                    f"Someone else updated {row.output.ref} after you opened this page; "
                    "nothing was saved for it. Check their return, then save again if no "
                    "change is still right.",
                    code="stale",
                ),
            )
        for problem in row.problems:
            form.add_error(
                name,
                ValidationError(
                    f"{row.output.ref}: {problem} Use the output's own form to record it.",
                    code="refused",
                ),
            )
    conflict = any(r.conflict is not None for r in failed)
    return _page(request, quarter, form, status=409 if conflict else 400)
