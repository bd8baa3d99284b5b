"""Every governance write to the register goes through here: memberships and the terms of
reference's life (draft → agreed, or agreed subject to a condition → superseded), each checked,
atomic and audited. Plain edits use `leeds_communities.services.save_record`."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from boards.models import Board, Membership, Organisation, Person, TermsOfReference
from leeds_communities.models import record_audit
from leeds_communities.services import require_governance_support


def _seat(membership: Membership) -> str:
    return f"{membership.member_name} ({membership.get_role_display()}) on {membership.board}"


@transaction.atomic
def add_membership(
    *,
    board: Board,
    acting_user,
    person: Person | None = None,
    organisation: Organisation | None = None,
    role: str = Membership.Role.MEMBER,
    statutory_category: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    note: str = "",
) -> Membership:
    """A seat on `board`: a person, the organisation they represent, or both (`end` for a
    seat recorded after it ended)."""
    require_governance_support(acting_user, "changes who sits on a board")
    membership = Membership(
        board=board,
        person=person,
        organisation=organisation,
        role=role,
        statutory_category=statutory_category,
        start=start,
        end=end,
        note=note,
    )
    membership.full_clean()
    membership.save()
    record_audit(
        actor=acting_user,
        action="membership.added",
        summary=f"Seat added: {_seat(membership)} from {start or 'an unrecorded date'}",
        board=board.pk,
        membership=membership.pk,
    )
    return membership


@transaction.atomic
def end_membership(
    *, membership: Membership, end: datetime.date, acting_user, reason: str = ""
) -> Membership:
    """The seat ends on `end` (it stays in the register: the board "as at" a date shows it)."""
    require_governance_support(acting_user, "changes who sits on a board")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.end is not None:
        raise ValidationError(
            f"This seat already ended on {membership.end:%-d %B %Y}.", code="already_ended"
        )
    if membership.start and end < membership.start:
        raise ValidationError(
            {"end": "A membership cannot end before it starts."}, code="ends_before_start"
        )
    membership.end = end
    membership.save(update_fields=["end"])
    record_audit(
        actor=acting_user,
        action="membership.ended",
        summary=f"Seat ended {end:%-d %B %Y}: {_seat(membership)}",
        board=membership.board_id,
        membership=membership.pk,
        reason=reason.strip(),
    )
    return membership


AGREED = (TermsOfReference.Status.AGREED, TermsOfReference.Status.AGREED_SUBJECT_TO)


def terms_status_problems(
    *, current: str | None, status: str, agreed_on, condition: str
) -> dict[str, ValidationError]:
    """What is wrong with moving a version from `current` (None: a new version) to `status`;
    the service and the administration form both ask here."""
    problems = {}
    if current == TermsOfReference.Status.SUPERSEDED and status != current:
        problems["status"] = ValidationError(
            "A superseded version cannot change; start a new version.", code="superseded"
        )
    if status == TermsOfReference.Status.AGREED_SUBJECT_TO and not (condition or "").strip():
        problems["condition"] = ValidationError(
            "Say what the agreement is subject to.", code="condition_required"
        )
    if status in AGREED and agreed_on is None:
        problems["agreed_on"] = ValidationError(
            "Give the date it was agreed.", code="date_required"
        )
    return problems


@transaction.atomic
def set_terms_status(
    *,
    terms: TermsOfReference,
    status: str,
    acting_user,
    agreed_on: datetime.date | None = None,
    agreed_at_meeting: str = "",
    condition: str = "",
) -> TermsOfReference:
    """Move a version on: agreeing it (outright or subject to a condition) supersedes the
    version in force before it; a superseded version stays superseded."""
    require_governance_support(acting_user, "agrees terms of reference")
    terms = TermsOfReference.objects.select_for_update().get(pk=terms.pk)
    agreed = AGREED
    problems = terms_status_problems(
        current=terms.status, status=status, agreed_on=agreed_on, condition=condition
    )
    if terms.status == TermsOfReference.Status.SUPERSEDED:
        problems.setdefault(
            "status",
            ValidationError(
                "A superseded version cannot change; start a new version.", code="superseded"
            ),
        )
    if problems:
        raise ValidationError(problems)
    previous = terms.status
    terms.status = status
    if status in agreed:
        terms.agreed_on = agreed_on
        terms.agreed_at_meeting = agreed_at_meeting.strip()
        terms.condition = condition.strip() if status == agreed[1] else ""
    terms.save()
    superseded = []
    if status in agreed:
        older = TermsOfReference.objects.filter(
            board=terms.board_id, status__in=agreed, version__lt=terms.version
        )
        superseded = list(older.values_list("version", flat=True))
        older.update(status=TermsOfReference.Status.SUPERSEDED)
    record_audit(
        actor=acting_user,
        action="terms.status",
        summary=f"{terms.board} terms of reference v{terms.version}: {previous} → {status}"
        + (f"; superseded v{', v'.join(map(str, superseded))}" if superseded else ""),
        board=terms.board_id,
        terms=terms.pk,
        superseded=superseded,
    )
    return terms
