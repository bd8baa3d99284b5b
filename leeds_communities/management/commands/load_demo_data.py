import os

from django.conf import settings
from django.core.management.base import BaseCommand

from actionplans.demo import load_action_plans
from actionplans.narrative import load_narrative_reports
from boards.demo import load_boards
from boards.meetings.demo import load_meetings
from leeds_communities.demo import DEMO_PASSWORD, create_demo_accounts
from leeds_communities.roles import ensure_role_groups
from neighbourhoods.data import import_neighbourhood_data, seed_priority_neighbourhoods


class Command(BaseCommand):
    help = (
        "Load the demo data drawn from the seed documents. Safe to run again: it changes nothing."
    )

    def handle(self, *args, **options):
        ensure_role_groups()
        counts = load_boards()
        self._report("Boards register", counts)
        self._report("Action plans", load_action_plans())
        self._report("Meetings and reports", load_meetings())
        self._report("Narrative reports", load_narrative_reports())
        areas = import_neighbourhood_data()
        self._report("Neighbourhood data created", areas.created)
        self._report("Priority neighbourhoods", seed_priority_neighbourhoods())
        if not settings.DEMO_ACCOUNTS:
            self.stdout.write("Demo accounts are off in these settings; none created.")
            return
        accounts = create_demo_accounts()
        self.stdout.write(
            self.style.SUCCESS(f"\nDemo accounts (password for each: {DEMO_PASSWORD})")
        )
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.role.value}")
        # `make run` says where it will serve; the default is runserver's.
        address = os.environ.get("DEMO_ADDRESS", "127.0.0.1:8000")
        self.stdout.write(f"Sign in at http://{address}/accounts/login/\n")

    def _report(self, what: str, counts: dict[str, int]) -> None:
        self.stdout.write(f"{what}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
