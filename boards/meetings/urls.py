"""Every meeting, report and pack route, under the paths they have always had: a board's meetings
below `/boards/<slug>/`, the calendar at `/meetings/`, reports at `/reports/<id>/`."""

from django.urls import path

from boards.meetings.views import editing, meetings, packs, reports

app_name = "meetings"

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path(
        "boards/<slug:slug>/meetings.ics",
        meetings.meeting_calendar_ics,
        name="meeting_calendar_ics",
    ),
    path("boards/<slug:slug>/meetings/new/", editing.meeting_create, name="meeting_create"),
    path(
        "boards/<slug:slug>/meetings/<int:meeting_id>/",
        meetings.meeting_detail,
        name="meeting_detail",
    ),
    path(
        "boards/<slug:slug>/meetings/<int:meeting_id>/edit/",
        editing.meeting_update,
        name="meeting_update",
    ),
    path(
        "boards/<slug:slug>/meetings/<int:meeting_id>/record/",
        editing.meeting_record_update,
        name="meeting_record_update",
    ),
    path(
        "boards/<slug:slug>/meetings/<int:meeting_id>/agenda/new/",
        editing.agenda_item_edit,
        name="agenda_item_create",
    ),
    path(
        "boards/<slug:slug>/meetings/<int:meeting_id>/agenda/<int:item_id>/edit/",
        editing.agenda_item_edit,
        name="agenda_item_update",
    ),
    path(
        "boards/<slug:slug>/meetings/<int:meeting_id>/agenda/<int:item_id>/decision/",
        editing.decision_edit,
        name="decision_edit",
    ),
    path(
        "boards/<slug:slug>/meetings/<int:meeting_id>/pack.pdf",
        packs.meeting_pack_pdf,
        name="meeting_pack_pdf",
    ),
    path(
        "boards/<slug:slug>/meetings/<int:meeting_id>/actions/<int:action_id>/track/",
        meetings.action_track,
        name="action_track",
    ),
    path(
        "boards/<slug:slug>/meetings/<int:meeting_id>/pack/regenerate/",
        packs.meeting_pack_regenerate,
        name="meeting_pack_regenerate",
    ),
    path("reports/new/", editing.report_create, name="report_create"),
    path("reports/<int:report_id>/", reports.report_detail, name="report_detail"),
    path("reports/<int:report_id>/edit/", editing.report_update, name="report_update"),
    path(
        "reports/<int:report_id>/edit/body/",
        editing.report_body_update,
        name="report_body_update",
    ),
    path(
        "reports/<int:report_id>/appendices/new/",
        editing.appendix_edit,
        name="appendix_create",
    ),
    path(
        "reports/<int:report_id>/appendices/<int:order>/edit/",
        editing.appendix_edit,
        name="appendix_update",
    ),
    path(
        "reports/<int:report_id>/appendices/<int:order>.pdf",
        reports.report_appendix_file,
        name="report_appendix_file",
    ),
]
