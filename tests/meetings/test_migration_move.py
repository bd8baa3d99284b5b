"""Meetings moved from `boards` to their own app by renaming tables: rows saved before the move
are there after it, under the new app, with the same content type."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from boards.meetings.models import Meeting

BEFORE_THE_MOVE = [("boards", "0004_pack_builds")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True)
def test_it_keeps_a_meeting_saved_before_the_move():
    try:
        executor = _migrate(BEFORE_THE_MOVE)
        old_apps = executor.loader.project_state(BEFORE_THE_MOVE).apps
        board = old_apps.get_model("boards", "Board").objects.create(
            name="Safer Leeds", slug="safer-leeds", kind="partnership"
        )
        old_meeting = old_apps.get_model("boards", "Meeting").objects.create(
            board=board, date=datetime.date(2013, 5, 24), venue="Civic Hall"
        )
        old_type = ContentType.objects.get(app_label="boards", model="meeting")

        _migrate()

        ContentType.objects.clear_cache()
        meeting = Meeting.objects.select_related("board").get(pk=old_meeting.pk)
        assert meeting._meta.label == "meetings.Meeting"
        assert (meeting.board.slug, meeting.date, meeting.venue) == (
            "safer-leeds",
            datetime.date(2013, 5, 24),
            "Civic Hall",
        )
        assert ContentType.objects.get_for_model(Meeting).pk == old_type.pk
    finally:
        _migrate()
        ContentType.objects.clear_cache()
