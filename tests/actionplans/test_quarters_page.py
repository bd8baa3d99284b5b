"""Governance support's quarters page: close early, extend and reopen, each audited, and every
bad input a clear message with nothing written."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from actionplans.models import Quarter, StatusUpdate
from leeds_communities.models import AuditEvent
from tests.factories import OutputFactory, QuarterFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2007, 1, 10)


@pytest.fixture
def today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield TODAY


@pytest.fixture
def quarter():
    q = QuarterFactory(year=2006, number=3, state=Quarter.State.OPEN)
    output = OutputFactory()
    StatusUpdate.objects.create(
        output=output,
        quarter=q,
        rag="GREEN",
        created_at=datetime.datetime(2007, 1, 5, tzinfo=datetime.UTC),
    )
    OutputFactory(plan=output.plan)
    return q


def _url(q):
    return reverse("actionplans:quarter_detail", args=[q.year, q.number])


def _post(client, q, action, **data):
    return client.post(_url(q), {"action": action, **{f"{action}-{k}": v for k, v in data.items()}})


def test_the_list_shows_state_deadline_and_returns(client, governance_support, quarter):
    client.force_login(governance_support)
    html = client.get(reverse("actionplans:quarters")).content.decode()
    assert "Quarter 3 2006/07" in html and "31 January 2007" in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in html


def test_extending_a_deadline_is_audited_and_bad_dates_are_refused(
    client, governance_support, quarter, today
):
    client.force_login(governance_support)
    response = _post(client, quarter, "extend", deadline="2006-12-01", reason="Late data")
    assert response.status_code == 400
    assert "cannot be before Quarter 3 2006/07 ends" in response.content.decode()
    response = _post(client, quarter, "extend", deadline="2007-01-09", reason="Late data")
    assert "cannot be in the past" in response.content.decode()
    response = _post(client, quarter, "extend", deadline="2007-02-30", reason="Late data")
    assert "as a real date" in response.content.decode()
    response = _post(client, quarter, "extend", deadline="2007-02-14", reason="")
    assert "Give the reason" in response.content.decode()
    quarter.refresh_from_db()
    assert quarter.deadline == D(2007, 1, 31)
    assert not AuditEvent.objects.filter(action="quarter_deadline").exists()

    response = _post(client, quarter, "extend", deadline="2007-02-14", reason="Late data")
    assert response.status_code == 302
    quarter.refresh_from_db()
    assert quarter.deadline == D(2007, 2, 14)
    event = AuditEvent.objects.get(action="quarter_deadline")
    assert event.actor == governance_support and event.detail["reason"] == "Late data"
    assert event.detail["previous"] == "2007-01-31"


def test_closing_early_then_reopening(client, governance_support, quarter, today):
    client.force_login(governance_support)
    assert _post(client, quarter, "close", reason="").status_code == 400
    response = _post(client, quarter, "close", reason="All returns in")
    assert response.status_code == 302
    quarter.refresh_from_db()
    assert quarter.state == "closed"
    # Closed: its returns are published, so the public sees the quarter now.
    assert Quarter.objects.visible_to(None).filter(pk=quarter.pk).exists()

    response = _post(client, quarter, "reopen", until="2007-01-12", reason="")
    assert response.status_code == 400 and "Give the reason" in response.content.decode()
    response = _post(client, quarter, "reopen", until="2007-01-01", reason="One more")
    assert "until today or a later day" in response.content.decode()
    quarter.refresh_from_db()
    assert quarter.state == "closed"

    response = _post(client, quarter, "reopen", until="2007-02-20", reason="One more agency")
    assert response.status_code == 302
    quarter.refresh_from_db()
    assert (quarter.state, quarter.reopened_until, quarter.closes_on) == (
        "open",
        D(2007, 2, 20),
        D(2007, 2, 20),
    )
    actions = list(
        AuditEvent.objects.filter(action__startswith="quarter_")
        .order_by("pk")
        .values_list("action", "detail")
    )
    assert [a for a, _ in actions] == ["quarter_closed", "quarter_reopened"]
    assert actions[1][1]["reason"] == "One more agency"


def test_a_closed_quarter_offers_reopen_and_not_extend(client, governance_support, quarter):
    quarter.state = Quarter.State.CLOSED
    quarter.save()
    client.force_login(governance_support)
    html = client.get(_url(quarter)).content.decode()
    assert "Reopen Quarter 3 2006/07" in html and "Set the deadline" not in html
    response = _post(client, quarter, "extend", deadline="2030-01-01", reason="x")
    assert response.status_code == 400 and "reopen it" in response.content.decode()


def test_an_officers_return_in_a_reopened_quarter_shows_as_late(client, officer, agency):
    from actionplans.services import record_status_update

    quarter = QuarterFactory(year=2006, number=3, state=Quarter.State.OPEN)
    output = OutputFactory(lead_agency=agency)
    on_time = datetime.datetime(2007, 1, 20, tzinfo=datetime.UTC)
    after = datetime.datetime(2007, 2, 5, tzinfo=datetime.UTC)
    client.force_login(officer)
    record_status_update(
        output=output,
        quarter=quarter,
        rag="GREEN",
        commentary="",
        acting_user=officer,
        expected_version=None,
        created_at=on_time,
    )
    assert (
        "Late: recorded after the deadline"
        not in client.get(output.get_absolute_url()).content.decode()
    )
    record_status_update(
        output=output,
        quarter=quarter,
        rag="GREEN",
        commentary="",
        acting_user=officer,
        expected_version=None,
        created_at=after,
    )
    html = client.get(output.get_absolute_url()).content.decode()
    assert html.count("Late: recorded after the deadline") == 1
