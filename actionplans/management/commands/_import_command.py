"""What the two import commands share: read the file, report, apply unless --dry-run."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from leeds_communities.csvimport import (
    ImportFailed,
    ImportUserError,
    import_user,
    problems_summary,
)


class ImportCommand(BaseCommand):
    """Subclasses set `read(content, filename, actor, options)`."""

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8; a byte-order mark is fine).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what would change, without writing anything.",
        )
        parser.add_argument(
            "--user",
            help="The governance support user to record as the importer "
            "(default: the 'import' user).",
        )

    def read(self, content: bytes, *, filename: str, actor, options):
        raise NotImplementedError

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            actor = import_user(options["user"])
        except ImportUserError as error:
            raise CommandError(str(error)) from error

        result = self.read(content, filename=path.name, actor=actor, options=options)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(problems_summary(result.errors, path.name))
        for record in result.new_records:
            self.stdout.write(f"New: {record}")
        for row in result.to_update:
            self.stdout.write(f"Line {row.line}: {row.plan} {row.ref}: {'; '.join(row.changes)}")
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing written: {result.describe(done=False)}.")
            return
        try:
            result.apply()
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing was imported from {path.name}.") from failed
        self.stdout.write(self.style.SUCCESS(f"Imported {path.name}: {result.describe()}."))
