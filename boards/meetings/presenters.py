"""Meeting statuses and pack builds as words and GOV.UK tag classes, once, so that
no template compares a status code."""

from dataclasses import dataclass

from django.conf import settings

from boards.meetings.models import Meeting, PackBuild


@dataclass(frozen=True)
class Tag:
    text: str
    classes: str


_MEETING_CLASSES = {
    Meeting.Status.SCHEDULED: "govuk-tag--blue",
    Meeting.Status.HELD: "govuk-tag--green",
    Meeting.Status.CANCELLED: "govuk-tag--grey",
}


def meeting_status_tag(meeting: Meeting) -> Tag:
    status = Meeting.Status(meeting.status)
    return Tag(text=status.label, classes=_MEETING_CLASSES[status])


@dataclass(frozen=True)
class BuildProgress:
    """What the pack progress page says of a build."""

    heading: str
    explanation: str
    failed: bool
    # The no-JavaScript page reloads itself while the build may still finish.
    refresh: bool
    # Why it failed: for governance support only; others read that it could not be built.
    reason: str = ""


def pack_build_progress(
    build: PackBuild, *, members: bool, show_reason: bool = False
) -> BuildProgress:
    which = "members'" if members else "public"
    attempts = settings.PACK_BUILD_ATTEMPTS
    if build.state == PackBuild.State.FAILED:
        if not show_reason:
            return BuildProgress(
                heading="The pack could not be built",
                explanation="The pack could not be built. Governance support can build it "
                "again; please try later or ask them.",
                failed=True,
                refresh=False,
            )
        tries = f" (attempt {build.attempt} of {attempts})" if build.attempt > 1 else ""
        return BuildProgress(
            heading="The pack could not be built",
            explanation=f"The build failed{tries}. Fix the cause, then use “Regenerate the "
            "packs” on the meeting page, or run python manage.py build_packs "
            f"{build.meeting_id}. Asking for the pack again does not retry it.",
            failed=True,
            refresh=False,
            reason=build.error or "No reason was recorded.",
        )
    explanation = (
        "The papers or the live data have changed since the last pack, so a new one is being "
        "built. This page checks again every few seconds and the download starts when it is "
        "ready."
    )
    if build.attempt > 1:
        explanation = (
            "An earlier attempt stopped without finishing (the pack worker was stopped or "
            f"restarted), so the pack is being built again: attempt {build.attempt} of "
            f"{attempts}. " + explanation.split(". ", 1)[1]
        )
    return BuildProgress(
        heading=f"The {which} pack is being built",
        explanation=explanation,
        failed=False,
        refresh=True,
    )
