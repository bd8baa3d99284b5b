"""Builders shared by the tests of the officer's journey, returns and imports."""

import datetime

from actionplans.models import Quarter
from tests.factories import ActionPlanFactory, OutputFactory, QuarterFactory

Q3_2006 = {"year": 2006, "number": 3}


def open_quarter(**kwargs) -> Quarter:
    return QuarterFactory(
        **{**Q3_2006, "deadline": datetime.date(2007, 1, 31), "state": Quarter.State.OPEN, **kwargs}
    )


def closed_quarter(**kwargs) -> Quarter:
    return QuarterFactory(
        **{
            **Q3_2006,
            "deadline": datetime.date(2007, 1, 31),
            "state": Quarter.State.CLOSED,
            **kwargs,
        }
    )


CORRECTIVE = {"corrective_action": "Recovery plan agreed.", "corrective_action_by": "2030-03-31"}


def update_data(output, quarter, **overrides) -> dict:
    """What the update form posts, from the output as it is now; a Red return comes with a
    corrective action unless the overrides say otherwise."""
    data = {
        "rag": "GREEN",
        "commentary": "",
        "version": output.version,
        "quarter": quarter.pk,
        "next": "",
    }
    if overrides.get("rag") == "RED":
        data.update(CORRECTIVE)
    data.update(overrides)
    return data


def plan_with_outputs(agency, count, *, plan=None, **kwargs):
    plan = plan or ActionPlanFactory()
    return plan, [
        OutputFactory(plan=plan, lead_agency=agency, ref=f"R{n:04d}", **kwargs)
        for n in range(count)
    ]
