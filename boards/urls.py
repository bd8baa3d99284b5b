from django.urls import path

from boards import meeting_edit_views, meeting_views, views

app_name = "boards"

urlpatterns = [
    path("", views.board_list, name="board_list"),
    path("structure/", views.structure, name="structure"),
    path("<slug:slug>/", views.board_detail, name="board_detail"),
    path("<slug:slug>/terms/compare/", views.terms_compare, name="terms_compare"),
    path("<slug:slug>/terms/<int:version>/", views.terms_detail, name="terms_detail"),
    path(
        "<slug:slug>/meetings.ics", meeting_views.meeting_calendar_ics, name="meeting_calendar_ics"
    ),
    path("<slug:slug>/meetings/new/", meeting_edit_views.meeting_create, name="meeting_create"),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/",
        meeting_views.meeting_detail,
        name="meeting_detail",
    ),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/edit/",
        meeting_edit_views.meeting_update,
        name="meeting_update",
    ),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/record/",
        meeting_edit_views.meeting_record_update,
        name="meeting_record_update",
    ),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/agenda/new/",
        meeting_edit_views.agenda_item_edit,
        name="agenda_item_create",
    ),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/agenda/<int:item_id>/edit/",
        meeting_edit_views.agenda_item_edit,
        name="agenda_item_update",
    ),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/agenda/<int:item_id>/decision/",
        meeting_edit_views.decision_edit,
        name="decision_edit",
    ),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/pack.pdf",
        meeting_views.meeting_pack_pdf,
        name="meeting_pack_pdf",
    ),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/actions/<int:action_id>/track/",
        meeting_views.action_track,
        name="action_track",
    ),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/pack/regenerate/",
        meeting_views.meeting_pack_regenerate,
        name="meeting_pack_regenerate",
    ),
]
