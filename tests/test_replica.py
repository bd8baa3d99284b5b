"""The read replica: only GET and HEAD of read-only sections read from it, and not just after
the same session wrote something."""

import time

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from leeds_communities.replica import STICKY_SECONDS, ReplicaMiddleware, ReplicaRouter


def _database_read_for(method, path, wrote_at=None):
    seen = {}

    def view(request):
        seen["db"] = ReplicaRouter().db_for_read(None)
        return None

    request = getattr(RequestFactory(), method.lower())(path)
    request.session = SessionStore()
    if wrote_at is not None:
        request.session["wrote_at"] = wrote_at
    ReplicaMiddleware(view)(request)
    return seen["db"], request.session.get("wrote_at")


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/dashboards/", "replica"),
        ("HEAD", "/neighbourhoods/lsoas/", "replica"),
        ("GET", "/boards/communities-board/", "replica"),
        ("GET", "/actionplans/my-outputs/", "default"),
        ("GET", "/audit/", "default"),
        ("POST", "/dashboards/", "default"),
    ],
)
def test_it_reads_from_the_replica_only_for_read_only_pages(method, path, expected):
    assert _database_read_for(method, path)[0] == expected


def test_a_session_that_just_wrote_reads_from_the_primary():
    assert _database_read_for("GET", "/dashboards/", wrote_at=time.time())[0] == "default"
    long_ago = time.time() - STICKY_SECONDS - 1
    assert _database_read_for("GET", "/dashboards/", wrote_at=long_ago)[0] == "replica"


def test_a_write_marks_the_session_and_writes_go_to_the_primary():
    _, wrote_at = _database_read_for("POST", "/actionplans/outputs/1/update/")
    assert wrote_at is not None and time.time() - wrote_at < 5
    assert ReplicaRouter().db_for_write(None) == "default"
    assert ReplicaRouter().db_for_read(None) == "default"  # outside a request
    assert ReplicaRouter().allow_migrate("replica", "boards") is False
