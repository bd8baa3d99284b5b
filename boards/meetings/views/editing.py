"""Editing meetings, agendas and reports: governance support, and a report's own author."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from boards.meetings.forms import (
    ActionFormSet,
    AgendaItemForm,
    AppendixForm,
    AttendanceFormSet,
    DecisionForm,
    DeclarationFormSet,
    MeetingForm,
    RecommendationFormSet,
    ReportBodyVersionForm,
    ReportForm,
    SectionFormSet,
)
from boards.meetings.models import Appendix, Decision, Meeting, Report
from boards.meetings.services import (
    StaleReportBody,
    check_report_body_version,
    save_edit,
    save_meeting_record,
    save_report,
    save_report_body,
)
from boards.meetings.views.lookups import get_meeting_for_user
from boards.models import Board
from leeds_communities.access import allow_only, refuse
from leeds_communities.forms import error_summary
from leeds_communities.roles import is_governance_support

_FORM_METHODS = ["GET", "HEAD", "POST"]


# Meetings, agendas and new reports are governance support's to change.
governance_support_only = allow_only(
    is_governance_support, "Only governance support can change meetings and agendas."
)


def _report_to_edit(request, report_id):
    """(the report, None) for its author and governance support; else (the report, refusal)."""
    report = get_object_or_404(Report.objects.for_user(request.user), pk=report_id)
    if report.can_be_edited_by(request.user):
        return report, None
    return report, refuse(request, "Only the report's author and governance support can change it.")


def _form_page(request, form, *, title, caption, back, multipart=False):
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "meetings/edit_form.html",
        {"form": form, "title": title, "caption": caption, "back": back, "multipart": multipart},
        status=status,
    )


@require_http_methods(_FORM_METHODS)
@governance_support_only
def meeting_create(request, slug):
    board = get_object_or_404(Board.objects.for_user(request.user), slug=slug)
    form = MeetingForm(request.POST or None, instance=Meeting(board=board))
    if request.method == "POST" and form.is_valid():
        meeting = save_edit(form=form, acting_user=request.user, action="meeting.created")
        messages.success(request, f"The meeting of {meeting.date_label} has been scheduled.")
        return redirect(meeting)
    return _form_page(
        request, form, title="Schedule a meeting", caption=board.name, back=board.get_absolute_url()
    )


@require_http_methods(_FORM_METHODS)
@governance_support_only
def meeting_update(request, slug, meeting_id):
    meeting = get_meeting_for_user(request, slug, meeting_id)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        save_edit(form=form, acting_user=request.user, action="meeting.changed")
        messages.success(request, "The meeting has been updated.")
        return redirect(meeting)
    return _form_page(
        request,
        form,
        title=f"Change the meeting of {meeting.date_label}",
        caption=meeting.board.name,
        back=meeting.get_absolute_url(),
    )


@require_http_methods(_FORM_METHODS)
@governance_support_only
def agenda_item_edit(request, slug, meeting_id, item_id=None):
    meeting = get_meeting_for_user(request, slug, meeting_id)
    item = get_object_or_404(meeting.agenda_items, pk=item_id) if item_id else None
    if item is None:
        last = meeting.agenda_items.order_by("-order").values_list("order", flat=True).first()
        initial = {"order": (last or 0) + 1}
    else:
        initial = {}
    form = AgendaItemForm(request.POST or None, instance=item, initial=initial, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        save_edit(
            form=form,
            acting_user=request.user,
            action="agenda_item.changed" if item else "agenda_item.created",
        )
        messages.success(request, "The agenda has been updated.")
        return redirect(meeting.get_absolute_url() + "#agenda")
    return _form_page(
        request,
        form,
        title="Change an agenda item" if item else "Add an agenda item",
        caption=f"{meeting.board.name}, {meeting.date_label}",
        back=meeting.get_absolute_url(),
    )


@require_http_methods(_FORM_METHODS)
@governance_support_only
def report_create(request):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = save_edit(form=form, acting_user=request.user, action="report.created")
        messages.success(request, "The report has been created.")
        return redirect(report)
    return _form_page(request, form, title="Write a report", caption="Reports", back="/meetings/")


@require_http_methods(_FORM_METHODS)
def report_update(request, report_id):
    report, refused = _report_to_edit(request, report_id)
    if refused:
        return refused
    form = ReportForm(
        request.POST or None,
        instance=report,
        can_move=is_governance_support(request.user),
    )
    if request.method == "POST" and form.is_valid():
        save_report(form=form, acting_user=request.user, action="report.changed")
        messages.success(request, "The report has been updated.")
        return redirect(report)
    return _form_page(
        request,
        form,
        title=f"Change “{report.subject}”",
        caption=f"Report of {report.report_of}",
        back=report.get_absolute_url(),
    )


@require_http_methods(_FORM_METHODS)
@governance_support_only
def decision_edit(request, slug, meeting_id, item_id):
    """Record (or correct) what the board resolved on an agenda item."""
    meeting = get_meeting_for_user(request, slug, meeting_id)
    item = get_object_or_404(meeting.agenda_items.select_related("decision"), pk=item_id)
    decision = getattr(item, "decision", None) or Decision(agenda_item=item)
    form = DecisionForm(request.POST or None, instance=decision)
    if request.method == "POST" and form.is_valid():
        save_edit(form=form, acting_user=request.user, action="decision.recorded")
        messages.success(request, f"The decision on item {item.order} has been recorded.")
        return redirect(meeting.get_absolute_url() + f"#item-{item.order}")
    return _form_page(
        request,
        form,
        title=f"Record the decision on item {item.order}: {item.title}",
        caption=f"{meeting.board.name}, {meeting.date_label}",
        back=meeting.get_absolute_url(),
    )


@require_http_methods(_FORM_METHODS)
def report_body_update(request, report_id):
    """The report's numbered sections and recommendations, in the order they are written."""
    report, refused = _report_to_edit(request, report_id)
    if refused:
        return refused
    data = request.POST if request.method == "POST" else None
    version = ReportBodyVersionForm(data, initial={"body_version": report.body_version})
    sections = SectionFormSet(data, instance=report, prefix="sections")
    recommendations = RecommendationFormSet(data, instance=report, prefix="recommendations")
    if data is not None and version.is_valid():
        try:
            # Before the formsets: a stale form's rows may be gone, and its errors would mislead.
            check_report_body_version(report, version.cleaned_data["body_version"])
            if sections.is_valid() and recommendations.is_valid():
                save_report_body(
                    report=report,
                    sections=sections,
                    recommendations=recommendations,
                    acting_user=request.user,
                    expected_version=version.cleaned_data["body_version"],
                )
                messages.success(
                    request, "The report's sections and recommendations have been saved."
                )
                return redirect(report)
        except StaleReportBody:
            return _report_body_conflict(request, report)
    errors = error_summary(version, sections, recommendations)
    return _report_body_page(
        request, report, version, sections, recommendations, errors, status=400 if errors else 200
    )


def _report_body_page(request, report, version, sections, recommendations, errors, *, status):
    return render(
        request,
        "meetings/report_body_form.html",
        {
            "report": report,
            "version": version,
            "sections": sections,
            "recommendations": recommendations,
            "errors": errors,
        },
        status=status,
    )


def _report_body_conflict(request, report):
    """Someone saved first: nothing was written; show the body as it is now, to change again."""
    report.refresh_from_db()
    version = ReportBodyVersionForm({"body_version": report.body_version})
    version.is_valid()
    version.add_error(
        None,
        "Someone else changed this report's sections or recommendations after you opened the "
        "form. Nothing was saved: check their changes below, then make yours again.",
    )
    sections = SectionFormSet(instance=report, prefix="sections")
    recommendations = RecommendationFormSet(instance=report, prefix="recommendations")
    errors = error_summary(version, sections, recommendations)
    return _report_body_page(
        request, report, version, sections, recommendations, errors, status=409
    )


@require_http_methods(_FORM_METHODS)
@governance_support_only
def meeting_record_update(request, slug, meeting_id):
    """Attendance and apologies, declarations of interest and actions arising, on one page."""
    meeting = get_meeting_for_user(request, slug, meeting_id)
    data = request.POST if request.method == "POST" else None
    formsets = [
        ("attendance", "Attendance and apologies", AttendanceFormSet),
        ("declarations", "Declarations of interest", DeclarationFormSet),
        ("actions", "Actions arising", ActionFormSet),
    ]
    bound = [
        (prefix, title, cls(data, instance=meeting, prefix=prefix))
        for prefix, title, cls in formsets
    ]
    if data is not None and all(fs.is_valid() for _, _, fs in bound):
        save_meeting_record(
            meeting=meeting, formsets=[fs for _, _, fs in bound], acting_user=request.user
        )
        messages.success(request, "The meeting's record has been saved.")
        return redirect(meeting)
    errors = error_summary(*(fs for _, _, fs in bound))
    return render(
        request,
        "meetings/meeting_record_form.html",
        {"meeting": meeting, "formsets": bound, "errors": errors},
        status=400 if errors else 200,
    )


@require_http_methods(_FORM_METHODS)
def appendix_edit(request, report_id, order=None):
    """Add or change an appendix: authored text, an uploaded PDF or a live summary table."""
    report, refused = _report_to_edit(request, report_id)
    if refused:
        return refused
    appendix = get_object_or_404(report.appendices, order=order) if order else None
    if appendix is None:
        last = report.appendices.order_by("-order").values_list("order", flat=True).first()
        appendix = Appendix(report=report, order=(last or 0) + 1)
    form = AppendixForm(
        request.POST or None, request.FILES or None, instance=appendix, report=report
    )
    if request.method == "POST" and form.is_valid():
        save_edit(
            form=form,
            acting_user=request.user,
            action="appendix.changed" if appendix.pk else "appendix.created",
        )
        messages.success(request, f"Appendix {form.instance.number} has been saved.")
        return redirect(report.get_absolute_url() + "#appendices")
    return _form_page(
        request,
        form,
        title=f"Change appendix {appendix.number}" if appendix.pk else "Add an appendix",
        caption=report.subject,
        back=report.get_absolute_url(),
        multipart=True,
    )
