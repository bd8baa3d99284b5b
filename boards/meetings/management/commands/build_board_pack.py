from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from boards.meetings import packs
from boards.meetings.models import Meeting


class Command(BaseCommand):
    help = "Build one meeting's pack (the stored artefact) and optionally copy it to a file."

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", type=int)
        parser.add_argument("--members", action="store_true", help="The members' pack.")
        parser.add_argument("--output", type=Path, help="Also write the PDF to this file.")

    def handle(self, *args, meeting_id, members, output, **options):
        try:
            meeting = Meeting.objects.select_related("board").get(pk=meeting_id)
        except Meeting.DoesNotExist:
            raise CommandError(f"There is no meeting {meeting_id}.") from None
        pack = packs.current_pack(meeting, members=members)
        if output:
            with pack.file.open("rb") as source:
                output.write_bytes(source.read())
        self.stdout.write(
            f"{meeting}: {pack.get_variant_display()} v{pack.version}, {pack.page_count} pages"
            + (f", written to {output}" if output else f" ({pack.file.name})")
        )
