from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from neighbourhoods.data import FILES, default_directory, import_neighbourhood_data


class Command(BaseCommand):
    help = (
        "Load wards, community committees, LSOAs, IMD 2015/2019 and boundaries from DIR "
        "(default fixtures/neighbourhoods). Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", type=Path, default=None)

    def handle(self, *args, directory=None, **options):
        directory = directory or default_directory()
        missing = [name for name in FILES.values() if not (directory / name).is_file()]
        if missing:
            raise CommandError(f"{directory} lacks: {', '.join(missing)}")
        counts = import_neighbourhood_data(directory)
        for what in counts.created:
            self.stdout.write(
                f"{what}: {counts.created[what]} created, {counts.updated[what]} updated"
            )
        if not counts.changed:
            self.stdout.write("Nothing changed.")
