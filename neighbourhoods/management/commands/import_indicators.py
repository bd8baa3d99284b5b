from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from leeds_communities.csvimport import (
    ImportFailed,
    ImportUserError,
    import_user,
    problems_summary,
)
from neighbourhoods.indicators import COLUMN_HELP, COLUMNS, read_indicator_values


class Command(BaseCommand):
    help = (
        f"Import Thriving Neighbourhoods indicator values from a CSV file with the header "
        f"{','.join(COLUMNS)}: "
        + "; ".join(f"{c}: {h}" for c, h in COLUMN_HELP)
        + ". All rows or none are imported; problems are listed with their line numbers."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument(
            "--user", help="The governance support user to record (default: the import user)."
        )

    def handle(self, *args, file, dry_run=False, user=None, **options):
        if not file.is_file():
            raise CommandError(f"There is no file {file}.")
        result = read_indicator_values(file.read_bytes(), filename=file.name)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(problems_summary(result.errors, file.name))
        if dry_run:
            self.stdout.write(f"Dry run, nothing written: {result.describe()}.")
            return
        try:
            actor = import_user(user)
        except ImportUserError as exc:
            raise CommandError(str(exc)) from exc
        try:
            result.apply(actor=actor)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing was imported from {file.name}.") from failed
        self.stdout.write(f"{result.describe()}.")
