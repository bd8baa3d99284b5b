"""Chasing: the returns still BLANK in a quarter, by lead agency, and reminders to send."""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from actionplans.forms import ReminderForm
from actionplans.models import Quarter, ReturnReminder
from actionplans.quarters import quarter_from_request, reporting_quarter
from actionplans.services import (
    agency_officer_addresses,
    outstanding_returns,
    send_return_reminders,
)
from actionplans.tables import OutstandingReturnTable
from leeds_communities.access import allow_only, reports_returns
from leeds_communities.roles import is_governance_support
from leeds_communities.tables import EXPORT_FORMATS, export_response


def _returns_url(quarter: Quarter) -> str:
    query = urlencode({"year": quarter.year_label, "quarter": quarter.number})
    return f"{reverse('actionplans:returns')}?{query}"


@require_safe
@allow_only(reports_returns, "Returns are for governance support and lead agencies' officers.")
def returns(request):
    user = request.user
    support = is_governance_support(user)
    quarter, form = quarter_from_request(
        request,
        quarters=Quarter.objects.all(),
        default=reporting_quarter,
        missing="There is no quarter {number} {year} in the register.",
    )
    problem = next((str(e) for errors in form.errors.values() for e in errors), "")

    groups = []
    if quarter is not None:
        outputs = outstanding_returns(quarter)
        if not support:
            # An officer chases their own agency's returns only.
            outputs = outputs.led_by_user_agency(user)
        if request.GET.get("_export") in EXPORT_FORMATS:
            table = OutstandingReturnTable(outputs)
            name = f"returns-outstanding-{quarter.year_label.replace('/', '-')}-q{quarter.number}"
            return export_response(request, table, request.GET["_export"], name)
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

    status = 400 if problem else 200
    return render(
        request,
        "actionplans/returns.html",
        {
            "quarter": quarter,
            "years": form.years,
            "groups": groups,
            "outstanding": sum(len(g["outputs"]) for g in groups),
            "problem": problem,
            "support": support,
            "csv_url": f"{_returns_url(quarter)}&_export=csv" if quarter else "",
        },
        status=status,
    )


@require_POST
@allow_only(
    is_governance_support,
    "Only governance support sends reminders.",
    login_next=reverse_lazy("actionplans:returns"),
)
def returns_remind(request):
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
