from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from leeds_communities.backups import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Replace every record in the database, and every file under MEDIA_ROOT, with a backup "
        "made by backup_database (checked against its checksums first; PostgreSQL: pg_restore "
        "--clean --if-exists --no-owner, in one transaction)."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup file to restore.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, backup, interactive, **options):
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(
                f"This replaces every record in the {connection.vendor} database {name}, and "
                f"every file under {settings.MEDIA_ROOT}, with the backup {backup}.\n"
                "Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            restore_database(backup)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {name} from {backup}."))
