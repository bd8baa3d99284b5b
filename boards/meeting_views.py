"""Meetings, reports, iCalendar feeds and board packs.

Exempt reports and appendices reach only those `can_see_exempt` allows; everybody else sees the
agenda heading and a notice naming the exemption paragraph.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actionplans.presenters import status_tag
from actionplans.summary import COLUMNS, build_summary
from boards import packs, services
from boards.meeting_forms import TrackActionForm
from boards.meeting_tables import MeetingFilter, MeetingTable
from boards.meetings.models import (
    AgendaItem,
    Appendix,
    BoardPack,
    Meeting,
    PackBuild,
    Report,
    can_see_exempt,
)
from boards.models import Board
from leeds_communities.roles import is_governance_support
from leeds_communities.security import record_members_pack_download
from leeds_communities.tables import FilteredTableView


def _get_meeting_for_user(request, slug, meeting_id) -> Meeting:
    return get_object_or_404(
        Meeting.objects.for_user(request.user).select_related("board"),
        board__slug=slug,
        pk=meeting_id,
    )


def _get_report_for_user(request, report_id) -> Report:
    """404 to anyone who may not read it: an exempt report's existence is not confirmed."""
    return get_object_or_404(
        Report.objects.for_user(request.user).select_related("board"), pk=report_id
    )


class MeetingListView(FilteredTableView):
    table_class = MeetingTable
    filterset_class = MeetingFilter
    template_name = "boards/meeting_list.html"
    results_template_name = "boards/_meeting_results.html"
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
    meeting = _get_meeting_for_user(request, slug, meeting_id)
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
        item.withheld = bool(item.report and item.report.is_exempt and not exempt_ok)
    stored = {p.variant: p for p in meeting.packs.order_by("variant", "-version")[:20]}
    building = {
        b.variant: b
        for b in meeting.pack_builds.filter(
            state__in=[PackBuild.State.QUEUED, PackBuild.State.RUNNING]
        ).order_by("created_at")
    }
    return render(
        request,
        "boards/meeting_detail.html",
        {
            "meeting": meeting,
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


@require_safe
def report_detail(request, report_id):
    report = _get_report_for_user(request, report_id)
    appendices = list(
        Appendix.objects.for_user(request.user)
        .filter(report=report)
        .select_related("programme", "quarter")
    )
    for appendix in appendices:
        appendix.summary = (
            build_summary(appendix.programme, appendix.quarter)
            if appendix.kind == Appendix.Kind.LIVE_SUMMARY
            else None
        )
    presented = AgendaItem.objects.filter(report=report).select_related("meeting__board")
    return render(
        request,
        "boards/report_detail.html",
        {
            "report": report,
            "sections": list(report.sections.all()),
            "recommendations": list(report.recommendations.all()),
            "appendices": appendices,
            "withheld_appendices": report.appendices.filter(is_exempt=True).exclude(
                pk__in=[a.pk for a in appendices]
            ),
            "presented": list(presented),
            "columns": [status_tag(s) for s in COLUMNS],
            "can_edit": report.can_be_edited_by(request.user),
        },
    )


@require_safe
def report_appendix_file(request, report_id, order):
    report = _get_report_for_user(request, report_id)
    appendix = get_object_or_404(
        Appendix.objects.for_user(request.user), report=report, order=order, kind="pdf"
    )
    if not appendix.file:
        raise Http404("This appendix has no file.")
    response = FileResponse(
        appendix.file.open("rb"),
        content_type="application/pdf",
        filename=f"appendix-{appendix.number}.pdf",
    )
    if appendix.is_exempt:
        response["Cache-Control"] = "private, no-store"
    return response


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


def _pack_access(request, meeting) -> bool:
    """Whether the members' pack was asked for; raises or redirects those not allowed it."""
    members = request.GET.get("members") == "1"
    if members and not can_see_exempt(request.user, meeting.board_id):
        if not request.user.is_authenticated:
            raise _LoginRequired
        raise PermissionDenied("The members' pack is only for the board's members.")
    return members


class _LoginRequired(Exception):
    pass


@require_safe
def meeting_pack_pdf(request, slug, meeting_id):
    """The stored pack. When the papers or data have changed since it was built, a new one is
    built in the background and this page shows its progress until it is ready."""
    meeting = _get_meeting_for_user(request, slug, meeting_id)
    try:
        members = _pack_access(request, meeting)
    except _LoginRequired:
        return redirect_to_login(request.get_full_path())
    digest = packs.content_digest(meeting, members=members)
    pack = packs.stored_pack(meeting, members=members, digest=digest)
    if pack is None:
        build = packs.request_build(meeting, members=members, digest=digest)
        if build.state != PackBuild.State.DONE or build.pack is None:
            return render(
                request,
                "boards/pack_progress.html",
                {"meeting": meeting, "board": meeting.board, "build": build, "members": members},
                status=202,
            )
        pack = build.pack
    if members:
        record_members_pack_download(request, meeting, pack)
    response = FileResponse(
        pack.file.open("rb"), content_type="application/pdf", filename=packs.pack_filename(pack)
    )
    response["Cache-Control"] = "private, no-store" if members else "no-cache"
    response["X-Pack-Version"] = str(pack.version)
    return response


@require_POST
def meeting_pack_regenerate(request, slug, meeting_id):
    """A chair (any member of the board) or governance support rebuilds both packs."""
    meeting = _get_meeting_for_user(request, slug, meeting_id)
    if not can_see_exempt(request.user, meeting.board_id):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("Only the board's members and governance support can do this.")
    for members in (False, True):
        digest = packs.content_digest(meeting, members=members)
        packs.request_build(meeting, members=members, digest=digest, force=True)
    messages.success(
        request,
        "The public and members' packs are being rebuilt; the download links give the new ones.",
    )
    return redirect(
        reverse("boards:meeting_detail", kwargs={"slug": slug, "meeting_id": meeting.pk})
    )


__all__ = [
    "action_track",
    "meeting_calendar_ics",
    "meeting_detail",
    "meeting_list",
    "meeting_pack_pdf",
    "meeting_pack_regenerate",
    "report_appendix_file",
    "report_detail",
]


@require_http_methods(["GET", "HEAD", "POST"])
def action_track(request, slug, meeting_id, action_id):
    """Governance support turns an action arising into a tracked output, in one step."""
    if not is_governance_support(request.user):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("Only governance support can track actions as outputs.")
    meeting = _get_meeting_for_user(request, slug, meeting_id)
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
        "boards/action_track.html",
        {"meeting": meeting, "action": action, "form": form},
        status=status,
    )
