"""Every write to action plans goes through here: permission, transaction, history, audit."""

import datetime
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from actionplans.models import (
    ActionPlan,
    Output,
    Priority,
    Quarter,
    Rag,
    ReturnDraft,
    ReturnReminder,
    Status,
    StatusUpdate,
)
from boards.models import Organisation
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
    """An open quarter takes officers' returns; a closed one only late returns from governance
    support. The quarter schedule (`actionplans.schedule`) closes each quarter once the day it
    closes on has ended, so the state is the rule's clock."""
    if not quarter.is_open:
        return QuarterRule(
            False, f"{quarter} is closed: its deadline was {quarter.closes_on:%-d %B %Y}."
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
    corrective_action: str = "",
    corrective_action_by: datetime.date | None = None,
    forecast: str = "",
    source: str = StatusUpdate.Source.WEB,
    created_at=None,
) -> StatusUpdate:
    """Append a RAG return. `expected_version` is the output's version when the form was shown;
    None skips the check (imports, which are all-or-nothing and run as governance support).
    The acting user's draft of this return, if any, goes with it; a refused return keeps it."""
    if not output.can_be_updated_by(acting_user):
        raise PermissionDenied(
            "Only an officer of the lead agency or governance support may update this output."
        )
    commentary, late_reason = commentary.strip(), late_reason.strip()
    corrective_action = corrective_action.strip()
    errors = _return_problems(
        quarter,
        rag,
        commentary,
        late_reason,
        acting_user,
        corrective_action=corrective_action,
        corrective_action_by=corrective_action_by,
        forecast=forecast,
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
        corrective_action=corrective_action,
        corrective_action_by=corrective_action_by,
        forecast=forecast,
    )
    locked.version += 1
    locked.save(update_fields=["version"])
    output.version = locked.version
    ReturnDraft.objects.filter(output=locked, quarter=quarter, created_by=acting_user).delete()
    record_audit(
        actor=acting_user,
        action="status_update",
        summary=f"{locked.plan.label} {locked.ref}: {rag} for {quarter}",
        output=locked.pk,
        update=update.pk,
        late=bool(late_reason),
    )
    return update


@dataclass(frozen=True)
class Return:
    """One return of many recorded together (`record_status_updates`)."""

    output: Output
    quarter: Quarter
    rag: str
    commentary: str = ""
    late_reason: str = ""
    corrective_action: str = ""
    corrective_action_by: datetime.date | None = None
    forecast: str = ""


@transaction.atomic
def record_status_updates(
    *, returns: Sequence[Return], acting_user, source: str = StatusUpdate.Source.IMPORT
) -> list[StatusUpdate]:
    """Many returns in one transaction (a spreadsheet import): each checked by the same rules as
    `record_status_update`, then one insert, one version bump per output and the latest
    returns kept; nothing is written if any return is refused. The caller audits the batch."""
    problems = []
    for item in returns:
        if not item.output.can_be_updated_by(acting_user):
            raise PermissionDenied(
                "Only an officer of the lead agency or governance support may update "
                f"{item.output.ref}."
            )
        errors = _return_problems(
            item.quarter,
            item.rag,
            item.commentary.strip(),
            item.late_reason.strip(),
            acting_user,
            corrective_action=item.corrective_action.strip(),
            corrective_action_by=item.corrective_action_by,
            forecast=item.forecast,
        )
        for messages in errors.values():
            problems.extend(
                f"{item.output.ref}, {item.quarter}: {message}"
                for message in ValidationError(messages).messages
            )
    if problems:
        raise ValidationError(problems)

    output_ids = [item.output.pk for item in returns]
    # Lock the outputs (in id order, so two imports never deadlock) against concurrent returns.
    list(
        Output.objects.select_for_update(of=("self",))
        .filter(pk__in=output_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    created = StatusUpdate.objects.bulk_create(
        [
            StatusUpdate(
                output_id=item.output.pk,
                quarter=item.quarter,
                rag=item.rag,
                commentary=item.commentary.strip(),
                created_by=acting_user,
                created_at=now,
                source=source,
                late_reason=item.late_reason.strip(),
                corrective_action=item.corrective_action.strip(),
                corrective_action_by=item.corrective_action_by,
                forecast=item.forecast,
            )
            for item in returns
        ],
        batch_size=2000,
    )
    per_output = Counter(output_ids)
    by_count: dict[int, list[int]] = {}
    for output_id, n in per_output.items():
        by_count.setdefault(n, []).append(output_id)
    for n, ids in by_count.items():
        Output.objects.filter(pk__in=ids).update(version=F("version") + n)
    return created


def return_content_problems(
    quarter: Quarter,
    rag: str,
    commentary: str,
    *,
    corrective_action: str = "",
    corrective_action_by: datetime.date | None = None,
    forecast: str = "",
) -> dict:
    """What is wrong with what a return says (by field), whoever records it and whenever:
    Amber and Red say why; Red says what is being done and by when (not before its quarter
    starts); Green needs no corrective action; a forecast is a RAG status or nothing."""
    errors = {}
    if rag not in Rag.values:
        errors["rag"] = ValidationError("Choose Green, Amber or Red.", code="bad_rag")
    elif rag != Rag.GREEN and not commentary:
        errors["commentary"] = ValidationError(
            "Say why the output is amber or red.", code="commentary_required"
        )
    if rag == Rag.GREEN and (corrective_action or corrective_action_by):
        errors["corrective_action"] = ValidationError(
            "A green return needs no corrective action; leave it empty.",
            code="corrective_action_green",
        )
    elif rag == Rag.RED or corrective_action or corrective_action_by:
        # Red needs both; Amber may give corrective action, but whole: what and by when.
        if not corrective_action:
            errors["corrective_action"] = ValidationError(
                "Say what is being done to bring the output back on track."
                if rag == Rag.RED
                else "Say what is being done, or leave the date empty too.",
                code="corrective_action_required",
            )
        if corrective_action_by is None:
            errors["corrective_action_by"] = ValidationError(
                "Say by when the corrective action will be done.",
                code="corrective_action_by_required",
            )
        elif corrective_action_by < quarter.start:
            errors["corrective_action_by"] = ValidationError(
                f"The corrective action cannot be due before {quarter} starts "
                f"({quarter.start:%-d %B %Y}).",
                code="corrective_action_by_too_early",
            )
    if forecast and forecast not in Rag.values:
        errors["forecast"] = ValidationError(
            "Choose Green, Amber or Red as the forecast, or none.", code="bad_forecast"
        )
    return errors


def _return_problems(
    quarter,
    rag,
    commentary,
    late_reason,
    acting_user,
    *,
    corrective_action="",
    corrective_action_by=None,
    forecast="",
) -> dict:
    """What is wrong with a return (by field), by the rules every return follows."""
    errors = return_content_problems(
        quarter,
        rag,
        commentary,
        corrective_action=corrective_action,
        corrective_action_by=corrective_action_by,
        forecast=forecast,
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
    return errors


# --- drafts and carrying forward --------------------------------------------------------------


@transaction.atomic
def save_return_draft(
    *,
    output: Output,
    quarter: Quarter,
    acting_user,
    version: int,
    rag: str = "",
    commentary: str = "",
    corrective_action: str = "",
    corrective_action_by: datetime.date | None = None,
    forecast: str = "",
    late_reason: str = "",
) -> ReturnDraft:
    """Keep `acting_user`'s unfinished return for `output` in `quarter` (replacing their previous
    draft of it). A draft is checked for nothing but who may write it: it counts for nothing
    until it is submitted through `record_status_update`. `version` is the output's version
    the typing was based on."""
    if not output.can_be_updated_by(acting_user):
        raise PermissionDenied(
            "Only an officer of the lead agency or governance support may update this output."
        )
    rule = quarter_accepts_returns(quarter)
    if not rule.accepts_returns and not is_governance_support(acting_user):
        raise ValidationError(
            f"{rule.reason} Ask governance support to record a late return.", code="closed"
        )
    draft, _ = ReturnDraft.objects.update_or_create(
        output=output,
        quarter=quarter,
        created_by=acting_user,
        defaults={
            "rag": rag if rag in Rag.values else "",
            "commentary": commentary.strip(),
            "corrective_action": corrective_action.strip(),
            "corrective_action_by": corrective_action_by,
            "forecast": forecast if forecast in Rag.values else "",
            "late_reason": late_reason.strip(),
            "version": version,
            "saved_at": timezone.now(),
        },
    )
    return draft


def carry_forward(
    *,
    output: Output,
    quarter: Quarter,
    previous: StatusUpdate,
    commentary: str,
    acting_user,
    expected_version: int,
) -> StatusUpdate:
    """ "No change since last quarter": record `previous`'s RAG, corrective action and forecast
    as `output`'s return for `quarter`, with a new commentary, by the rules and the version
    check of every return (`record_status_update`)."""
    if previous.output_id != output.pk or previous.quarter.ordinal >= quarter.ordinal:
        raise ValidationError("Only an earlier return of the same output can be carried forward.")
    return record_status_update(
        output=output,
        quarter=quarter,
        rag=previous.rag,
        commentary=commentary,
        corrective_action=previous.corrective_action,
        corrective_action_by=previous.corrective_action_by,
        forecast=previous.forecast,
        acting_user=acting_user,
        expected_version=expected_version,
    )


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


def _quarter_change(quarter: Quarter, acting_user, reason: str, action: str, summary: str, **more):
    record_audit(
        actor=acting_user,
        action=action,
        summary=summary,
        quarter=quarter.pk,
        reason=reason,
        **{k: str(v) if isinstance(v, datetime.date) else v for k, v in more.items()},
    )


def _check_quarter_change(quarter: Quarter, acting_user, reason: str) -> str:
    if not is_governance_support(acting_user):
        raise PermissionDenied("Only governance support opens, extends and closes quarters.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason; it is kept with the change."})
    return reason


@transaction.atomic
def extend_deadline(*, quarter: Quarter, deadline: datetime.date, acting_user, reason: str):
    """Set an open quarter's deadline to a later day (or an earlier one, not before the quarter
    ends or today). Audited with who, when and why."""
    reason = _check_quarter_change(quarter, acting_user, reason)
    today = timezone.localdate()
    if not quarter.is_open:
        raise ValidationError({"deadline": f"{quarter} is closed; reopen it to take more returns."})
    if deadline < quarter.end:
        raise ValidationError(
            {"deadline": f"The deadline cannot be before {quarter} ends ({quarter.end:%-d %B %Y})."}
        )
    if deadline < today:
        raise ValidationError({"deadline": "The deadline cannot be in the past."})
    before = quarter.deadline
    quarter.deadline = deadline
    quarter.save(update_fields=["deadline"])
    _quarter_change(
        quarter,
        acting_user,
        reason,
        "quarter_deadline",
        f"{quarter} deadline moved from {before:%-d %B %Y} to {deadline:%-d %B %Y}",
        previous=before,
        deadline=deadline,
    )
    return quarter


@transaction.atomic
def close_quarter_early(*, quarter: Quarter, acting_user, reason: str):
    """Close an open quarter before its deadline: its returns are published at once."""
    reason = _check_quarter_change(quarter, acting_user, reason)
    if not quarter.is_open:
        raise ValidationError({"__all__": f"{quarter} is already closed."})
    quarter.state = Quarter.State.CLOSED
    quarter.save(update_fields=["state"])
    _quarter_change(quarter, acting_user, reason, "quarter_closed", f"{quarter} closed early")
    return quarter


@transaction.atomic
def reopen_quarter(*, quarter: Quarter, until: datetime.date, acting_user, reason: str):
    """Reopen a closed quarter to officers' returns until the end of `until` (today or later);
    returns recorded after its deadline show as late. The schedule closes it again after."""
    reason = _check_quarter_change(quarter, acting_user, reason)
    if quarter.is_open:
        raise ValidationError({"__all__": f"{quarter} is open already."})
    if until < timezone.localdate():
        raise ValidationError({"until": "Reopen it until today or a later day."})
    quarter.state = Quarter.State.OPEN
    quarter.reopened_until = until
    quarter.save(update_fields=["state", "reopened_until"])
    _quarter_change(
        quarter,
        acting_user,
        reason,
        "quarter_reopened",
        f"{quarter} reopened until {until:%-d %B %Y}",
        until=until,
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
def send_return_reminders(
    *,
    quarter: Quarter,
    acting_user,
    agency_ids=None,
    kind: str = ReturnReminder.Kind.MANUAL,
    copy_to=None,
) -> ReminderOutcome:
    """E-mail each lead agency (or those in `agency_ids`) with returns still BLANK in `quarter`,
    record each reminder and audit it. Mail leaves once the records are committed; a reminder
    whose sending fails is kept as failed and sent again by the next quarter schedule run.

    Governance support sends `manual` reminders from the returns page; the quarter schedule
    (`actionplans.schedule`, acting_user None) sends `before` and `after` ones, once each per
    agency and quarter, the `after` ones copied to `copy_to(outputs)`'s addresses."""
    if acting_user is not None and not is_governance_support(acting_user):
        raise PermissionDenied("Only governance support sends reminders.")
    if acting_user is None and kind == ReturnReminder.Kind.MANUAL:
        raise PermissionDenied("Only governance support sends reminders.")
    outstanding: dict[int, list[Output]] = {}
    agencies = {}
    for output in outstanding_returns(quarter).select_related("plan__owner"):
        if agency_ids is not None and output.lead_agency_id not in agency_ids:
            continue
        outstanding.setdefault(output.lead_agency_id, []).append(output)
        agencies[output.lead_agency_id] = output.lead_agency
    if kind != ReturnReminder.Kind.MANUAL:
        already = set(
            ReturnReminder.objects.filter(quarter=quarter, kind=kind).values_list(
                "lead_agency_id", flat=True
            )
        )
        outstanding = {a: o for a, o in outstanding.items() if a not in already}
    addresses = agency_officer_addresses(outstanding)
    now = timezone.now()
    sent, no_address = [], []
    for agency_id, outputs in outstanding.items():
        recipients = addresses.get(agency_id, [])
        if not recipients:
            no_address.append(agencies[agency_id])
            continue
        copied = [a for a in (copy_to(outputs) if copy_to else []) if a not in recipients]
        reminder = ReturnReminder.objects.create(
            quarter=quarter,
            lead_agency=agencies[agency_id],
            sent_by=acting_user,
            sent_at=now,
            recipients=recipients,
            copied_to=copied,
            outstanding=len(outputs),
            kind=kind,
            delivery=ReturnReminder.Delivery.QUEUED,
        )
        reminder.outputs = outputs
        sent.append(reminder)
        record_audit(
            actor=acting_user,
            action="return_reminder",
            summary=f"Reminded {agencies[agency_id]} of {len(outputs)} returns for {quarter}"
            + ("" if kind == ReturnReminder.Kind.MANUAL else f" ({kind} the deadline)"),
            quarter=quarter.pk,
            organisation=agency_id,
            reminder=reminder.pk,
            recipients=recipients,
            copied_to=copied,
            kind=kind,
        )
    if sent:
        ids = [r.pk for r in sent]
        transaction.on_commit(lambda: deliver_reminders(ids))
    return ReminderOutcome(sent=sent, no_address=no_address)


def deliver_reminders(ids=None) -> tuple[int, int]:
    """Send queued (or, with `ids` None, every queued and failed) reminder, each marked sent or
    failed with the reason; returns (sent, failed). Called once reminders are committed, and by
    each quarter schedule run to retry the ones a mail server refused."""
    pending = ReturnReminder.objects.select_related("quarter", "lead_agency")
    if ids is None:
        pending = pending.filter(
            delivery__in=[ReturnReminder.Delivery.QUEUED, ReturnReminder.Delivery.FAILED]
        )
    else:
        pending = pending.filter(pk__in=ids, delivery=ReturnReminder.Delivery.QUEUED)
    done = failed = 0
    for reminder in pending.order_by("pk"):
        outputs = list(
            outstanding_returns(reminder.quarter).filter(lead_agency=reminder.lead_agency)
        )
        message = _reminder_message(reminder, outputs)
        reminder.attempts += 1
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - any failure to send is recorded and retried
            reminder.delivery = ReturnReminder.Delivery.FAILED
            reminder.error = f"{type(error).__name__}: {error}"[:1000]
            failed += 1
        else:
            reminder.delivery = ReturnReminder.Delivery.SENT
            reminder.delivered_at = timezone.now()
            reminder.error = ""
            done += 1
        reminder.save(update_fields=["delivery", "attempts", "delivered_at", "error"])
    return done, failed


def _reminder_message(reminder: ReturnReminder, outputs) -> mail.EmailMessage:
    quarter, agency = reminder.quarter, reminder.lead_agency
    count = len(outputs) or reminder.outstanding
    plural = "s" if count != 1 else ""
    if reminder.kind == ReturnReminder.Kind.AFTER:
        opening = (
            f"{agency} has {count} output{plural} with no return for {quarter}, whose deadline "
            f"was {quarter.deadline:%-d %B %Y}. The returns are now overdue: send them to "
            "governance support, who can record them late with the reason."
        )
        subject = f"Overdue returns for {quarter}: {count} outstanding for {agency}"
    else:
        opening = (
            f"{agency} has {count} output{plural} with no return for {quarter}. Returns are "
            f"due by the end of {quarter.closes_on:%-d %B %Y}."
        )
        subject = f"Returns due for {quarter}: {count} outstanding for {agency}"
    lines = ["Dear colleague,", "", opening, ""]
    lines += [f"- {o.plan.label} {o.ref}: {o.title}" for o in outputs]
    lines += [
        "",
        "Sign in to Leeds Communities and open My outputs to record a RAG status for each.",
        "",
        "Governance support, Leeds Communities",
    ]
    return mail.EmailMessage(
        subject=subject, body="\n".join(lines), to=reminder.recipients, cc=reminder.copied_to
    )


# --- outputs --------------------------------------------------------------------------------

# The fields of an output that governance support edits (not its plan, ref or history).
OUTPUT_FIELDS = ("title", "priority", "lead_agency", "lead_officer", "commencement", "due")
_REF_MAX = Output._meta.get_field("ref").max_length
_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def _require_governance_support(acting_user, doing: str) -> None:
    if not is_governance_support(acting_user):
        raise PermissionDenied(f"Only governance support {doing}.")


@dataclass(frozen=True)
class RefCheck:
    """Whether `ref` is taken in its plan, and the reference to propose instead."""

    ref: str
    taken: bool
    next_free: str


def check_output_ref(
    *, plan: ActionPlan | None, ref: str, taken: Collection[str] | None = None
) -> RefCheck:
    """The duplicate-reference rule: an output's reference is unique within its plan. `taken`
    is the refs already in use in the plan when the caller has them (a batch asks once);
    otherwise they are read. The proposal counts on from a trailing number (NE009 → NE010),
    or adds one (Jobs → Jobs-2)."""
    ref = ref.strip()
    if taken is None:
        taken = (
            set(Output.objects.filter(plan=plan).values_list("ref", flat=True))
            if plan.pk
            else set()
        )
    if ref not in taken:
        return RefCheck(ref, False, ref)
    match = _NUMBERED.match(ref)
    stem, number, width = (match[1], int(match[2]), len(match[2])) if match else (ref, 1, 0)
    sep = "" if match else "-"
    while True:
        number += 1
        tail = f"{sep}{number:0{width}d}"
        candidate = stem[: _REF_MAX - len(tail)] + tail
        if candidate not in taken:
            return RefCheck(ref, True, candidate)


def _duplicate_ref(plan: ActionPlan, check: RefCheck) -> ValidationError:
    return ValidationError(
        f"{plan} already has an output {check.ref}; {check.next_free} is free.",
        code="duplicate_ref",
    )


def _output_problems(output: Output) -> dict[str, ValidationError]:
    problems = {}
    if not output.title.strip():
        problems["title"] = ValidationError("Say what the output is.", code="required")
    if output.commencement is None:
        problems["commencement"] = ValidationError("Enter the commencement date.", code="required")
    elif output.due and output.due < output.commencement:
        problems["due"] = ValidationError(
            "The due date cannot be before the commencement date.",
            code="due_before_commencement",
        )
    return problems


def _new_output_problems(output: Output, taken: Collection[str] | None) -> dict:
    problems = _output_problems(output)
    if not output.ref:
        problems["ref"] = ValidationError("Enter a reference for the output.", code="required")
    else:
        check = check_output_ref(plan=output.plan, ref=output.ref, taken=taken)
        if check.taken:
            problems["ref"] = _duplicate_ref(output.plan, check)
    return problems


def _relink(obj, *names: str) -> None:
    """Point foreign keys at the ids of related records saved after they were assigned."""
    for name in names:
        setattr(obj, name, getattr(obj, name))


@transaction.atomic
def create_outputs(*, outputs: Sequence[Output], acting_user, summary: str = "") -> list[Output]:
    """Add new outputs (unsaved `Output`s, their plans saved), checking every reference against
    its plan and the batch, in a fixed number of queries; one audit row for the batch."""
    _require_governance_support(acting_user, "adds outputs")
    plan_ids = set()
    for output in outputs:
        _relink(output, "plan", "priority", "lead_agency")
        output.ref = output.ref.strip()
        plan_ids.add(output.plan_id)
    taken: dict[int, set[str]] = {}
    for plan_id, ref in Output.objects.filter(plan_id__in=plan_ids).values_list("plan_id", "ref"):
        taken.setdefault(plan_id, set()).add(ref)
    errors = []
    for output in outputs:
        refs = taken.setdefault(output.plan_id, set())
        problems = _new_output_problems(output, refs)
        refs.add(output.ref)
        errors += [
            ValidationError(f"{output.ref}: {e.message}", code=e.code) for e in problems.values()
        ]
    if errors:
        raise ValidationError(errors)
    created = Output.objects.bulk_create(outputs, batch_size=500)
    record_audit(
        actor=acting_user,
        action="outputs_created",
        summary=summary or f"Added {len(created)} output{'s' if len(created) != 1 else ''}",
        outputs=[o.pk for o in created],
    )
    return created


@transaction.atomic
def create_output(
    *,
    plan: ActionPlan,
    ref: str,
    title: str,
    lead_agency: Organisation,
    commencement: datetime.date,
    acting_user,
    due: datetime.date | None = None,
    priority: Priority | None = None,
    lead_officer: str = "",
) -> Output:
    """Add one output to `plan`; refused if its reference is taken there."""
    _require_governance_support(acting_user, "adds outputs")
    output = Output(
        plan=plan,
        ref=ref.strip(),
        title=title.strip(),
        lead_agency=lead_agency,
        commencement=commencement,
        due=due,
        priority=priority,
        lead_officer=lead_officer.strip(),
    )
    problems = _new_output_problems(output, None)
    if problems:
        raise ValidationError(problems)
    output.save()
    record_audit(
        actor=acting_user,
        action="output_created",
        summary=f"{plan.label} {output.ref}: added",
        output=output.pk,
    )
    return output


def _show(value) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


@transaction.atomic
def update_outputs(
    *, updates: Iterable[tuple[Output, dict[str, Any]]], acting_user, summary: str = ""
) -> list[Output]:
    """Change fields of existing outputs: `updates` pairs an output with {field: new value}
    (fields from OUTPUT_FIELDS). One bulk write and one audit row for the batch."""
    _require_governance_support(acting_user, "changes outputs")
    changed: list[Output] = []
    fields: set[str] = set()
    errors = []
    for output, values in updates:
        unknown = set(values) - set(OUTPUT_FIELDS)
        if unknown:
            raise ValueError(f"Cannot change {', '.join(sorted(unknown))} of an output.")
        for name, value in values.items():
            setattr(output, name, value)
        _relink(output, "priority", "lead_agency")
        errors += [
            ValidationError(f"{output.ref}: {e.message}", code=e.code)
            for e in _output_problems(output).values()
        ]
        fields.update(values)
        changed.append(output)
    if errors:
        raise ValidationError(errors)
    if changed and fields:
        Output.objects.bulk_update(changed, sorted(fields), batch_size=500)
    record_audit(
        actor=acting_user,
        action="outputs_updated",
        summary=summary or f"Changed {len(changed)} output{'s' if len(changed) != 1 else ''}",
        outputs=[o.pk for o in changed],
        fields=sorted(fields),
    )
    return changed


_KEEP: Any = object()


@transaction.atomic
def update_output(
    *,
    output: Output,
    acting_user,
    title: str = _KEEP,
    priority: Priority | None = _KEEP,
    lead_agency: Organisation = _KEEP,
    lead_officer: str = _KEEP,
    commencement: datetime.date = _KEEP,
    due: datetime.date | None = _KEEP,
) -> Output:
    """Change the given fields of one output (those not given stay as they are)."""
    _require_governance_support(acting_user, "changes outputs")
    given = {
        "title": title,
        "priority": priority,
        "lead_agency": lead_agency,
        "lead_officer": lead_officer,
        "commencement": commencement,
        "due": due,
    }
    values = {
        name: value
        for name, value in given.items()
        if value is not _KEEP and value != getattr(output, name)
    }
    before = {name: _show(getattr(output, name)) for name in values}
    for name, value in values.items():
        setattr(output, name, value)
    problems = _output_problems(output)
    if problems:
        raise ValidationError(problems)
    if values:
        output.save(update_fields=list(values))
    record_audit(
        actor=acting_user,
        action="output_updated",
        summary=f"{output.plan.label} {output.ref}: "
        + (", ".join(values) if values else "no change"),
        output=output.pk,
        changes={name: [before[name], _show(value)] for name, value in values.items()},
    )
    return output


@transaction.atomic
def withdraw_output(
    *, output: Output, withdrawn: datetime.date, reason: str, acting_user
) -> Output:
    """Record that an output was withdrawn on `withdrawn`, and why. From the quarter after it
    is withdrawn it is no longer counted; its history stays."""
    _require_governance_support(acting_user, "withdraws outputs")
    reason = reason.strip()
    errors = {}
    if withdrawn is None:
        errors["withdrawn"] = ValidationError("Enter the date it was withdrawn.", code="required")
    if not reason:
        errors["reason"] = ValidationError("Give the reason for withdrawing it.", code="required")
    if errors:
        raise ValidationError(errors)
    locked = Output.objects.select_for_update().select_related("plan").get(pk=output.pk)
    previous = locked.withdrawn
    locked.withdrawn = withdrawn
    locked.save(update_fields=["withdrawn"])
    output.withdrawn = withdrawn
    record_audit(
        actor=acting_user,
        action="output_withdrawn",
        summary=f"{locked.plan.label} {locked.ref}: withdrawn {withdrawn:%-d %B %Y}",
        output=locked.pk,
        withdrawn=withdrawn.isoformat(),
        previous=previous.isoformat() if previous else None,
        reason=reason,
    )
    return locked


# --- what an import adds around outputs -----------------------------------------------------


@transaction.atomic
def create_plan_records(
    *,
    acting_user,
    organisations: Sequence[Organisation] = (),
    plans: Sequence[ActionPlan] = (),
    priorities: Sequence[Priority] = (),
) -> None:
    """Add lead agencies, plans and priorities (unsaved, named by an import), dependencies
    first, in one query each; one audit row names them."""
    _require_governance_support(acting_user, "adds plans, priorities and lead agencies")
    Organisation.objects.bulk_create(organisations)
    ActionPlan.objects.bulk_create(plans)
    for priority in priorities:
        _relink(priority, "plan")
    Priority.objects.bulk_create(priorities)
    if organisations or plans or priorities:
        record_audit(
            actor=acting_user,
            action="plan_records_created",
            summary=f"Added {len(organisations)} lead agencies, {len(plans)} plans, "
            f"{len(priorities)} priorities",
            organisations=[o.name for o in organisations],
            plans=[p.pk for p in plans],
            priorities=[p.pk for p in priorities],
        )


@transaction.atomic
def create_past_quarters(*, quarters: Sequence[Quarter], acting_user) -> None:
    """Add quarters that have already ended, closed (an import of old returns needs them)."""
    _require_governance_support(acting_user, "adds quarters")
    today = timezone.localdate()
    for quarter in quarters:
        if quarter.end >= today or quarter.state != Quarter.State.CLOSED:
            raise ValidationError(
                f"{quarter} has not ended, so it is opened by the schedule, not added.",
                code="not_ended",
            )
    Quarter.objects.bulk_create(quarters)
    if quarters:
        record_audit(
            actor=acting_user,
            action="quarters_created",
            summary="Added closed quarters " + ", ".join(str(q) for q in quarters),
            quarters=[q.pk for q in quarters],
        )
