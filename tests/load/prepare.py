"""Accounts and a baseline for `make loadtest` / `make faulttest`, in the database named by
DATABASE_URL (already migrated, demo data loaded):

- `LOAD_OFFICERS` officers (default 40), spread round-robin over the lead agencies whose outputs
  count in the open quarter, and `LOAD_SCRUTINY` scrutiny members (default 10);
- every account's password is `LOAD_PASSWORD` (the runner makes a random one each run);
- a baseline file (`--baseline PATH`): each output's version and number of status updates before
  the run, so the checker can tell that every new version came with exactly one new update.

    python -m tests.load.prepare --baseline load-results/baseline.json
"""

import argparse
import json
import os
import sys
from pathlib import Path

import django

OFFICER_PREFIX = "load-officer-"
SCRUTINY_PREFIX = "load-scrutiny-"


def create_accounts(password: str, officers: int, scrutiny: int) -> dict[str, list[str]]:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from actionplans.models import Output
    from actionplans.quarters import reporting_quarter
    from boards.models import Organisation, Profile
    from leeds_communities.roles import Role, ensure_role_groups

    quarter = reporting_quarter()
    if quarter is None or not quarter.is_open:
        raise SystemExit("No quarter is open for returns: the load test updates an open quarter.")
    agency_ids = (
        Output.objects.counted_in(quarter)
        .filter(commencement__lte=quarter.end)
        .values_list("lead_agency_id", flat=True)
        .distinct()
    )
    agencies = list(Organisation.objects.filter(pk__in=agency_ids).order_by("name"))
    if not agencies:
        raise SystemExit(f"No outputs count in {quarter}: load the demo data first.")

    groups = ensure_role_groups()
    user_model = get_user_model()
    made: dict[str, list[str]] = {"officers": [], "scrutiny": []}
    with transaction.atomic():
        for n in range(officers):
            agency = agencies[n % len(agencies)]
            user = _account(user_model, f"{OFFICER_PREFIX}{n + 1:03d}", password)
            user.groups.set([groups[Role.OFFICER]])
            Profile.objects.update_or_create(user=user, defaults={"organisation": agency})
            made["officers"].append(user.username)
        for n in range(scrutiny):
            user = _account(user_model, f"{SCRUTINY_PREFIX}{n + 1:03d}", password)
            user.groups.set([groups[Role.SCRUTINY_MEMBER]])
            Profile.objects.update_or_create(user=user, defaults={"organisation": None})
            made["scrutiny"].append(user.username)
    print(
        f"Load-test accounts: {officers} officers over {len(agencies)} lead agencies "
        f"({', '.join(a.name for a in agencies)}), {scrutiny} scrutiny members; "
        f"updates go to {quarter}."
    )
    return made


def _account(user_model, username: str, password: str):
    user, _ = user_model.objects.get_or_create(
        username=username,
        defaults={"first_name": "Load test", "last_name": username.rsplit("-", 1)[-1]},
    )
    user.set_password(password)
    user.is_active = True
    user.save()
    return user


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True)
    args = parser.parse_args(argv)
    password = os.environ.get("LOAD_PASSWORD", "")
    if len(password) < 12:
        print("Set LOAD_PASSWORD (12 characters or more) for the load-test accounts.")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leeds_communities.settings.production")
    django.setup()
    create_accounts(
        password,
        officers=int(os.environ.get("LOAD_OFFICERS", "40")),
        scrutiny=int(os.environ.get("LOAD_SCRUTINY", "10")),
    )
    args.baseline.parent.mkdir(parents=True, exist_ok=True)
    from actionplans.models import Output
    from tests.load.check import baseline_of

    args.baseline.write_text(json.dumps(baseline_of(Output.objects.all())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
