from django.core.management.base import BaseCommand

from boards.meetings import packs
from boards.meetings.models import Meeting


class Command(BaseCommand):
    help = (
        "Build and store the public and members' packs of every meeting (or those given) whose "
        "papers changed since their last pack. Unchanged packs are kept as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting_ids", nargs="*", type=int)
        parser.add_argument("--force", action="store_true", help="Rebuild even if unchanged.")

    def handle(self, *args, meeting_ids, force, **options):
        meetings = Meeting.objects.select_related("board").order_by("date")
        if meeting_ids:
            meetings = meetings.filter(pk__in=meeting_ids)
        for meeting in meetings:
            for members in (False, True):
                pack = packs.current_pack(meeting, members=members, force=force)
                self.stdout.write(
                    f"{meeting}: {pack.get_variant_display()} v{pack.version}, "
                    f"{pack.page_count} pages ({pack.file.name})"
                )
