"""Meetings: the calendar of meetings, a meeting's page, a board's iCalendar feed, and turning an
action arising into a tracked output.

Exempt reports and appendices reach only those `can_see_exempt` allows; everybody else sees the
agenda heading and a notice naming the exemption paragraph.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from boards.meetings import services
from boards.meetings.forms import TrackActionForm
from boards.meetings.models import (
    Appendix,
    BoardPack,
    Meeting,
    PackBuild,
    can_see_exempt,
    withheld,
)
from boards.meetings.presenters import meeting_status_tag
from boards.meetings.tables import MeetingFilter, MeetingTable
from boards.meetings.views.lookups import get_meeting_for_user
from boards.models import Board
from leeds_communities.access import refuse
from leeds_communities.roles import is_governance_support
from leeds_communities.tables import FilteredTableView


class MeetingListView(FilteredTableView):
    table_class = MeetingTable
    filterset_class = MeetingFilter
    template_name = "meetings/meeting_list.html"
    results_template_name = "meetings/_meeting_results.html"
    export_name = "meetings"
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return Meeting.objects.for_user(self.request.user).select_related("board")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = is_governance_support(self.request.user)
        return context


meeting_list = MeetingListView.as_view()


@require_safe
def meeting_detail(request, slug, meeting_id):
    meeting = get_meeting_for_user(request, slug, meeting_id)
    exempt_ok = can_see_exempt(request.user, meeting.board_id)
    items = list(
        meeting.agenda_items.select_related("report", "decision").prefetch_related(
            Prefetch(
                "report__appendices",
                queryset=Appendix.objects.for_user(request.user),
                to_attr="visible_appendices",
            )
        )
    )
    for item in items:
        # The report's own board decides, as on the report's page (`Report.for_user`).
        report_ok = item.report is not None and can_see_exempt(request.user, item.report.board_id)
        item.withheld = withheld(item.report, may_see_exempt=report_ok)
    stored = {p.variant: p for p in meeting.packs.order_by("variant", "-version")[:20]}
    building = {
        b.variant: b
        for b in meeting.pack_builds.filter(
            state__in=[PackBuild.State.QUEUED, PackBuild.State.RUNNING]
        ).order_by("created_at")
    }
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "status_tag": meeting_status_tag(meeting),
            "board": meeting.board,
            "items": items,
            "attendances": list(meeting.attendances.select_related("person")),
            "declarations": list(meeting.declarations.select_related("person", "agenda_item")),
            "actions": list(meeting.actions.select_related("output", "output__plan")),
            "can_see_exempt": exempt_ok,
            "can_track": is_governance_support(request.user),
            "can_edit": is_governance_support(request.user),
            "public_pack": stored.get(BoardPack.Variant.PUBLIC),
            "members_pack": stored.get(BoardPack.Variant.MEMBERS) if exempt_ok else None,
            "public_build": building.get(BoardPack.Variant.PUBLIC),
            "members_build": building.get(BoardPack.Variant.MEMBERS) if exempt_ok else None,
        },
    )


def _ical_escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _ical_fold(line: str) -> str:
    """RFC 5545 folds lines longer than 75 octets with CRLF and a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


@require_safe
def meeting_calendar_ics(request, slug):
    """The board's meetings as an iCalendar feed: dates, times, venues and public headings."""
    board = get_object_or_404(Board.objects.for_user(request.user), slug=slug)
    # A meeting known only to the month has no day to put in a calendar.
    meetings = (
        Meeting.objects.for_user(request.user)
        .filter(board=board, date_precision=Meeting.DatePrecision.DAY)
        .prefetch_related("agenda_items")
        .order_by("date")
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Leeds Communities//Meetings//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ical_escape(board.name)} meetings",
    ]
    for meeting in meetings:
        url = request.build_absolute_uri(meeting.get_absolute_url())
        agenda = "\n".join(f"{i.order}. {i.title}" for i in meeting.agenda_items.all())
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@leeds-communities",
            f"DTSTAMP:{_utc(meeting.updated_at)}",
        ]
        if meeting.starts_at:
            lines.append(f"DTSTART:{_utc(meeting.starts_at)}")
        else:
            next_day = meeting.date + datetime.timedelta(days=1)
            lines += [
                f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}",
                f"DTEND;VALUE=DATE:{next_day:%Y%m%d}",
            ]
        lines += [
            f"SUMMARY:{_ical_escape(f'{board.name} meeting')}",
            f"STATUS:{'CANCELLED' if meeting.status == Meeting.Status.CANCELLED else 'CONFIRMED'}",
            f"URL:{url}",
            f"DESCRIPTION:{_ical_escape((agenda + chr(10) + url).strip())}",
        ]
        if meeting.venue:
            lines.append(f"LOCATION:{_ical_escape(meeting.venue)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    body = "\r\n".join(_ical_fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{board.slug}-meetings.ics"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def action_track(request, slug, meeting_id, action_id):
    """Governance support turns an action arising into a tracked output, in one step."""
    if not is_governance_support(request.user):
        return refuse(request, "Only governance support can track actions as outputs.")
    meeting = get_meeting_for_user(request, slug, meeting_id)
    action = get_object_or_404(meeting.actions.all(), pk=action_id, output__isnull=True)
    form = TrackActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            output = services.track_action_as_output(
                action=action, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, f"The action is now output {output.ref} of {output.plan}.")
            return redirect(meeting.get_absolute_url() + "#actions")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "meetings/action_track.html",
        {"meeting": meeting, "action": action, "form": form},
        status=status,
    )
