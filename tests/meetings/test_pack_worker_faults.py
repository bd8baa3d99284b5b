"""Faults injected into a real pack worker on a PostgreSQL cluster of the test's own
(tests/pg_cluster.py: its own directory and port, never the shared server): PostgreSQL restarted
while a pack is being built, and the worker killed mid-build under `manage.py supervise`.
Nobody asks for the pack meanwhile; the worker has to finish it by itself.

Marked `faults`; they take a couple of minutes, so they run in CI (`CI` set) and in
`make faulttest` (`FAULT_TESTS=1`), and are skipped elsewhere and where the PostgreSQL server
binaries are not installed.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.pg_cluster import Cluster, server_binaries

ROOT = Path(__file__).resolve().parents[2]
BINARIES = server_binaries()

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(BINARIES is None, reason="needs the PostgreSQL server binaries"),
    pytest.mark.skipif(
        not (os.environ.get("CI") or os.environ.get("FAULT_TESTS")),
        reason="runs in CI and in make faulttest (FAULT_TESTS=1)",
    ),
]

# A pack long enough that PostgreSQL can be stopped while WeasyPrint lays it out.
SETUP = """
from boards.meetings import packs
from tests.factories import BoardFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, ReportFactory
from tests.meetings.factories import ReportSectionFactory

text = " ".join(["The partnership reviewed the delivery of its plan in every ward."] * 40)
for n in (1, 2):
    board = BoardFactory(name=f"Fault Board {n}", slug=f"fault-board-{n}")
    meeting = MeetingFactory(board=board)
    for item in range(1, 9):
        report = ReportFactory(board=board, subject=f"Report {item}")
        for section in range(1, 9):
            ReportSectionFactory(report=report, order=section, heading=f"Part {section}", body=text)
        AgendaItemFactory(meeting=meeting, order=item, title=f"Item {item}", report=report)
    print(f"meeting={meeting.pk}")
"""

QUEUE = """
import sys
from boards.meetings import packs
from boards.meetings.models import Meeting
meeting = Meeting.objects.get(pk=int(sys.argv[-1]))
digest = packs.content_digest(meeting, members=False)
print(f"build={packs.request_build(meeting, members=False, digest=digest).pk}")
"""


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster(BINARIES).create()
    try:
        cluster.create_database("lc_faults")
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="module")
def app(cluster, tmp_path_factory):
    """The environment of the app's processes, the database migrated, two meetings made."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "leeds_communities.settings.local",
        "DATABASE_URL": cluster.url("lc_faults"),
        "DEBUG": "false",
        "PYTHONUNBUFFERED": "1",
        "WORKER_SWEEP_EVERY": "1",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    meetings = printed(manage(env, "shell", "-c", SETUP), "meeting")
    return {"env": env, "meetings": meetings, "url": cluster.url("lc_faults")}


def manage(env, *arguments: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *arguments],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def queue_build(app, meeting: int) -> int:
    """What a download does when the pack is out of date: queue a build (and nothing else)."""
    script = QUEUE.replace("sys.argv[-1]", str(meeting))
    return printed(manage(app["env"], "shell", "-c", script), "build")[0]


def printed(output: str, name: str) -> list[int]:
    return [int(word.split("=")[1]) for word in output.split() if word.startswith(f"{name}=")]


def builds(app, meeting: int) -> list[tuple]:
    """(attempt, state, step, error) of each build of the meeting, oldest first; [] while the
    database is down."""
    try:
        with psycopg.connect(app["url"], connect_timeout=2) as conn:
            return conn.execute(
                "SELECT attempt, state, step, error FROM meetings_packbuild "
                "WHERE meeting_id = %s ORDER BY created_at, id",
                [meeting],
            ).fetchall()
    except psycopg.OperationalError:
        return []


def wait_for(condition, seconds: float, what: str):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"Not within {seconds} s: {what}")


def start(app, log: Path, *command: str, **env) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *command],
        env={**app["env"], **env},
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


WORKER = ("pack_worker", "--interval", "0.2", "--no-startup-delay")


def test_postgresql_restarted_while_a_pack_builds_and_the_pack_still_finishes(
    app, cluster, tmp_path
):
    meeting = app["meetings"][0]
    log = tmp_path / "worker.log"
    worker = start(app, log, *WORKER, PACK_BUILD_STALE_AFTER="300")
    try:
        queue_build(app, meeting)
        wait_for(
            lambda: any(step == "Laying out the pages" for _, _, step, _ in builds(app, meeting)),
            120,
            "the build to start laying out the pages",
        )
        cluster.stop()  # while WeasyPrint lays the pack out
        time.sleep(3)
        assert worker.poll() is None, "the worker died with the database:\n" + log.read_text()
        cluster.start()

        done = wait_for(
            lambda: [b for b in builds(app, meeting) if b[1] == "done"],
            180,
            "the pack to be finished after the restart",
        )
        assert worker.poll() is None, log.read_text()
        assert len(done) == 1
        assert all(state != "failed" for _, state, _, _ in builds(app, meeting))
        assert "The database is unavailable" in log.read_text()
        with psycopg.connect(app["url"]) as conn:
            packs = conn.execute(
                "SELECT count(*) FROM meetings_boardpack WHERE meeting_id = %s", [meeting]
            ).fetchone()[0]
            heartbeat = conn.execute(
                "SELECT count(*) FROM leeds_communities_workerheartbeat"
                " WHERE seen_at > now() - interval '60 seconds'"
            ).fetchone()[0]
        assert packs == 1
        assert heartbeat == 1, "the worker beats again after the outage"
    finally:
        stop(worker)


def test_a_worker_killed_mid_build_is_started_again_and_the_build_retried(app, tmp_path):
    meeting = app["meetings"][1]
    log = tmp_path / "supervise.log"
    supervisor = start(app, log, "supervise", *WORKER, PACK_BUILD_STALE_AFTER="4")
    try:
        queue_build(app, meeting)
        wait_for(
            lambda: any(step == "Laying out the pages" for _, _, step, _ in builds(app, meeting)),
            120,
            "the build to start laying out the pages",
        )
        with psycopg.connect(app["url"]) as conn:
            pid = conn.execute(
                "SELECT pid FROM leeds_communities_workerheartbeat ORDER BY seen_at DESC"
            ).fetchone()[0]
        os.kill(pid, signal.SIGKILL)  # the worker, not the supervisor

        history = wait_for(
            lambda: (b := builds(app, meeting)) and b[-1][1] == "done" and b,
            180,
            "the build to be retried and finished",
        )
        assert supervisor.poll() is None, log.read_text()
        first, *_, last = history
        assert first[1] == "failed" and first[3].startswith("Stale:"), first
        assert last[0] == 2, "the second attempt built it"
        assert "exited with status -9" in log.read_text()
    finally:
        stop(supervisor)
