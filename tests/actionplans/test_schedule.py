"""The quarter schedule, day by day across a financial-year end and a bank holiday."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from actionplans.models import Quarter, ReturnReminder
from actionplans.quarters import reporting_quarter
from actionplans.schedule import is_working_day, run_schedule, working_days_before
from actionplans.services import extend_deadline
from boards.models import Membership
from leeds_communities.models import AuditEvent
from leeds_communities.roles import Role
from tests.factories import (
    ActionPlanFactory,
    BoardFactory,
    MembershipFactory,
    OrganisationFactory,
    OutputFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def year():
    """A plan running from January 2026, its board's chair, an agency's officer, and staff."""
    board = BoardFactory(name="Safer Leeds Test Board")
    plan = ActionPlanFactory(owner=board, period_start=D(2026, 1, 1), period_end=D(2027, 12, 31))
    agency = OrganisationFactory(name="Test Housing Agency")
    outputs = [
        OutputFactory(
            plan=plan, lead_agency=agency, ref=f"T{i}", commencement=D(2026, 1, 1), due=None
        )
        for i in range(2)
    ]
    UserFactory(
        username="officer",
        email="officer@example.org",
        role=Role.OFFICER,
        profile__organisation=agency,
    )
    UserFactory(username="staff", email="support@example.org", role=Role.GOVERNANCE_SUPPORT)
    chair = PersonFactory(email="chair@example.org")
    MembershipFactory(board=board, person=chair, role=Membership.Role.CHAIR, start=D(2025, 1, 1))
    return outputs


def _states():
    return {str(q): q.state for q in Quarter.objects.chronological()}


def _kinds():
    return [(str(r.quarter), r.kind, r.delivery) for r in ReturnReminder.objects.order_by("pk")]


def test_working_days_skip_weekends_and_englands_bank_holidays():
    assert not is_working_day(D(2026, 4, 3))  # Good Friday
    assert not is_working_day(D(2026, 4, 6))  # Easter Monday
    assert not is_working_day(D(2026, 4, 4))  # a Saturday
    assert is_working_day(D(2026, 4, 7))
    assert working_days_before(D(2026, 4, 8), 3) == D(2026, 4, 1)


def test_a_year_of_days(year):
    # 31 March 2026: the plan's first quarter (Q4 2025/26) is open; no later one exists yet.
    run_schedule(D(2026, 3, 31))
    assert _states() == {"Quarter 4 2025/26": "open"}

    # 1 April: a new financial year. Two quarters are open; officers report on the one whose
    # deadline (30 April, the last day of the month after it ends) comes first.
    run = run_schedule(D(2026, 4, 1))
    assert [str(q) for q in run.created] == ["Quarter 1 2026/27"]
    assert _states() == {"Quarter 4 2025/26": "open", "Quarter 1 2026/27": "open"}
    assert Quarter.objects.get(year=2025, number=4).deadline == D(2026, 4, 30)
    assert str(reporting_quarter()) == "Quarter 4 2025/26"

    # The reminder before the deadline is due five working days before it: 23 April.
    run_schedule(D(2026, 4, 22))
    assert _kinds() == [] and mail.outbox == []
    run_schedule(D(2026, 4, 23))
    assert _kinds() == [("Quarter 4 2025/26", "before", "sent")]
    [message] = mail.outbox
    assert message.to == ["officer@example.org"] and message.cc == []
    assert "2 outputs with no return for Quarter 4 2025/26" in message.body
    assert "due by the end of 30 April 2026" in message.body

    # Twice on a day, or the next day: nothing twice.
    run_schedule(D(2026, 4, 23))
    run_schedule(D(2026, 4, 24))
    assert len(mail.outbox) == 1 and len(_kinds()) == 1

    # The day after the deadline the quarter closes (its returns are published) and the overdue
    # reminder goes, copied to governance support and the board's chair.
    run = run_schedule(D(2026, 5, 1))
    assert [str(q) for q in run.closed] == ["Quarter 4 2025/26"]
    assert _states()["Quarter 4 2025/26"] == "closed"
    assert _kinds()[-1] == ("Quarter 4 2025/26", "after", "sent")
    overdue = mail.outbox[-1]
    assert overdue.cc == ["chair@example.org", "support@example.org"]
    assert "now overdue" in overdue.body
    assert str(reporting_quarter()) == "Quarter 1 2026/27"
    assert AuditEvent.objects.filter(action="quarter_closed").count() == 1
    before = (len(mail.outbox), _kinds(), _states())
    run_schedule(D(2026, 5, 1))
    assert (len(mail.outbox), _kinds(), _states()) == before


def test_an_extended_deadline_moves_the_reminder_past_a_bank_holiday(year):
    run_schedule(D(2026, 4, 1))
    quarter = Quarter.objects.get(year=2025, number=4)
    staff = UserFactory(role=Role.GOVERNANCE_SUPPORT)
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 4, 1)):
        extend_deadline(quarter=quarter, deadline=D(2026, 5, 6), acting_user=staff, reason="Purdah")
    # Five working days before Wednesday 6 May, skipping the early May bank holiday (4 May).
    run_schedule(D(2026, 4, 27))
    assert _kinds() == []
    run_schedule(D(2026, 4, 28))
    assert _kinds() == [("Quarter 4 2025/26", "before", "sent")]
    run_schedule(D(2026, 5, 1))
    assert _states()["Quarter 4 2025/26"] == "open"
    run_schedule(D(2026, 5, 7))
    assert _states()["Quarter 4 2025/26"] == "closed"


def test_a_reminder_the_mail_server_refused_is_sent_by_the_next_run(year, monkeypatch):
    run_schedule(D(2026, 4, 1))

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMessage, "send", refuse)
        run = run_schedule(D(2026, 4, 23))
    assert run.failed == 1
    reminder = ReturnReminder.objects.get()
    assert reminder.delivery == "failed" and "mail server down" in reminder.error
    assert mail.outbox == []

    run = run_schedule(D(2026, 4, 24))
    reminder.refresh_from_db()
    assert (reminder.delivery, reminder.attempts, run.delivered) == ("sent", 2, 1)
    assert len(mail.outbox) == 1 and ReturnReminder.objects.count() == 1


def test_the_command_runs_a_day_and_refuses_a_bad_date(year):
    out = io.StringIO()
    call_command("run_quarter_schedule", today="2026-04-01", stdout=out)
    assert "quarters created: Quarter 4 2025/26, Quarter 1 2026/27" in out.getvalue()
    out = io.StringIO()
    call_command("run_quarter_schedule", today="2026-04-01", stdout=out)
    assert "quarters created: none" in out.getvalue()
    with pytest.raises(CommandError, match="not a date"):
        call_command("run_quarter_schedule", today="1 April")


def test_quarters_long_past_are_created_closed_and_remind_nobody(year):
    run_schedule(D(2026, 11, 3))
    assert _states() == {
        "Quarter 4 2025/26": "closed",
        "Quarter 1 2026/27": "closed",
        "Quarter 2 2026/27": "closed",
        "Quarter 3 2026/27": "open",
    }
    # Q2's deadline (31 October) passed three days ago: its overdue reminder goes; nothing older.
    assert _kinds() == [("Quarter 2 2026/27", "after", "sent")]


def test_a_run_cut_short_by_the_database_is_finished_by_the_next(year, monkeypatch):
    from django.db import OperationalError

    from actionplans import schedule

    run_schedule(D(2026, 4, 1))
    real = schedule._send_reminders

    def database_gone(run):
        raise OperationalError("server closed the connection unexpectedly")

    # On 1 May the quarter is closed, then the database goes away before the reminders.
    monkeypatch.setattr(schedule, "_send_reminders", database_gone)
    with pytest.raises(OperationalError):
        run_schedule(D(2026, 5, 1))
    # Nothing was half done: the quarter is still open and no reminder was recorded or sent.
    assert _states()["Quarter 4 2025/26"] == "open"
    assert _kinds() == [] and mail.outbox == []

    monkeypatch.setattr(schedule, "_send_reminders", real)
    run_schedule(D(2026, 5, 1))
    assert _states()["Quarter 4 2025/26"] == "closed"
    assert _kinds() == [("Quarter 4 2025/26", "after", "sent")]
    assert len(mail.outbox) == 1
