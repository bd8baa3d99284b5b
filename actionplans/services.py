"""Every write to action plans goes through here: permission, transaction, history, audit."""

from dataclasses import dataclass

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actionplans.models import Output, Quarter, Rag, ReturnReminder, Status, StatusUpdate
from leeds_communities.models import record_audit
from leeds_communities.roles import is_governance_support


class StaleUpdate(Exception):
    """Somebody else updated the output after the form was opened; nothing was written."""

    def __init__(self, output: Output, latest: StatusUpdate | None):
        super().__init__(f"{output.ref} was updated by someone else first.")
        self.output = output
        self.latest = latest


@dataclass(frozen=True)
class QuarterRule:
    accepts_returns: bool
    reason: str


def quarter_accepts_returns(quarter: Quarter) -> QuarterRule:
    """Governance support closes a quarter after its deadline; a closed quarter refuses returns."""
    if not quarter.is_open:
        return QuarterRule(
            False, f"{quarter} is closed: its deadline was {quarter.deadline:%-d %B %Y}."
        )
    return QuarterRule(True, "")


@transaction.atomic
def record_status_update(
    *,
    output: Output,
    quarter: Quarter,
    rag: str,
    commentary: str,
    acting_user,
    expected_version: int | None,
    late_reason: str = "",
    source: str = StatusUpdate.Source.WEB,
    created_at=None,
) -> StatusUpdate:
    """Append a RAG return. `expected_version` is the output's version when the form was shown;
    None skips the check (imports, which are all-or-nothing and run as governance support)."""
    if not output.can_be_updated_by(acting_user):
        raise PermissionDenied(
            "Only an officer of the lead agency or governance support may update this output."
        )

    commentary = commentary.strip()
    late_reason = late_reason.strip()
    errors = {}
    if rag not in Rag.values:
        errors["rag"] = ValidationError("Choose Green, Amber or Red.", code="bad_rag")
    elif rag != Rag.GREEN and not commentary:
        errors["commentary"] = ValidationError(
            "Say why the output is amber or red.", code="commentary_required"
        )
    rule = quarter_accepts_returns(quarter)
    if not rule.accepts_returns:
        if not is_governance_support(acting_user):
            errors["__all__"] = ValidationError(
                f"{rule.reason} Ask governance support to record a late return.", code="closed"
            )
        elif not late_reason:
            errors["late_reason"] = ValidationError(
                f"{rule.reason} Give the reason for recording a return now.",
                code="late_reason_required",
            )
    if errors:
        raise ValidationError(errors)

    locked = Output.objects.select_for_update().get(pk=output.pk)
    if expected_version is not None and locked.version != expected_version:
        latest = (
            locked.updates.select_related("created_by", "quarter")
            .order_by("-created_at", "-pk")
            .first()
        )
        raise StaleUpdate(locked, latest)

    update = StatusUpdate.objects.create(
        output=locked,
        quarter=quarter,
        rag=rag,
        commentary=commentary,
        created_by=acting_user,
        created_at=created_at or timezone.now(),
        source=source,
        late_reason=late_reason,
    )
    locked.version += 1
    locked.save(update_fields=["version"])
    output.version = locked.version
    record_audit(
        actor=acting_user,
        action="status_update",
        summary=f"{locked.plan.label} {locked.ref}: {rag} for {quarter}",
        output=locked.pk,
        update=update.pk,
        late=bool(late_reason),
    )
    return update


@transaction.atomic
def set_quarter_state(*, quarter: Quarter, state: str, acting_user, reason: str = "") -> Quarter:
    if not is_governance_support(acting_user):
        raise PermissionDenied("Only governance support opens and closes quarters.")
    if state == Quarter.State.OPEN and quarter.state == Quarter.State.CLOSED and not reason.strip():
        raise ValidationError({"reason": "Give the reason for reopening the quarter."})
    quarter.state = state
    quarter.save(update_fields=["state"])
    record_audit(
        actor=acting_user,
        action=f"quarter_{state}",
        summary=f"{quarter} {state}",
        quarter=quarter.pk,
        reason=reason.strip(),
    )
    return quarter


@dataclass(frozen=True)
class ReminderOutcome:
    sent: list  # ReturnReminder rows
    no_address: list  # organisations with outstanding returns but no officer e-mail address


def outstanding_returns(quarter: Quarter):
    """Outputs counted in `quarter` whose status there is still BLANK."""
    return (
        Output.objects.counted_in(quarter)
        .with_status(quarter)
        .filter(status=Status.BLANK)
        .select_related("plan", "lead_agency")
        .order_by("lead_agency__name", "plan__name", "ref")
    )


def agency_officer_addresses(organisation_ids) -> dict[int, list[str]]:
    """The e-mail addresses of active officers with an account, by their organisation."""
    from django.contrib.auth import get_user_model

    from leeds_communities.roles import Role

    addresses: dict[int, list[str]] = {}
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=Role.OFFICER.value,
            profile__organisation_id__in=list(organisation_ids),
        )
        .exclude(email="")
        .order_by("email")
        .values_list("profile__organisation_id", "email")
        .distinct()
    )
    for organisation_id, email in users:
        addresses.setdefault(organisation_id, []).append(email)
    return addresses


@transaction.atomic
def send_return_reminders(*, quarter: Quarter, acting_user, agency_ids=None) -> ReminderOutcome:
    """E-mail each lead agency (or those in `agency_ids`) with returns still BLANK in `quarter`,
    record each reminder and audit it. Mail leaves once the records are committed."""
    if not is_governance_support(acting_user):
        raise PermissionDenied("Only governance support sends reminders.")
    outstanding: dict[int, list[Output]] = {}
    agencies = {}
    for output in outstanding_returns(quarter):
        if agency_ids is not None and output.lead_agency_id not in agency_ids:
            continue
        outstanding.setdefault(output.lead_agency_id, []).append(output)
        agencies[output.lead_agency_id] = output.lead_agency
    addresses = agency_officer_addresses(outstanding)
    now = timezone.now()
    sent, no_address, messages = [], [], []
    for agency_id, outputs in outstanding.items():
        recipients = addresses.get(agency_id, [])
        if not recipients:
            no_address.append(agencies[agency_id])
            continue
        reminder = ReturnReminder.objects.create(
            quarter=quarter,
            lead_agency=agencies[agency_id],
            sent_by=acting_user,
            sent_at=now,
            recipients=recipients,
            outstanding=len(outputs),
        )
        sent.append(reminder)
        record_audit(
            actor=acting_user,
            action="return_reminder",
            summary=f"Reminded {agencies[agency_id]} of {len(outputs)} returns for {quarter}",
            quarter=quarter.pk,
            organisation=agency_id,
            reminder=reminder.pk,
            recipients=recipients,
        )
        messages.append(_reminder_message(quarter, agencies[agency_id], outputs, recipients))

    def send():
        with mail.get_connection() as connection:
            connection.send_messages(messages)

    if messages:
        transaction.on_commit(send)
    return ReminderOutcome(sent=sent, no_address=no_address)


def _reminder_message(quarter, agency, outputs, recipients) -> mail.EmailMessage:
    lines = [
        "Dear colleague,",
        "",
        f"{agency} has {len(outputs)} output{'s' if len(outputs) != 1 else ''} with no return "
        f"for {quarter}. Returns are due by {quarter.deadline:%-d %B %Y}.",
        "",
    ]
    lines += [f"- {o.plan.label} {o.ref}: {o.title}" for o in outputs]
    lines += [
        "",
        "Sign in to Leeds Communities and open My outputs to record a RAG status for each.",
        "",
        "Governance support, Leeds Communities",
    ]
    return mail.EmailMessage(
        subject=f"Returns due for {quarter}: {len(outputs)} outstanding for {agency}",
        body="\n".join(lines),
        to=recipients,
    )
