"""Meeting statuses and pack builds as words and GOV.UK tag classes, once, so that
no template compares a status code."""

from dataclasses import dataclass

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


def pack_build_progress(build: PackBuild, *, members: bool) -> BuildProgress:
    which = "members'" if members else "public"
    if build.state == PackBuild.State.FAILED:
        return BuildProgress(
            heading="The pack could not be built",
            explanation="Governance support can see what went wrong in the administration "
            "screens and build it again with python manage.py build_packs "
            f"{build.meeting_id}.",
            failed=True,
            refresh=False,
        )
    return BuildProgress(
        heading=f"The {which} pack is being built",
        explanation="The papers or the live data have changed since the last pack, so a new "
        "one is being built. This page checks again every few seconds and the download starts "
        "when it is ready.",
        failed=False,
        refresh=True,
    )
