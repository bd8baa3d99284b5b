"""The quarters page: every quarter's state, deadline and returns, and governance support's
close-early, extend and reopen actions (each a GOV.UK form calling one service)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from actionplans.forms import CloseEarlyForm, ExtendDeadlineForm, ReopenForm
from actionplans.models import Output, Quarter, Rag, ReturnReminder, Status
from actionplans.schedule import reminder_from
from actionplans.services import close_quarter_early, extend_deadline, reopen_quarter
from leeds_communities.access import allow_only
from leeds_communities.forms import error_summary
from leeds_communities.roles import is_governance_support

PER_PAGE = 8
ONLY_SUPPORT = "The quarters page is for governance support."

ACTIONS = {
    "extend": (ExtendDeadlineForm, "Extend the deadline"),
    "close": (CloseEarlyForm, "Close early"),
    "reopen": (ReopenForm, "Reopen"),
}


def _returns(quarters: list[Quarter]) -> dict[int, tuple[int, int]]:
    """(received, expected) for each quarter, one query each: expected are the outputs the
    quarter counts that had commenced (not WHITE), received those with a return."""
    result = {}
    for quarter in quarters:
        counts = (
            Output.objects.counted_in(quarter)
            .with_status(quarter)
            .aggregate(
                received=Count("pk", filter=Q(status__in=Rag.values)),
                expected=Count("pk", filter=~Q(status=Status.WHITE)),
            )
        )
        result[quarter.pk] = (counts["received"], counts["expected"])
    return result


@allow_only(is_governance_support, ONLY_SUPPORT)
def quarter_list(request):
    page = Paginator(Quarter.objects.order_by("-year", "-number"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    quarters = list(page.object_list)
    returns = _returns(quarters)
    rows = [(q, *returns.get(q.pk, (0, 0))) for q in quarters]
    return render(
        request,
        "actionplans/quarters.html",
        {"rows": rows, "page": page, "today": timezone.localdate()},
    )


@allow_only(is_governance_support, ONLY_SUPPORT)
def quarter_detail(request, year: int, number: int):
    quarter = get_object_or_404(Quarter, year=year, number=number)
    forms = {name: form_class(prefix=name) for name, (form_class, _) in ACTIONS.items()}
    status = 200
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ACTIONS:
        form = ACTIONS[action][0](request.POST, prefix=action)
        forms[action] = form
        if form.is_valid():
            try:
                _apply(action, quarter, form.cleaned_data, request.user)
            except ValidationError as error:
                _keep_errors(form, error)
            else:
                messages.success(request, _done(action, quarter))
                return redirect(reverse("actionplans:quarter_detail", args=[year, number]))
        status = 400
    elif request.method == "POST":
        status = 400
    received, expected = _returns([quarter]).get(quarter.pk, (0, 0))
    return render(
        request,
        "actionplans/quarter_detail.html",
        {
            "quarter": quarter,
            "forms": forms,
            "errors": error_summary(*forms.values()),
            "received": received,
            "expected": expected,
            "reminder_from": reminder_from(quarter),
            "reminders": ReturnReminder.objects.filter(quarter=quarter)
            .select_related("lead_agency", "sent_by")
            .order_by("-sent_at", "-pk"),
        },
        status=status,
    )


def _apply(action: str, quarter: Quarter, data: dict, user) -> None:
    if action == "extend":
        extend_deadline(
            quarter=quarter, deadline=data["deadline"], acting_user=user, reason=data["reason"]
        )
    elif action == "close":
        close_quarter_early(quarter=quarter, acting_user=user, reason=data["reason"])
    else:
        reopen_quarter(
            quarter=quarter, until=data["until"], acting_user=user, reason=data["reason"]
        )


def _keep_errors(form, error: ValidationError) -> None:
    """The service's refusal, on the field it names (or the form) so the page shows it."""
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)


def _done(action: str, quarter: Quarter) -> str:
    if action == "extend":
        return f"The deadline for {quarter} is now {quarter.deadline:%-d %B %Y}."
    if action == "close":
        return f"{quarter} is closed; its returns are published."
    return f"{quarter} is open for returns until {quarter.reopened_until:%-d %B %Y}."
