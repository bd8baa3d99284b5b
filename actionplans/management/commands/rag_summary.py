from django.core.management.base import BaseCommand, CommandError

from actionplans.models import Programme, Quarter
from actionplans.summary import build_summary


class Command(BaseCommand):
    help = (
        "Print a programme's summary progress table for a quarter as CSV, e.g. "
        "rag_summary --programme leeds-regeneration-plan-20052008 --year 2006/07 --quarter 3"
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="The programme's slug.")
        parser.add_argument("--year", required=True, help="The financial year, like 2006/07.")
        parser.add_argument("--quarter", required=True, help="The quarter, 1 to 4.")

    def handle(self, *args, programme, year, quarter, **options):
        try:
            chosen_programme = Programme.objects.get(slug=programme)
        except Programme.DoesNotExist:
            known = ", ".join(Programme.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"There is no programme “{programme}”. Programmes: {known or 'none yet'}."
            ) from None
        try:
            chosen_quarter = Quarter.objects.get_by_label(year, quarter)
        except ValueError as error:
            raise CommandError(str(error)) from None
        except Quarter.DoesNotExist:
            raise CommandError(f"There is no Quarter {quarter} {year.strip()}.") from None
        self.stdout.write(build_summary(chosen_programme, chosen_quarter).as_csv(), ending="")
