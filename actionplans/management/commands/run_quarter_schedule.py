"""One day's work of the quarter schedule: see `actionplans.schedule`."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actionplans.schedule import run_schedule


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today “{text}” is not a date; write it like 2026-12-01.") from error


class Command(BaseCommand):
    help = (
        "Create the quarters up to today, close those whose deadline has passed and send the "
        "reminders that fall due. Idempotent: run it daily (or hourly); twice on a day does "
        "nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to run for (YYYY-MM-DD); default today.")

    def handle(self, *args, today=None, **options):
        day = _day(today) if today else timezone.localdate()
        run = run_schedule(day)
        self.stdout.write("\n".join(run.lines()))
