"""Governance-significant writes to meetings: permission, transaction, audit."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from actionplans.models import ActionPlan, Output
from actionplans.services import create_output
from boards.meetings.models import ActionArising, Report
from boards.models import Organisation
from leeds_communities.models import record_audit
from leeds_communities.roles import is_governance_support


@transaction.atomic
def track_action_as_output(
    *,
    action: ActionArising,
    plan: ActionPlan,
    ref: str,
    lead_agency: Organisation,
    commencement: datetime.date,
    acting_user,
    lead_officer: str = "",
) -> Output:
    """Turn an action arising into a tracked output of `plan`, in one step.

    The output's title is the action's text and its due date the action's; the action keeps a
    link to the output, so the meeting page shows where it is being tracked.
    """
    if not is_governance_support(acting_user):
        raise PermissionDenied("Only governance support can turn actions into tracked outputs.")
    action = ActionArising.objects.select_for_update().get(pk=action.pk)
    if action.output_id is not None:
        raise ValidationError(
            "This action is already tracked as an output.", code="already_tracked"
        )
    ref = ref.strip()
    if not ref:
        raise ValidationError({"ref": "Enter a reference for the output."}, code="required")
    due = action.due if action.due and action.due >= commencement else None
    # The importer's service, so the duplicate-reference rule is the importer's.
    output = create_output(
        plan=plan,
        ref=ref,
        title=action.text[:500],
        lead_agency=lead_agency,
        lead_officer=lead_officer or action.owner[:200],
        commencement=commencement,
        due=due,
        acting_user=acting_user,
    )
    action.output = output
    action.save(update_fields=["output"])
    record_audit(
        actor=acting_user,
        action="action_arising.tracked",
        summary=f"Action from {action.meeting} tracked as output {ref} of {plan}",
        action_id=action.pk,
        output_id=output.pk,
    )
    return output


@transaction.atomic
def save_edit(*, form, acting_user, action: str):
    """Save a validated meeting, agenda or report form (the view has checked who may) and audit
    what changed."""
    changed = list(form.changed_data)
    instance = form.save()
    record_audit(
        actor=acting_user,
        action=action,
        summary=f"{instance._meta.verbose_name.capitalize()} “{instance}”: "
        + (", ".join(changed) if changed else "no change"),
        model=instance._meta.label,
        pk=instance.pk,
        fields=changed,
    )
    return instance


def agendas_elsewhere(report, board) -> list:
    """The meetings of boards other than `board` whose agendas carry `report`: while it is on
    them it cannot belong to `board`, or their pages and packs would follow one board's rule
    and its own page another's."""
    from boards.meetings.models import Meeting

    return list(
        Meeting.objects.filter(agenda_items__report=report)
        .exclude(board=board)
        .select_related("board")
        .distinct()
        .order_by("date")
    )


def on_agenda_error(meetings) -> ValidationError:
    names = "; ".join(f"{m.board.name}, {m.date_label}" for m in meetings)
    return ValidationError(
        {
            "board": ValidationError(
                f"This report is on the agenda of {names}. Take it off that agenda before "
                "moving it to another board",
                code="on_agenda",
            )
        }
    )


@transaction.atomic
def save_report(*, form, acting_user, action: str):
    """A report's front sheet (a validated form). Its board changes only while no other board's
    agenda carries it: the board decides who may read an exempt report everywhere it appears."""
    report = form.instance
    if report.pk and "board" in form.changed_data:
        elsewhere = agendas_elsewhere(report, form.cleaned_data["board"])
        if elsewhere:
            raise on_agenda_error(elsewhere)
    return save_edit(form=form, acting_user=acting_user, action=action)


@transaction.atomic
def regenerate_packs(*, meeting, acting_user) -> None:
    """Rebuild both packs of `meeting` now (a chair after late papers, or governance support);
    the builds start once this is committed."""
    from boards.meetings import packs
    from boards.meetings.models import can_see_exempt

    if not can_see_exempt(acting_user, meeting.board_id):
        raise PermissionDenied("Only the board's members and governance support can do this.")
    for members in (False, True):
        digest = packs.content_digest(meeting, members=members)
        packs.request_build(meeting, members=members, digest=digest, force=True)
    record_audit(
        actor=acting_user,
        action="packs.regenerated",
        summary=f"Packs of {meeting} rebuilt on request",
        meeting=meeting.pk,
    )


@transaction.atomic
def save_meeting_record(*, meeting, formsets, acting_user) -> None:
    """Attendance and apologies, declarations of interest and actions arising (validated
    formsets), saved together and audited."""
    if not is_governance_support(acting_user):
        raise PermissionDenied("Only governance support records meetings.")
    for formset in formsets:
        formset.save()
    record_audit(
        actor=acting_user,
        action="meeting.record_changed",
        summary=f"Attendance, declarations and actions of {meeting}",
        meeting_id=meeting.pk,
    )


class StaleReportBody(Exception):
    """Someone saved the report's sections or recommendations after the form was opened."""

    def __init__(self, report):
        super().__init__(f"The body of “{report}” was changed by someone else first.")
        self.report = report


def check_report_body_version(report, expected_version: int) -> None:
    """Raise StaleReportBody unless `report`'s body is still at `expected_version`."""
    if report.body_version != expected_version:
        raise StaleReportBody(report)


@transaction.atomic
def save_report_body(
    *, report, sections, recommendations, acting_user, expected_version: int
) -> None:
    """A report's numbered sections and recommendations (validated formsets), in order.
    `expected_version` is the body's version when the form was shown: if someone has saved
    since, StaleReportBody is raised and nothing is written (a resubmitted form would otherwise
    add its new rows a second time)."""
    if not report.can_be_edited_by(acting_user):
        raise PermissionDenied("Only the report's author and governance support can change it.")
    locked = Report.objects.select_for_update().get(pk=report.pk)
    check_report_body_version(locked, expected_version)
    kept_sections = sections.save_in_order()
    kept_recommendations = recommendations.save_in_order()
    locked.body_version += 1
    locked.save(update_fields=["body_version", "updated_at"])
    report.body_version = locked.body_version
    record_audit(
        actor=acting_user,
        action="report.body_changed",
        summary=f"Report “{report}”: {len(kept_sections)} sections, "
        f"{len(kept_recommendations)} recommendations",
        report_id=report.pk,
    )
