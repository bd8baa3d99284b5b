"""A city's worth of generated action plans, for the dashboards' benchmarks and load tests.

Everything made here belongs to one programme, "Generated programme (scale test)", whose plans
and outputs are marked illustrative; running it again replaces them. Nothing in it describes a
real output: the agencies are "Generated agency NN" and the commentary says it is generated.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from actionplans.models import ActionPlan, Output, Priority, Programme, Quarter, Rag, StatusUpdate
from boards.models import Board, Organisation, Sector

PROGRAMME = "Generated programme (scale test)"
FIRST_YEAR = 2016
BATCH = 5000


@dataclass
class Generated:
    plans: int
    outputs: int
    quarters: int
    updates: int


def _quarters(count: int) -> list[Quarter]:
    wanted = [(FIRST_YEAR + i // 4, i % 4 + 1) for i in range(count)]
    return [Quarter.objects.ensure(y, n, state=Quarter.State.CLOSED) for y, n in wanted]


def remove_generated() -> None:
    programme = Programme.objects.filter(name=PROGRAMME).first()
    if programme is None:
        return
    StatusUpdate.objects.filter(output__plan__programme=programme).delete()
    Output.objects.filter(plan__programme=programme).delete()
    ActionPlan.objects.filter(programme=programme).delete()
    programme.delete()
    # The quarters it added, unless something (a return, a reminder, a pack) now refers to them.
    for quarter in Quarter.objects.filter(year__gte=FIRST_YEAR, updates__isnull=True):
        try:
            quarter.delete()
        except ProtectedError:
            continue


@transaction.atomic
def generate(*, outputs: int, quarters: int, plans: int = 50, agencies: int = 40, seed: int = 1):
    """Replace the generated programme with `outputs` outputs spread over `plans` plans, and a
    return for most outputs in each of `quarters` consecutive quarters from Q1 2016/17."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    remove_generated()
    series = _quarters(quarters)
    board, _ = Board.objects.get_or_create(
        slug="generated-board-scale-test",
        defaults={"name": "Generated board (scale test)", "kind": Board.Kind.PARTNERSHIP},
    )
    programme = Programme.objects.create(name=PROGRAMME, slug="generated-programme-scale-test")
    scopes = list(ActionPlan.Scope.values)
    made_plans = ActionPlan.objects.bulk_create(
        ActionPlan(
            programme=programme,
            name=f"Generated plan {n:03d}",
            slug=f"generated-plan-{n:03d}",
            owner=board,
            scope=scopes[n % len(scopes)],
            period_start=series[0].start,
            period_end=series[-1].end,
            order=n,
            illustrative=True,
        )
        for n in range(1, plans + 1)
    )
    priorities = Priority.objects.bulk_create(
        Priority(plan=plan, order=k, title=f"Generated priority {k}")
        for plan in made_plans
        for k in range(1, 4)
    )
    lead_agencies = []
    for n in range(1, agencies + 1):
        agency, _ = Organisation.objects.get_or_create(
            slug=f"generated-agency-{n:02d}",
            defaults={"name": f"Generated agency {n:02d}", "sector": Sector.PUBLIC},
        )
        lead_agencies.append(agency)
    span = (series[-1].end - series[0].start).days
    made_outputs = []
    for start in range(0, outputs, BATCH):
        made_outputs += Output.objects.bulk_create(
            Output(
                plan=made_plans[i % plans],
                priority=priorities[(i % plans) * 3 + i % 3],
                ref=f"G{i:06d}",
                title=f"Generated output {i}",
                lead_agency=lead_agencies[i % agencies],
                lead_officer="Generated officer",
                commencement=series[0].start + datetime.timedelta(days=rng.randrange(span // 2)),
                illustrative=True,
            )
            for i in range(start, min(start + BATCH, outputs))
        )
    updates = 0
    rags = [Rag.GREEN] * 6 + [Rag.AMBER] * 2 + [Rag.RED]
    now = timezone.now()
    batch = []
    for output in made_outputs:
        for quarter in series:
            if quarter.end < output.commencement or rng.random() < 0.1:
                continue  # white, or no return: blank
            rag = rng.choice(rags)
            batch.append(
                StatusUpdate(
                    output=output,
                    quarter=quarter,
                    rag=rag,
                    commentary="" if rag == Rag.GREEN else "Generated return (scale test).",
                    created_at=now,
                    source=StatusUpdate.Source.SEED,
                )
            )
            if len(batch) >= BATCH:
                StatusUpdate.objects.bulk_create(batch)
                updates += len(batch)
                batch = []
    StatusUpdate.objects.bulk_create(batch)
    updates += len(batch)
    return Generated(plans=plans, outputs=outputs, quarters=len(series), updates=updates)
