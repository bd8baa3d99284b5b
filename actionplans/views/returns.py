"""Chasing: the returns still BLANK in a quarter, by lead agency, and reminders to send."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from actionplans.forms import ReminderForm
from actionplans.models import Quarter, ReturnReminder
from actionplans.services import (
    agency_officer_addresses,
    outstanding_returns,
    send_return_reminders,
)
from actionplans.views.outputs import current_quarter
from leeds_communities.roles import Role, has_role, is_governance_support


def _returns_url(quarter: Quarter) -> str:
    query = urlencode({"year": quarter.year_label, "quarter": quarter.number})
    return f"{reverse('actionplans:returns')}?{query}"


@require_safe
def returns(request):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    support = is_governance_support(user)
    if not support and not has_role(user, Role.OFFICER):
        raise PermissionDenied("Returns are for governance support and lead agencies' officers.")

    problem = ""
    quarter = None
    year, number = request.GET.get("year", ""), request.GET.get("quarter", "")
    if year or number:
        try:
            quarter = Quarter.objects.get_by_label(year, number)
        except ValueError as error:
            problem = str(error)
        except Quarter.DoesNotExist:
            problem = f"There is no quarter {number} {year} in the register."
    else:
        quarter = current_quarter()

    groups = []
    if quarter is not None:
        outputs = outstanding_returns(quarter)
        if not support:
            # An officer chases their own agency's returns only.
            outputs = outputs.led_by_user_agency(user)
        by_agency: dict[int, dict] = {}
        for output in outputs:
            group = by_agency.setdefault(
                output.lead_agency_id,
                {"agency": output.lead_agency, "outputs": [], "officers": set()},
            )
            group["outputs"].append(output)
            if output.lead_officer:
                group["officers"].add(output.lead_officer)
        addresses = agency_officer_addresses(by_agency) if support else {}
        last_reminders = {}
        for reminder in (
            ReturnReminder.objects.filter(quarter=quarter, lead_agency_id__in=list(by_agency))
            .select_related("sent_by")
            .order_by("lead_agency_id", "-sent_at", "-pk")
        ):
            last_reminders.setdefault(reminder.lead_agency_id, reminder)
        for agency_id, group in by_agency.items():
            group["officers"] = sorted(group["officers"])
            group["recipients"] = len(addresses.get(agency_id, []))
            group["last_reminder"] = last_reminders.get(agency_id)
            groups.append(group)

    years = [
        Quarter(year=y, number=1).year_label
        for y in Quarter.objects.order_by("-year").values_list("year", flat=True).distinct()
    ]
    status = 400 if problem else 200
    return render(
        request,
        "actionplans/returns.html",
        {
            "quarter": quarter,
            "years": years,
            "groups": groups,
            "outstanding": sum(len(g["outputs"]) for g in groups),
            "problem": problem,
            "support": support,
        },
        status=status,
    )


@require_POST
def returns_remind(request):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("actionplans:returns"))
    if not is_governance_support(request.user):
        raise PermissionDenied("Only governance support sends reminders.")
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose a quarter to send reminders for.")
    quarter = form.cleaned_data["quarter"]
    agency = form.cleaned_data["agency"]
    outcome = send_return_reminders(
        quarter=quarter,
        acting_user=request.user,
        agency_ids={agency} if agency else None,
    )
    if outcome.sent:
        names = ", ".join(str(r.lead_agency) for r in outcome.sent)
        count = sum(len(r.recipients) for r in outcome.sent)
        messages.success(
            request,
            f"Reminders sent to {count} officer{'s' if count != 1 else ''} of {names}.",
        )
    if outcome.no_address:
        names = ", ".join(str(o) for o in outcome.no_address)
        messages.warning(
            request, f"No reminder sent to {names}: no officer there has an e-mail address."
        )
    if not outcome.sent and not outcome.no_address:
        messages.info(request, f"No returns are outstanding for {quarter}; nothing was sent.")
    return redirect(_returns_url(quarter))
