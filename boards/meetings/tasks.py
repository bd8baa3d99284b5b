"""Background work: board packs are built by the task worker, not in a web request.

`make run` starts the database-backed worker (`manage.py db_worker`) beside the web server; the
tests run tasks immediately.
"""

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
