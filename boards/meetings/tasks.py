"""Background work: board packs are built by the task worker, not in a web request.

`make run` starts the database-backed worker beside the web server, `make serve` the pack worker
(`manage.py pack_worker`, leeds_communities/worker.py) under a supervisor; the tests run tasks
immediately. The worker calls `retry_stale_builds` every WORKER_SWEEP_EVERY seconds.
"""

import datetime

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import task

from boards.meetings import packs
from boards.meetings.models import BoardPack, Meeting, PackBuild


@task()
def build_board_pack(build_id: int, force: bool = False) -> int | None:
    """Build the pack a `PackBuild` asks for, recording each step so its page can show progress.
    Returns the stored pack's id."""
    build = PackBuild.objects.select_related("meeting__board").get(pk=build_id)
    if build.state == PackBuild.State.DONE:
        return build.pack_id
    if build.state == PackBuild.State.FAILED:
        return None  # given up as stale while it waited; its retry is queued on its own

    def progress(step: str) -> None:
        # Each step is the build's heartbeat: a build silent for PACK_BUILD_STALE_AFTER seconds
        # has lost its worker. `update()` leaves auto_now alone, so `updated_at` is named.
        PackBuild.objects.filter(pk=build.pk).exclude(state=PackBuild.State.FAILED).update(
            state=PackBuild.State.RUNNING, step=step, updated_at=timezone.now()
        )

    try:
        pack = packs.current_pack(
            Meeting.objects.select_related("board").get(pk=build.meeting_id),
            members=build.variant == BoardPack.Variant.MEMBERS,
            force=force,
            progress=progress,
        )
    except (OperationalError, InterfaceError):
        # The database went away: not the pack's fault. The pack worker runs this task again
        # when it is back; a worker that died instead leaves the build to go stale and be retried.
        raise
    except Exception as error:
        PackBuild.objects.filter(pk=build.pk).update(
            state=PackBuild.State.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            updated_at=timezone.now(),
        )
        raise
    PackBuild.objects.filter(pk=build.pk).update(
        state=PackBuild.State.DONE, step="Ready", pack=pack, updated_at=timezone.now()
    )
    return pack.pk


def retry_stale_builds(now=None) -> int:
    """Fail and queue again (bounded, by `packs.request_build`) every build that went silent for
    PACK_BUILD_STALE_AFTER seconds, so that a build whose worker was killed is retried without
    anyone polling its page. Only the newest build of each content counts: an older one was
    superseded. Returns how many were looked at."""
    now = now or timezone.now()
    bound = now - datetime.timedelta(seconds=settings.PACK_BUILD_STALE_AFTER)
    newer = PackBuild.objects.filter(
        meeting=OuterRef("meeting"),
        variant=OuterRef("variant"),
        content_hash=OuterRef("content_hash"),
        created_at__gt=OuterRef("created_at"),
    )
    stale = (
        PackBuild.objects.filter(
            state__in=[PackBuild.State.QUEUED, PackBuild.State.RUNNING], updated_at__lt=bound
        )
        .exclude(Exists(newer))
        .select_related("meeting__board")
    )
    count = 0
    for build in stale:
        members = build.variant == BoardPack.Variant.MEMBERS
        packs.request_build(build.meeting, members=members, digest=build.content_hash)
        count += 1
    return count
