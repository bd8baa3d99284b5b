"""Every write to action plans goes through here: permission, transaction, history, audit."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actionplans.models import Output, Quarter, Rag, StatusUpdate
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
