"""Top-level paths for meetings across boards and for reports: `/meetings/`, `/reports/<id>/`."""

from django.urls import path

from boards import meeting_edit_views, meeting_views

meetings_patterns = (
    [path("", meeting_views.meeting_list, name="meeting_list")],
    "meetings",
)

reports_patterns = (
    [
        path("new/", meeting_edit_views.report_create, name="report_create"),
        path("<int:report_id>/", meeting_views.report_detail, name="report_detail"),
        path("<int:report_id>/edit/", meeting_edit_views.report_update, name="report_update"),
        path(
            "<int:report_id>/appendices/new/",
            meeting_edit_views.appendix_edit,
            name="appendix_create",
        ),
        path(
            "<int:report_id>/appendices/<int:order>/edit/",
            meeting_edit_views.appendix_edit,
            name="appendix_update",
        ),
        path(
            "<int:report_id>/edit/body/",
            meeting_edit_views.report_body_update,
            name="report_body_update",
        ),
        path(
            "<int:report_id>/appendices/<int:order>.pdf",
            meeting_views.report_appendix_file,
            name="report_appendix_file",
        ),
    ],
    "reports",
)
