"""Cached dashboard aggregates never outlive the data under them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans.models import Quarter, StatusUpdate
from actionplans.services import record_status_update
from leeds_communities.roles import Role
from neighbourhoods.models import Ward
from tests.factories import OutputFactory, QuarterFactory, UserFactory

pytestmark = pytest.mark.django_db
Q3 = {"year": "2006/07", "quarter": "3"}


@pytest.fixture
def cached(settings):
    settings.AGGREGATE_CACHE_TIMEOUT = 60


@pytest.fixture
def data():
    quarter = QuarterFactory(year=2006, number=3, state=Quarter.State.OPEN)
    outputs = [OutputFactory(ref=f"C{i}") for i in range(3)]
    for output in outputs[:2]:
        StatusUpdate.objects.create(
            output=output,
            quarter=quarter,
            rag="GREEN",
            created_at=datetime.datetime(2007, 1, 10, tzinfo=datetime.UTC),
        )
    staff = UserFactory(role=Role.GOVERNANCE_SUPPORT)
    return quarter, outputs, staff


def _load(client, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboards:index"), {**Q3, **extra})
    assert response.status_code == 200
    return response.context["overall"].counts, len(queries)


def test_a_second_load_reads_the_cache_and_a_return_refreshes_it(client, cached, data):
    quarter, outputs, staff = data
    client.force_login(staff)
    counts, first = _load(client)
    assert (counts["GREEN"], counts["BLANK"]) == (2, 1)
    again, second = _load(client)
    assert again == counts and second < first - 3

    record_status_update(
        output=outputs[2],
        quarter=quarter,
        rag="RED",
        commentary="Stalled.",
        corrective_action="Recovery plan agreed.",
        corrective_action_by=datetime.date(2030, 3, 31),
        acting_user=staff,
        expected_version=None,
    )
    counts, _ = _load(client)
    assert (counts["GREEN"], counts["RED"], counts["BLANK"]) == (2, 1, 0)


def test_an_output_withdrawn_or_a_ward_target_changes_what_is_shown(client, cached, data):
    quarter, outputs, staff = data
    client.force_login(staff)
    _load(client)
    outputs[0].withdrawn = datetime.date(2006, 5, 1)
    outputs[0].save()
    counts, _ = _load(client)
    assert counts["GREEN"] == 1

    def wards():
        response = client.get(reverse("dashboards:index"), Q3)
        panel = next(p for p in response.context["panels"] if p["dimension"].param == "ward")
        return [(g.label, g.total) for g in panel["groups"]]

    ward = Ward.objects.create(code="E05000000", name="Probe ward", slug="probe-ward")
    assert wards() == []
    ward.targeted_outputs.add(outputs[1])
    assert wards() == [("Probe ward", 1)]


def test_the_public_and_members_get_their_own_cached_counts(cached):
    from django.contrib.auth.models import AnonymousUser

    from actionplans.dashboards import queries
    from actionplans.models import Output

    # Two quarters open at once: the previous one's returns are for members only.
    q2 = QuarterFactory(year=2006, number=2, state=Quarter.State.OPEN)
    q3 = QuarterFactory(year=2006, number=3, state=Quarter.State.OPEN)
    output = OutputFactory()
    for quarter in (q2, q3):
        StatusUpdate.objects.create(
            output=output,
            quarter=quarter,
            rag="RED",
            commentary="Stalled.",
            created_at=datetime.datetime(2007, 1, 10, tzinfo=datetime.UTC),
        )
    member = UserFactory(role=Role.SCRUTINY_MEMBER)
    plan = queries.DIMENSIONS_BY_PARAM["plan"]

    def changes(user):
        outputs = Output.objects.counted_in(q3).with_status(q3)
        rows = queries.changes_by(outputs, Quarter.objects.get(pk=q3.pk), plan, user)
        return [(r.counts["turned_red"], r.counts["stayed_red"]) for r in rows]

    # For the public the quarter before holds nothing, so nothing changed.
    for _ in range(2):
        assert changes(member) == [(0, 1)]
        assert changes(AnonymousUser()) == []
