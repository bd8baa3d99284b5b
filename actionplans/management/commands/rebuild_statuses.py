"""Recompute the kept latest return of every output in every quarter from the status updates."""

from django.core.management.base import BaseCommand
from django.db import transaction

from actionplans.models import LatestReturn
from actionplans.status import rebuild_latest


class Command(BaseCommand):
    help = (
        "Recompute each output's latest return in each quarter from the status updates (the "
        "table the pages read statuses through). Safe to run at any time; changes nothing if "
        "the table is already right."
    )

    def handle(self, *args, **options):
        kept = LatestReturn.objects.values_list("output_id", "quarter_id", "update_id")
        with transaction.atomic():
            before = set(kept.all())
            rebuild_latest()
            after = set(kept.all())
        self.stdout.write(
            f"{len(after)} latest returns kept; {len(before ^ after)} corrected "
            f"({len(after - before)} written, {len(before - after)} removed)."
        )
