from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from leeds_communities.worker import PackWorker


class Command(DbWorkerCommand):
    help = (
        "Run the pack worker: django-tasks' database worker that waits out database outages "
        "instead of dying, records a heartbeat for /healthz, and sweeps stale pack builds "
        "(leeds_communities/worker.py). Takes db_worker's options but not --reload."
    )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        worker = PackWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        worker.configure_signals()
        worker.run()
