"""Load the action plans drawn from the seeds (fixtures/actionplans.json), idempotently.

The Leeds Regeneration Plan's outputs are generated from the published Q3 2006/07 counts and
marked illustrative; nothing in them is a real output.
"""

import datetime
import json
import random
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from actionplans.models import (
    ActionPlan,
    Output,
    Priority,
    Programme,
    Quarter,
    Rag,
    Status,
    StatusUpdate,
)
from boards.models import Board, Organisation, Sector

ILLUSTRATIVE_COMMENTARY = {
    Rag.GREEN: "",
    Rag.AMBER: "Illustrative return: some slippage against the milestone.",
    Rag.RED: "Illustrative return: off track; the lead agency has been asked for a recovery plan.",
}
_VOLUNTARY = {"Leeds Voice"}


def _fixture_path() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "actionplans.json"


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def ensure_quarters(year: int, closed: list[int], open_: list[int]) -> dict[int, Quarter]:
    return {
        number: Quarter.objects.ensure(
            year,
            number,
            state=Quarter.State.CLOSED if number in closed else Quarter.State.OPEN,
        )
        for number in sorted(closed + open_)
    }


def _agency(name: str) -> Organisation:
    return Organisation.objects.get_or_create(
        name=name,
        defaults={
            "slug": slugify(name),
            "sector": Sector.VOLUNTARY_COMMUNITY if name in _VOLUNTARY else Sector.PUBLIC,
        },
    )[0]


def _plan(row: dict, programme: Programme | None, order: int) -> ActionPlan:
    plan, _ = ActionPlan.objects.update_or_create(
        slug=slugify(row["name"]),
        defaults={
            "programme": programme,
            "name": row["name"],
            "short_name": row.get("short_name", ""),
            "owner": Board.objects.get(name=row["owner"]),
            "scope": row["scope"],
            "area": row.get("area", ""),
            "period_start": _date(row.get("period_start")),
            "period_end": _date(row.get("period_end")),
            "order": order,
            "illustrative": row.get("illustrative", False),
            "description": row.get("description", ""),
        },
    )
    for i, title in enumerate(row.get("priorities", []), start=1):
        Priority.objects.update_or_create(plan=plan, title=title, defaults={"order": i})
    return plan


def _ref_prefix(plan: ActionPlan) -> str:
    return "".join(word[0] for word in plan.label.replace("-", " ").split()).upper()


def _generate_outputs(plan, counts, agencies, quarter):
    """Outputs whose Q3 statuses add up to the published counts, in a stable mixed order."""
    statuses = [status for status in Status.values for _ in range(counts[status])]
    random.Random(plan.slug).shuffle(statuses)  # noqa: S311 - a stable order, not security
    priorities = list(plan.priorities.all())
    prefix = _ref_prefix(plan)
    existing = {o.ref: o for o in plan.outputs.all()}
    to_create = []
    for i, status in enumerate(statuses, start=1):
        ref = f"{prefix}{i:03d}"
        if ref in existing:
            continue
        commencement = (
            quarter.end + datetime.timedelta(days=32)
            if status == Status.WHITE
            else datetime.date(2005, 11, 1)
        )
        to_create.append(
            Output(
                plan=plan,
                priority=priorities[i % len(priorities)] if priorities else None,
                ref=ref,
                title=f"Illustrative output {ref}"
                + (f": {priorities[i % len(priorities)].title}" if priorities else ""),
                lead_agency=agencies[i % len(agencies)],
                commencement=commencement,
                due=datetime.date(2008, 3, 31),
                illustrative=True,
            )
        )
    Output.objects.bulk_create(to_create)
    outputs = {o.ref: o for o in plan.outputs.all()}
    reported = set(
        StatusUpdate.objects.filter(output__plan=plan, quarter=quarter).values_list(
            "output__ref", flat=True
        )
    )
    returned_at = timezone.make_aware(datetime.datetime.combine(quarter.deadline, datetime.time(9)))
    updates = [
        StatusUpdate(
            output=outputs[f"{prefix}{i:03d}"],
            quarter=quarter,
            rag=status,
            commentary=ILLUSTRATIVE_COMMENTARY[status],
            created_at=returned_at,
            source=StatusUpdate.Source.SEED,
        )
        for i, status in enumerate(statuses, start=1)
        if status in Rag.values and f"{prefix}{i:03d}" not in reported
    ]
    StatusUpdate.objects.bulk_create(updates)
    Output.objects.filter(pk__in=[u.output_id for u in updates]).update(version=1)


@transaction.atomic
def load_action_plans(path: Path | None = None) -> dict[str, int]:
    data = json.loads((path or _fixture_path()).read_text(encoding="utf-8"))
    spec = data["quarters"]
    quarters = ensure_quarters(spec["year"], spec["closed"], spec["open"])
    agencies = [_agency(name) for name in data["lead_agencies"]["names"]]

    for prog in data["programmes"]:
        programme, _ = Programme.objects.update_or_create(
            slug=slugify(prog["name"]),
            defaults={
                "name": prog["name"],
                "description": prog.get("description", ""),
                "board": Board.objects.filter(name=prog.get("board")).first(),
            },
        )
        for order, row in enumerate(prog["plans"], start=1):
            plan = _plan(row, programme, order)
            if "published_q3_2006" in row:
                _generate_outputs(plan, row["published_q3_2006"], agencies, quarters[3])

    for order, row in enumerate(data["plans"], start=1):
        plan = _plan(row, None, order)
        priorities = list(plan.priorities.all())
        for spec_output in row["outputs"]:
            Output.objects.update_or_create(
                plan=plan,
                ref=spec_output["ref"],
                defaults={
                    "title": spec_output["title"],
                    "lead_agency": _agency(spec_output["lead_agency"]),
                    "lead_officer": spec_output.get("lead_officer", ""),
                    "commencement": _date(spec_output["commencement"]),
                    "due": _date(spec_output.get("due")),
                    "priority": priorities[spec_output["priority"] - 1]
                    if spec_output.get("priority")
                    else None,
                },
            )
    return {
        "programmes": Programme.objects.count(),
        "plans": ActionPlan.objects.count(),
        "outputs": Output.objects.count(),
        "status updates": StatusUpdate.objects.count(),
    }
