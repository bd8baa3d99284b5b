"""The living year: one day's work of the quarter schedule (`manage.py run_quarter_schedule`).

- **Quarters exist** from the one holding the earliest plan's start up to the one holding today;
  each is created on (or, catching up, after) its first day, open if its deadline has not
  passed, else closed.
- **A quarter closes** once the day it closes on has ended (its deadline, or a reopening's end):
  officers can no longer record returns and its returns are published. Governance support may
  close one early, extend its deadline or reopen it (`actionplans.services`).
- **Reminders** go to each lead agency with BLANK outputs in an open quarter: `before` the
  deadline, from REMINDER_WORKING_DAYS working days before it (weekends and England's bank
  holidays are not working days); `after` it, on the first run after the deadline (within
  OVERDUE_WINDOW days), copied to governance support and the chairs of the boards owning the
  outstanding outputs. Each goes once per agency, quarter and kind; mail that fails is sent again
  by the next run.

Every step looks at what is already done, so running it twice on a day changes nothing and sends
nothing twice, and a run stopped part way (a database restart) is finished by the next.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

import holidays
from django.conf import settings
from django.db import transaction
from django.db.models import Min

from actionplans.models import ActionPlan, Output, Quarter, ReturnReminder
from actionplans.quarters import default_deadline, quarter_start, year_and_number_of
from actionplans.services import deliver_reminders, send_return_reminders
from boards.models import Membership
from leeds_communities.models import record_audit


def reminder_working_days() -> int:
    return getattr(settings, "REMINDER_WORKING_DAYS", 5)


def overdue_window() -> int:
    return getattr(settings, "OVERDUE_WINDOW", 7)


@functools.cache
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The working day `count` working days before `day`."""
    while count > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def reminder_from(quarter: Quarter) -> datetime.date:
    """The first day the before-the-deadline reminder is due."""
    return working_days_before(quarter.closes_on, reminder_working_days())


@dataclass
class ScheduleRun:
    today: datetime.date
    created: list[Quarter] = field(default_factory=list)
    closed: list[Quarter] = field(default_factory=list)
    reminders: list[ReturnReminder] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)
    delivered: int = 0
    failed: int = 0

    def lines(self) -> list[str]:
        out = [f"Quarter schedule for {self.today:%-d %B %Y}:"]
        out.append(f"  quarters created: {', '.join(map(str, self.created)) or 'none'}")
        out.append(f"  quarters closed: {', '.join(map(str, self.closed)) or 'none'}")
        out.append(
            "  reminders recorded: "
            + (
                ", ".join(f"{r.lead_agency} ({r.kind}, {r.quarter})" for r in self.reminders)
                or "none"
            )
        )
        if self.no_address:
            out.append(f"  no officer to write to: {', '.join(sorted(set(self.no_address)))}")
        out.append(f"  mail sent: {self.delivered}; failed, to retry: {self.failed}")
        return out


def _quarters_due(today: datetime.date) -> list[tuple[int, int]]:
    """(year, number) of every quarter from the earliest plan's start to the one holding today."""
    earliest = ActionPlan.objects.aggregate(start=Min("period_start"))["start"]
    first = Quarter.objects.chronological().first()
    starts = [d for d in (earliest, first.start if first else None) if d]
    if not starts:
        return []
    year, number = year_and_number_of(min(starts))
    last = year_and_number_of(today)
    wanted = []
    while (year, number) <= last:
        wanted.append((year, number))
        year, number = (year, number + 1) if number < 4 else (year + 1, 1)
    return wanted


def _create_quarters(run: ScheduleRun) -> None:
    existing = set(Quarter.objects.values_list("year", "number"))
    for year, number in _quarters_due(run.today):
        if (year, number) in existing or quarter_start(year, number) > run.today:
            continue
        deadline = default_deadline(year, number)
        state = Quarter.State.OPEN if run.today <= deadline else Quarter.State.CLOSED
        quarter, made = Quarter.objects.get_or_create(
            year=year, number=number, defaults={"deadline": deadline, "state": state}
        )
        if made:
            run.created.append(quarter)
            record_audit(
                actor=None,
                action="quarter_created",
                summary=f"{quarter} created by the quarter schedule ({state})",
                quarter=quarter.pk,
            )


def _close_quarters(run: ScheduleRun) -> None:
    for quarter in Quarter.objects.open_for_returns().chronological():
        if quarter.due_to_close(run.today):
            quarter.state = Quarter.State.CLOSED
            quarter.save(update_fields=["state"])
            run.closed.append(quarter)
            record_audit(
                actor=None,
                action="quarter_closed",
                summary=f"{quarter} closed by the quarter schedule after "
                f"{quarter.closes_on:%-d %B %Y}",
                quarter=quarter.pk,
            )


def escalation_addresses(outputs: list[Output], today: datetime.date) -> list[str]:
    """Governance support, and the chairs (on `today`) of the boards owning these outputs'
    plans."""
    from django.contrib.auth import get_user_model

    from leeds_communities.roles import Role

    support = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.GOVERNANCE_SUPPORT.value)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    boards = {o.plan.owner_id for o in outputs if o.plan.owner_id}
    chairs = (
        Membership.objects.current_on(today)
        .filter(board_id__in=boards, role=Membership.Role.CHAIR)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )
    return sorted(set(support) | set(chairs))


def _send_reminders(run: ScheduleRun) -> None:
    for quarter in Quarter.objects.open_for_returns().chronological():
        if reminder_from(quarter) <= run.today <= quarter.closes_on:
            outcome = send_return_reminders(
                quarter=quarter, acting_user=None, kind=ReturnReminder.Kind.BEFORE
            )
            run.reminders += outcome.sent
            run.no_address += [str(o) for o in outcome.no_address]
    window = run.today - datetime.timedelta(days=overdue_window())
    for quarter in Quarter.objects.filter(deadline__lt=run.today, deadline__gte=window):
        outcome = send_return_reminders(
            quarter=quarter,
            acting_user=None,
            kind=ReturnReminder.Kind.AFTER,
            copy_to=lambda outputs: escalation_addresses(outputs, run.today),
        )
        run.reminders += outcome.sent
        run.no_address += [str(o) for o in outcome.no_address]


def run_schedule(today: datetime.date) -> ScheduleRun:
    """One day's work: quarters created and closed, reminders recorded (in one transaction),
    then every reminder not yet sent is sent."""
    run = ScheduleRun(today=today)
    with transaction.atomic():
        _create_quarters(run)
        _close_quarters(run)
        _send_reminders(run)
    # The reminders just recorded were sent as they committed; this sends any left over (a mail
    # server that was down last time, a run stopped before its mail went).
    retried, _ = deliver_reminders()
    recorded = ReturnReminder.objects.filter(pk__in=[r.pk for r in run.reminders])
    run.delivered = retried + recorded.filter(delivery=ReturnReminder.Delivery.SENT).count()
    run.failed = ReturnReminder.objects.filter(delivery=ReturnReminder.Delivery.FAILED).count()
    return run
