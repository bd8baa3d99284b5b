from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from leeds_communities.backups import BackupError, backup_contents, backup_database


class Command(BaseCommand):
    help = (
        "Back up the whole database (PostgreSQL: pg_dump custom format; SQLite: a copy) and "
        "every file under MEDIA_ROOT into one checksummed tar archive in backups/ with a "
        "timestamped name, and print the archive's path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=Path(settings.BASE_DIR) / "backups",
            help="Where to write the backup (default: backups/).",
        )

    def handle(self, *args, directory, **options):
        try:
            path = backup_database(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size
        media = sum(1 for name in backup_contents(path)["files"] if name.startswith("media/"))
        self.stderr.write(
            f"Backed up the {connection.vendor} database {connection.settings_dict['NAME']} "
            f"and {media} uploaded or built file{'s' if media != 1 else ''} ({size:,} bytes) to:"
        )
        self.stdout.write(str(path))
