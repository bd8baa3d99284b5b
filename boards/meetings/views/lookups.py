"""The one lookup of a meeting and of a report for the user asking: 404 to those who may not
see it."""

from django.shortcuts import get_object_or_404

from boards.meetings.models import Meeting, Report


def get_meeting_for_user(request, slug, meeting_id) -> Meeting:
    return get_object_or_404(
        Meeting.objects.for_user(request.user).select_related("board"),
        board__slug=slug,
        pk=meeting_id,
    )


def get_report_for_user(request, report_id) -> Report:
    """404 to anyone who may not read it: an exempt report's existence is not confirmed."""
    return get_object_or_404(
        Report.objects.for_user(request.user).select_related("board"), pk=report_id
    )
