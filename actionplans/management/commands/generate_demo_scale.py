from django.core.management.base import BaseCommand, CommandError

from actionplans.scale import PROGRAMME, generate, remove_generated


class Command(BaseCommand):
    help = (
        f"Replace the generated programme ({PROGRAMME!r}, illustrative) with N outputs and a "
        "return for most of them in each of Q quarters: data for the dashboards' benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--outputs", type=int, default=20_000)
        parser.add_argument("--quarters", type=int, default=40)
        parser.add_argument("--plans", type=int, default=50)
        parser.add_argument("--remove", action="store_true", help="Only remove what was generated.")

    def handle(self, *args, outputs, quarters, plans, remove, **options):
        if remove:
            remove_generated()
            self.stdout.write("Removed the generated programme.")
            return
        if outputs < 1 or not 1 <= quarters <= 200 or plans < 1:
            raise CommandError("Give at least one output and plan, and 1 to 200 quarters.")
        made = generate(outputs=outputs, quarters=quarters, plans=min(plans, outputs))
        self.stdout.write(
            f"Generated {made.plans} plans, {made.outputs} outputs, {made.quarters} quarters, "
            f"{made.updates} status updates (all illustrative)."
        )
