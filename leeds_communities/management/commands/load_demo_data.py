from django.conf import settings
from django.core.management.base import BaseCommand

from boards.demo import load_boards
from leeds_communities.demo import DEMO_PASSWORD, create_demo_accounts
from leeds_communities.roles import ensure_role_groups


class Command(BaseCommand):
    help = (
        "Load the demo data drawn from the seed documents. Safe to run again: it changes nothing."
    )

    def handle(self, *args, **options):
        ensure_role_groups()
        counts = load_boards()
        self.stdout.write(
            "Boards register: " + ", ".join(f"{n} {what}" for what, n in counts.items())
        )
        if not settings.DEMO_ACCOUNTS:
            self.stdout.write("Demo accounts are off in these settings; none created.")
            return
        accounts = create_demo_accounts()
        self.stdout.write(
            self.style.SUCCESS(f"\nDemo accounts (password for each: {DEMO_PASSWORD})")
        )
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.role.label}")
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/\n")
