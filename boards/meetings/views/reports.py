"""Committee reports with their front sheet and appendices; an uploaded appendix's file.

An exempt report or appendix reaches only those `can_see_exempt` allows; to anyone else an
exempt report does not exist, and an exempt appendix is a notice naming the exemption paragraph.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from actionplans.presenters import status_tag
from actionplans.summary import COLUMNS
from boards.meetings.models import AgendaItem, Appendix
from boards.meetings.packs import appendix_summary
from boards.meetings.views.lookups import get_report_for_user
from leeds_communities.files import file_is_missing, missing_file_response


@require_safe
def report_detail(request, report_id):
    report = get_report_for_user(request, report_id)
    appendices = list(
        Appendix.objects.for_user(request.user)
        .filter(report=report)
        .select_related("programme", "quarter")
    )
    for appendix in appendices:
        appendix.summary = appendix_summary(appendix, request.user)
    presented = AgendaItem.objects.filter(report=report).select_related("meeting__board")
    return render(
        request,
        "meetings/report_detail.html",
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
    report = get_report_for_user(request, report_id)
    appendix = get_object_or_404(
        Appendix.objects.for_user(request.user), report=report, order=order, kind="pdf"
    )
    if not appendix.file:
        raise Http404("This appendix has no file.")
    if file_is_missing(appendix.file):
        what = f"appendix {appendix.number}"
        return missing_file_response(
            request, appendix.file, what=what, back_url=report.get_absolute_url()
        )
    response = FileResponse(
        appendix.file.open("rb"),
        content_type="application/pdf",
        filename=f"appendix-{appendix.number}.pdf",
    )
    if appendix.is_exempt:
        response["Cache-Control"] = "private, no-store"
    return response
