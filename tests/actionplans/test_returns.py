"""Chasing: returns still BLANK in a quarter by lead agency, and reminders by e-mail."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse

from actionplans.models import Quarter, ReturnReminder
from leeds_communities.models import AuditEvent
from tests.actionplans.journey import open_quarter
from tests.downloads import download_text
from tests.factories import (
    ActionPlanFactory,
    OrganisationFactory,
    OutputFactory,
    QuarterFactory,
    StatusUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("actionplans:returns")
REMIND = reverse("actionplans:returns_remind")


@pytest.fixture
def quarter():
    return open_quarter()


@pytest.fixture
def outstanding(quarter, agency, other_agency, officer):
    officer.email = "officer@leeds.example"
    officer.save()
    done = OutputFactory(lead_agency=agency, ref="A1", lead_officer="Jo Bloggs")
    StatusUpdateFactory(output=done, quarter=quarter, rag="GREEN")
    blank = [
        OutputFactory(lead_agency=agency, ref="A2", lead_officer="Jo Bloggs"),
        OutputFactory(lead_agency=agency, ref="A3", lead_officer="Sam Smith"),
        OutputFactory(lead_agency=other_agency, ref="B1", lead_officer=""),
    ]
    OutputFactory(lead_agency=agency, ref="W1", commencement=datetime.date(2007, 2, 1))  # white
    OutputFactory(lead_agency=agency, ref="X1", withdrawn=datetime.date(2006, 6, 1))  # gone
    return blank


def _groups(response):
    return {
        str(g["agency"]): ([o.ref for o in g["outputs"]], g["officers"])
        for g in response.context["groups"]
    }


def test_governance_support_sees_blank_returns_grouped_by_lead_agency(
    client, governance_support, outstanding
):
    client.force_login(governance_support)
    response = client.get(URL)
    assert response.status_code == 200
    assert _groups(response) == {
        "Leeds City Council": (["A2", "A3"], ["Jo Bloggs", "Sam Smith"]),
        "West Yorkshire Police": (["B1"], []),
    }
    html = response.content.decode()
    assert "Send reminders to all 2 lead agencies" in html
    assert "Send a reminder to Leeds City Council" in html
    assert "no officer of West Yorkshire Police has an account with an e-mail address" in html


def test_an_officer_sees_only_their_own_agencys_returns_and_cannot_send(
    client, officer, outstanding
):
    client.force_login(officer)
    response = client.get(URL)
    assert _groups(response) == {
        "Leeds City Council": (["A2", "A3"], ["Jo Bloggs", "Sam Smith"]),
    }
    assert "Send a reminder" not in response.content.decode()


def test_a_chosen_quarter_is_shown(client, governance_support, outstanding, agency):
    earlier = QuarterFactory(year=2006, number=2, state=Quarter.State.CLOSED)
    client.force_login(governance_support)
    response = client.get(URL, {"year": "2006/07", "quarter": "2"})
    assert response.context["quarter"] == earlier
    refs = {ref for refs, _ in _groups(response).values() for ref in refs}
    assert "A1" in refs  # its Q3 return does not count in Q2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "2006-07", "quarter": "3"}, "is not a financial year"),
        ({"year": "2006/07", "quarter": "9"}, "is not a quarter"),
        ({"year": "1999/00", "quarter": "1"}, "“1999/00” is not a financial year with quarters"),
    ],
)
def test_a_bad_quarter_is_explained(client, governance_support, quarter, query, message):
    client.force_login(governance_support)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_reminders_are_e_mailed_recorded_and_audited(
    client, governance_support, outstanding, quarter, django_capture_on_commit_callbacks
):
    colleague = UserFactory(
        username="colleague",
        email="colleague@leeds.example",
        role="Officer",
        profile__organisation=outstanding[0].lead_agency,
    )
    UserFactory(
        username="gone",
        email="gone@leeds.example",
        role="Officer",
        is_active=False,
        profile__organisation=outstanding[0].lead_agency,
    )
    client.force_login(governance_support)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REMIND, {"quarter": quarter.pk}, follow=True)
    assert response.redirect_chain[-1][0] == f"{URL}?year=2006%2F07&quarter=3"
    html = response.content.decode()
    assert "Reminders sent to 2 officers of Leeds City Council." in html
    assert "No reminder sent to West Yorkshire Police" in html

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == [colleague.email, "officer@leeds.example"]
    assert (
        message.subject == "Returns due for Quarter 3 2006/07: 2 outstanding for Leeds City Council"
    )
    assert "A2" in message.body and "A3" in message.body and "B1" not in message.body
    assert "31 January 2007" in message.body

    reminder = ReturnReminder.objects.get()
    assert (reminder.quarter, reminder.sent_by, reminder.outstanding) == (
        quarter,
        governance_support,
        2,
    )
    assert sorted(reminder.recipients) == sorted(message.to)
    audit = AuditEvent.objects.get(action="return_reminder")
    assert audit.detail["reminder"] == reminder.pk
    assert "Last reminded" in html and "2 outstanding then" in html


def test_a_reminder_to_one_agency_leaves_the_others_alone(
    client,
    governance_support,
    outstanding,
    quarter,
    other_agency,
    django_capture_on_commit_callbacks,
):
    police = UserFactory(
        username="pc", email="pc@police.example", role="Officer", profile__organisation=other_agency
    )
    client.force_login(governance_support)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND, {"quarter": quarter.pk, "agency": other_agency.pk})
    assert [m.to for m in mail.outbox] == [[police.email]]
    assert list(ReturnReminder.objects.values_list("lead_agency__name", flat=True)) == [
        "West Yorkshire Police"
    ]


def test_nothing_is_sent_when_every_return_is_in(
    client, governance_support, quarter, agency, django_capture_on_commit_callbacks
):
    output = OutputFactory(lead_agency=agency)
    StatusUpdateFactory(output=output, quarter=quarter, rag="GREEN")
    client.force_login(governance_support)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REMIND, {"quarter": quarter.pk}, follow=True)
    assert "nothing was sent" in response.content.decode()
    assert "Every return for Quarter 3 2006/07 is in" in response.content.decode()
    assert not mail.outbox
    assert not ReturnReminder.objects.exists()


def test_an_officer_cannot_send_reminders(client, officer, outstanding, quarter):
    client.force_login(officer)
    response = client.post(REMIND, {"quarter": quarter.pk})
    assert response.status_code == 403
    assert not mail.outbox
    assert not ReturnReminder.objects.exists()


def test_a_reminder_needs_a_quarter(client, governance_support, quarter):
    client.force_login(governance_support)
    assert client.post(REMIND, {}).status_code == 400
    assert not ReturnReminder.objects.exists()


def test_the_returns_page_keeps_its_query_count_with_many_outputs(
    client, governance_support, quarter, django_assert_num_queries
):
    agencies = [OrganisationFactory(name=f"Agency {n}") for n in range(10)]
    for n in range(520):
        OutputFactory(lead_agency=agencies[n % 10], ref=f"R{n:04d}")
    client.force_login(governance_support)
    client.get(URL)
    # session, user, roles, quarter, outputs, addresses, reminders, year list
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert response.context["outstanding"] == 520


def test_governance_support_reads_sent_reminders_in_the_admin_but_cannot_change_them(
    client, governance_support, quarter, agency
):
    ReturnReminder.objects.create(
        quarter=quarter,
        lead_agency=agency,
        sent_by=governance_support,
        sent_at=datetime.datetime(2007, 1, 20, 9, tzinfo=datetime.UTC),
        recipients=["officer@leeds.example"],
        outstanding=3,
    )
    client.force_login(governance_support)
    listing = client.get(reverse("admin:actionplans_returnreminder_changelist"))
    assert listing.status_code == 200
    assert "Leeds City Council" in listing.content.decode()
    assert client.get(reverse("admin:actionplans_returnreminder_add")).status_code == 403


def test_outputs_of_a_plan_whose_period_excludes_the_quarter_are_not_chased(
    client, governance_support, outstanding, quarter, agency, django_capture_on_commit_callbacks
):
    """The counting rule: a plan that ended before the quarter has nothing outstanding in it, on
    the page, in the export and in the reminders alike (as in the summary and dashboards)."""
    ended = ActionPlanFactory(
        period_start=datetime.date(2002, 4, 1), period_end=datetime.date(2005, 3, 31)
    )
    OutputFactory(plan=ended, lead_agency=agency, ref="OLD1", lead_officer="Jo Bloggs")
    client.force_login(governance_support)
    response = client.get(URL)
    assert "OLD1" not in _groups(response)["Leeds City Council"][0]
    assert "OLD1" not in download_text(client.get(URL, {"_export": "csv"}))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND, {"quarter": quarter.pk})
    reminder = ReturnReminder.objects.get(lead_agency=agency)
    assert reminder.outstanding == 2  # A2 and A3
    assert "OLD1" not in mail.outbox[0].body


def test_the_outstanding_returns_download_as_csv_one_row_per_output(
    client, governance_support, outstanding, quarter
):
    client.force_login(governance_support)
    page = client.get(URL).content.decode()
    assert "_export=csv" in page
    response = client.get(
        URL, {"year": quarter.year_label, "quarter": quarter.number, "_export": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    filename = f"returns-outstanding-{quarter.year_label.replace('/', '-')}-q{quarter.number}.csv"
    assert filename in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download_text(response))))
    assert rows[0] == ["Lead agency", "Plan", "Ref", "Output", "Lead officer"]
    assert sorted((r[0], r[2], r[4]) for r in rows[1:]) == sorted(
        [
            ("Leeds City Council", "A2", "Jo Bloggs"),
            ("Leeds City Council", "A3", "Sam Smith"),
            (outstanding[2].lead_agency.name, "B1", ""),
        ]
    )
    assert AuditEvent.objects.filter(action="export").exists()


def test_an_officer_downloads_only_their_agencys_outstanding_returns(client, officer, outstanding):
    client.force_login(officer)
    rows = list(csv.reader(io.StringIO(download_text(client.get(URL, {"_export": "csv"})))))
    assert {r[2] for r in rows[1:]} == {"A2", "A3"}


def test_the_public_is_asked_to_sign_in_for_the_export(client, outstanding):
    response = client.get(URL, {"_export": "csv"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
