"""The pack worker (`manage.py pack_worker`): it waits out database outages instead of dying,
runs again a task an outage cut short, leaves a heartbeat that /healthz reads, sweeps stale pack
builds without anyone asking for the pack; `manage.py supervise` starts it again when it exits.

The same with a real PostgreSQL stopped and a worker killed: test_pack_worker_faults.py.
"""

import datetime
import sys

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from boards.meetings import packs
from boards.meetings.models import BoardPack, PackBuild
from boards.meetings.tasks import build_board_pack, retry_stale_builds
from leeds_communities import worker as worker_module
from leeds_communities.management.commands.supervise import supervise
from leeds_communities.models import WorkerHeartbeat
from leeds_communities.worker import PackWorker

# The worker closes and reopens database connections as in production, which a test inside one
# transaction cannot survive on PostgreSQL: these tests commit, and the database is flushed after.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings):
    """Tasks go to the database queue, as in production, and wait for a worker."""
    settings.TASKS = DATABASE_TASKS
    return settings


def make_worker(**options) -> PackWorker:
    defaults = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
    }
    return PackWorker(**{**defaults, **options})


def queue_public_pack(meeting) -> PackBuild:
    digest = packs.content_digest(meeting, members=False)
    return packs.request_build(meeting, members=False, digest=digest)


@pytest.fixture
def no_sleep(monkeypatch):
    slept = []
    monkeypatch.setattr(worker_module.time, "sleep", slept.append)
    return slept


# --- /healthz and the heartbeat --------------------------------------------------------------


def _beat(seconds_ago: float) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1",
        host="app1",
        pid=1,
        started_at=now - datetime.timedelta(hours=1),
        seen_at=now - datetime.timedelta(seconds=seconds_ago),
    )


def test_healthz_is_503_when_tasks_wait_and_no_worker_was_ever_seen(client, queue, exempt_meeting):
    queue_public_pack(exempt_meeting.meeting)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["worker"] == "no pack worker seen while 1 task waits"
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_worker_went_quiet_for_a_minute(client, queue, exempt_meeting):
    queue_public_pack(exempt_meeting.meeting)
    packs.request_build(
        exempt_meeting.meeting,
        members=True,
        digest=packs.content_digest(exempt_meeting.meeting, members=True),
    )
    _beat(seconds_ago=90)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["reason"] == "no pack worker seen for 90 s while 2 tasks wait"


def test_healthz_is_200_with_a_recent_heartbeat_or_nothing_waiting(client, queue, exempt_meeting):
    assert client.get(reverse("healthz")).status_code == 200  # no worker, but nothing waits
    queue_public_pack(exempt_meeting.meeting)
    _beat(seconds_ago=30)
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "ok"}


def test_the_worker_beats_as_it_polls_and_forgets_its_heartbeat_when_it_stops(queue):
    worker = make_worker()
    worker.poll()
    beat = WorkerHeartbeat.objects.get(worker_id="test-worker")
    assert beat.seen_at > timezone.now() - datetime.timedelta(seconds=5)
    worker.run()  # batch: nothing to do, so it stops
    assert not WorkerHeartbeat.objects.exists()


# --- Surviving the database going away -------------------------------------------------------


def test_the_worker_waits_out_a_lost_database_and_carries_on(
    queue, exempt_meeting, monkeypatch, no_sleep
):
    build = queue_public_pack(exempt_meeting.meeting)
    worker = make_worker()
    real_claim = worker.claim_next
    failures = [OperationalError("server closed the connection unexpectedly")] * 2 + [
        InterfaceError("connection already closed")
    ]

    def flaky_claim():
        if failures:
            raise failures.pop(0)
        return real_claim()

    monkeypatch.setattr(worker, "claim_next", flaky_claim)
    worker.run()  # db_worker's loop dies on the first of these

    assert no_sleep[:3] == [1.0, 2.0, 4.0]  # backing off while the database is away
    build.refresh_from_db()
    assert build.state == PackBuild.State.DONE
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_task_the_outage_cut_short_runs_again_when_the_database_is_back(
    queue, exempt_meeting, monkeypatch, no_sleep
):
    build = queue_public_pack(exempt_meeting.meeting)
    real = DBTaskResult.set_successful
    # Down while the result is saved, and while the failure would be: the worker's last writes.
    outage = [OperationalError("terminating connection due to administrator command")] * 2

    def saving_the_result(self, value):
        if outage:
            raise outage.pop()
        return real(self, value)

    monkeypatch.setattr(DBTaskResult, "set_successful", saving_the_result)
    monkeypatch.setattr(DBTaskResult, "set_failed", lambda self, exc: saving_the_result(self, 1))
    worker = make_worker()
    worker.run()

    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL"
    assert len(task.worker_ids) == 2, "claimed, cut short, queued again, claimed again"
    build.refresh_from_db()
    assert build.state == PackBuild.State.DONE
    assert BoardPack.objects.count() == 1


def test_a_build_the_database_interrupted_is_not_failed_for_good(
    queue, exempt_meeting, monkeypatch
):
    build = queue_public_pack(exempt_meeting.meeting)

    def lost(*args, **kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(packs, "current_pack", lost)
    with pytest.raises(OperationalError):
        build_board_pack.call(build.pk)
    build.refresh_from_db()
    assert build.state != PackBuild.State.FAILED  # so it can be run again


# --- The sweep: stale builds retried without anyone asking -----------------------------------


def _make_stale(build, seconds=600):
    PackBuild.objects.filter(pk=build.pk).update(
        state=PackBuild.State.RUNNING,
        step="Laying out the pages",
        updated_at=timezone.now() - datetime.timedelta(seconds=seconds),
    )


def test_the_worker_sweep_retries_a_build_whose_worker_was_killed(queue, exempt_meeting):
    queue.PACK_BUILD_STALE_AFTER = 300
    build = queue_public_pack(exempt_meeting.meeting)
    DBTaskResult.objects.update(status="RUNNING")  # claimed by a worker that was then killed
    _make_stale(build)

    worker = make_worker()
    worker.run()  # sweeps first, then runs the retry it queued

    build.refresh_from_db()
    assert build.state == PackBuild.State.FAILED and build.error.startswith("Stale:")
    retry = PackBuild.objects.exclude(pk=build.pk).get()
    assert (retry.attempt, retry.state) == (2, PackBuild.State.DONE)
    assert BoardPack.objects.count() == 1


def test_the_sweep_leaves_fresh_and_superseded_builds_alone_and_is_bounded(queue, exempt_meeting):
    queue.PACK_BUILD_STALE_AFTER = 300
    queue.PACK_BUILD_ATTEMPTS = 2
    build = queue_public_pack(exempt_meeting.meeting)
    _make_stale(build, seconds=60)
    assert retry_stale_builds() == 0
    _make_stale(build)
    assert retry_stale_builds() == 1
    second = PackBuild.objects.get(attempt=2)
    _make_stale(second)
    retry_stale_builds()
    assert PackBuild.objects.count() == 2, "no third attempt"
    assert set(PackBuild.objects.values_list("state", flat=True)) == {PackBuild.State.FAILED}
    assert retry_stale_builds() == 0


def test_a_failing_sweep_does_not_stop_the_worker(queue, settings, caplog):
    settings.WORKER_SWEEPS = ["tests.meetings.test_pack_worker.broken_sweep"]
    make_worker().run()
    assert "The sweep tests.meetings.test_pack_worker.broken_sweep failed" in caplog.text


def broken_sweep():
    raise RuntimeError("a bug in a sweep")


# --- The supervisor --------------------------------------------------------------------------


def test_the_supervisor_starts_a_command_again_each_time_it_exits(tmp_path):
    runs = tmp_path / "runs"
    child = [sys.executable, "-c", f"open({str(runs)!r}, 'a').write('run\\n'); exit(3)"]
    messages = []
    code = supervise(child, delay=0.01, max_delay=0.02, max_starts=3, log=messages.append)
    assert runs.read_text().splitlines() == ["run"] * 3
    assert code == 3
    assert len(messages) == 2 and "exited with status 3" in messages[0]


def test_the_supervisor_passes_sigterm_on_and_stops(tmp_path):
    import signal
    import subprocess
    import time

    started = tmp_path / "started"
    child = (
        "import pathlib, signal, sys, time\n"
        f"p = pathlib.Path({str(started)!r})\n"
        "p.write_text(p.read_text() + 'x' if p.exists() else 'x')\n"
        "signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))\n"
        "time.sleep(60)\n"
    )
    script = (
        "import sys\n"
        "from leeds_communities.management.commands.supervise import supervise\n"
        f"sys.exit(supervise([sys.executable, '-c', {child!r}], delay=0.1))\n"
    )
    supervisor = subprocess.Popen([sys.executable, "-c", script])  # noqa: S603
    try:
        deadline = time.time() + 20
        while not (started.exists() and started.read_text() == "x") and time.time() < deadline:
            time.sleep(0.05)
        assert started.read_text() == "x"
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=20) == 0
        assert started.read_text() == "x", "stopped, not started again"
    finally:
        if supervisor.poll() is None:
            supervisor.kill()


@pytest.mark.django_db(transaction=True)
def test_the_worker_beats_while_a_long_task_runs(queue, exempt_meeting, monkeypatch):
    import time

    build = queue_public_pack(exempt_meeting.meeting)
    monkeypatch.setattr(worker_module, "HEARTBEAT_EVERY", 0.05)
    seen = []
    real = packs.current_pack

    def slow_build(*args, **kwargs):
        time.sleep(0.2)
        seen.append(WorkerHeartbeat.objects.values_list("seen_at", flat=True).first())
        time.sleep(0.3)
        seen.append(WorkerHeartbeat.objects.values_list("seen_at", flat=True).first())
        return real(*args, **kwargs)

    monkeypatch.setattr(packs, "current_pack", slow_build)
    make_worker().run()
    build.refresh_from_db()
    assert build.state == PackBuild.State.DONE
    assert seen[0] is not None and seen[1] > seen[0], "beaten during the task"
