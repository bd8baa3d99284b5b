"""The pack worker: django-tasks' database worker made to outlive the database and to be seen.

`manage.py pack_worker` runs `PackWorker`, which differs from `db_worker`'s loop in three ways:

- **It survives PostgreSQL going away.** A poll that meets a lost connection (PostgreSQL
  stopped, restarted, failed over) closes the connections, waits (1 s, doubling to 30 s) and
  polls again; a task whose run or result the outage interrupted is put back in the queue and
  run again once the database answers. `db_worker` dies on the first such error.
- **It leaves a heartbeat**: its `WorkerHeartbeat` row is touched every HEARTBEAT_EVERY seconds
  of polling, and by a thread while a task runs. `/healthz` answers 503 when tasks wait and no
  worker has been seen for WORKER_HEARTBEAT_TIMEOUT seconds (`worker_problem`).
- **It sweeps**: every WORKER_SWEEP_EVERY seconds it calls each of WORKER_SWEEPS (dotted paths,
  so this module knows no app), e.g. retrying pack builds whose worker was killed, without anyone
  having to ask for the pack.

`manage.py supervise pack_worker` (leeds_communities/management/commands/supervise.py) starts it
again whenever it exits, for `make serve`; in production systemd does that (`Restart=always`).
"""

import contextlib
import datetime
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from leeds_communities.models import WorkerHeartbeat

logger = logging.getLogger("leeds_communities.worker")

# The errors of a lost or refused connection: wait for the database, never die of them.
CONNECTION_ERRORS = (OperationalError, InterfaceError)
HEARTBEAT_EVERY = 5  # seconds between heartbeat writes (not one write a poll)
BACKOFF_LIMIT = 30.0


def worker_problem(now=None) -> str | None:
    """Why the pack worker looks gone, or None: tasks wait and no worker has been seen for
    WORKER_HEARTBEAT_TIMEOUT seconds (a fresh queue with no worker at all counts too)."""
    now = now or timezone.now()
    timeout = settings.WORKER_HEARTBEAT_TIMEOUT
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if last is not None and last >= now - datetime.timedelta(seconds=timeout):
        return None
    waiting = DBTaskResult.objects.ready().count()
    if not waiting:
        return None
    tasks = f"{waiting} task{'s' if waiting != 1 else ''} wait{'s' if waiting == 1 else ''}"
    if last is None:
        return f"no pack worker seen while {tasks}"
    return f"no pack worker seen for {int((now - last).total_seconds())} s while {tasks}"


def _close_connections() -> None:
    for connection in connections.all(initialized_only=True):
        # A connection already broken cannot be closed any better.
        with contextlib.suppress(Exception):
            connection.close()


class PackWorker(Worker):
    """db_worker's Worker with a loop that waits out database outages, beats and sweeps."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.started_at = timezone.now()
        self.last_beat = float("-inf")
        self.last_sweep = float("-inf")
        self.backoff = 1.0
        self.interrupted: list = []  # ids of tasks an outage cut short, to queue again

    def run(self) -> None:
        logger.info("Starting the pack worker %s (pid %s)", self.worker_id, os.getpid())
        try:
            while self.running:
                try:
                    ran = self.poll()
                except CONNECTION_ERRORS as error:
                    self.wait_for_database(error)
                    continue
                self.backoff = 1.0
                if self.batch and not ran:
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if self.running and not ran:
                    time.sleep(self.interval)
        finally:
            self.forget_heartbeat()

    def poll(self) -> bool:
        """One turn: beat, sweep when due, run one ready task. Whether a task ran."""
        close_old_connections()
        self.requeue_interrupted()
        self.beat()
        self.sweep()
        task_result = self.claim_next()
        if task_result is None:
            return False
        self.run_task(task_result)
        close_old_connections()
        return True

    def claim_next(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
            except OperationalError as error:
                if is_locked_database_exception(error):  # SQLite busy: try again next poll
                    return None
                raise
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def run_task(self, db_task_result) -> None:
        # A long build is no sign of a dead worker: a thread beats for it meanwhile.
        done = threading.Event()
        beater = threading.Thread(target=self._beat_until, args=(done,), daemon=True)
        beater.start()
        try:
            super().run_task(db_task_result)
        except CONNECTION_ERRORS:
            # The database went away while the task ran, so its result could not be saved
            # either: it runs again once the database is back (the pack build is idempotent).
            self.interrupted.append(db_task_result.pk)
            raise
        finally:
            done.set()
            beater.join()

    def _beat_until(self, done: threading.Event) -> None:
        try:
            while not done.wait(HEARTBEAT_EVERY):
                try:
                    self._write_beat()
                except CONNECTION_ERRORS:
                    _close_connections()  # this thread's; the next beat reconnects
        finally:
            _close_connections()

    def requeue_interrupted(self) -> None:
        if self.interrupted:
            DBTaskResult.objects.filter(
                pk__in=self.interrupted, status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY, started_at=None)
            logger.warning("Queued again after the database came back: %s", self.interrupted)
            self.interrupted = []

    def wait_for_database(self, error) -> None:
        logger.warning(
            "The database is unavailable (%s: %s); trying again in %.0f s",
            type(error).__name__,
            str(error).strip().splitlines()[0] if str(error).strip() else "",
            self.backoff,
        )
        _close_connections()
        time.sleep(self.backoff)
        self.backoff = min(self.backoff * 2, BACKOFF_LIMIT)

    def beat(self) -> None:
        if time.monotonic() - self.last_beat < HEARTBEAT_EVERY:
            return
        self._write_beat()
        self.last_beat = time.monotonic()

    def _write_beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:200],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": timezone.now(),
            },
        )

    def sweep(self) -> None:
        if time.monotonic() - self.last_sweep < settings.WORKER_SWEEP_EVERY:
            return
        # Workers gone a day ago are not coming back.
        WorkerHeartbeat.objects.filter(
            seen_at__lt=timezone.now() - datetime.timedelta(days=1)
        ).delete()
        for path in settings.WORKER_SWEEPS:
            try:
                import_string(path)()
            except CONNECTION_ERRORS:
                raise
            except Exception:
                logger.exception("The sweep %s failed; the worker carries on", path)
        self.last_sweep = time.monotonic()

    def forget_heartbeat(self) -> None:
        # Stopping anyway, perhaps because the database is gone.
        with contextlib.suppress(Exception):
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
