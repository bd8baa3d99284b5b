"""The kept latest return of each output in each quarter always equals the rule over the whole
history: the newest return by time of recording, then by id; WHITE and BLANK derived."""

import datetime
import io

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from actionplans.models import LatestReturn, Output, Quarter, StatusUpdate
from actionplans.status import Status, status_of
from tests.factories import OrganisationFactory, OutputFactory, QuarterFactory, UserFactory

BASE = datetime.datetime(2007, 1, 10, 9, tzinfo=datetime.UTC)

# One return: which output, which quarter, the colour, and when it was recorded (few distinct
# times, so that ties are common and the id must break them).
returns = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.integers(0, 2),
        st.sampled_from(["GREEN", "AMBER", "RED"]),
        st.integers(0, 3),
    ),
    max_size=14,
)
# How each return is written: saved one by one, or in a bulk insert with the ones after it.
paths = st.lists(st.sampled_from(["save", "bulk"]), min_size=14, max_size=14)


def expected_latest(updates) -> dict[tuple[int, int], int]:
    """The rule, in Python over the whole history: the pk of the newest return of each pair."""
    newest: dict[tuple[int, int], StatusUpdate] = {}
    for u in updates:
        key = (u.output_id, u.quarter_id)
        if key not in newest or (u.created_at, u.pk) > (newest[key].created_at, newest[key].pk):
            newest[key] = u
    return {key: u.pk for key, u in newest.items()}


def kept() -> dict[tuple[int, int], int]:
    return {(row.output_id, row.quarter_id): row.update_id for row in LatestReturn.objects.all()}


class LatestReturnsFollowEveryHistory(TestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(history=returns, how=paths)
    def test_kept_latest_equals_the_rule(self, history, how):
        agency = OrganisationFactory()
        outputs = [
            OutputFactory(lead_agency=agency, commencement=datetime.date(2006, 4, 1)),
            OutputFactory(lead_agency=agency, commencement=datetime.date(2006, 4, 1)),
            # Starts after Q2 2006/07 ends: WHITE there whatever is reported.
            OutputFactory(lead_agency=agency, commencement=datetime.date(2006, 10, 1)),
        ]
        quarters = [QuarterFactory(year=2006, number=n) for n in (1, 2, 3)]
        pending = []
        for (o, q, rag, minutes), path in zip(history, how, strict=False):
            update = StatusUpdate(
                output=outputs[o],
                quarter=quarters[q],
                rag=rag,
                commentary="" if rag == "GREEN" else f"Reason {minutes}",
                created_at=BASE + datetime.timedelta(minutes=minutes),
            )
            if path == "bulk":
                pending.append(update)
                continue
            StatusUpdate.objects.bulk_create(pending)
            pending = []
            update.save()
        StatusUpdate.objects.bulk_create(pending)

        assert kept() == expected_latest(StatusUpdate.objects.all())
        latest = {
            (r.output_id, r.quarter_id): r for r in LatestReturn.objects.select_related("update")
        }
        for row in latest.values():
            assert (row.rag, row.commentary, row.created_at) == (
                row.update.rag,
                row.update.commentary,
                row.update.created_at,
            )
        for output in outputs:
            for quarter in quarters:
                if output.commencement > quarter.end:
                    expected = Status.WHITE
                elif (output.pk, quarter.pk) in latest:
                    expected = latest[(output.pk, quarter.pk)].rag
                else:
                    expected = Status.BLANK
                assert status_of(output, quarter) == expected


@pytest.mark.django_db
def test_rebuild_statuses_corrects_a_kept_table_that_has_gone_wrong():
    output = OutputFactory()
    q2, q3 = QuarterFactory(year=2006, number=2), QuarterFactory(year=2006, number=3)
    first = StatusUpdate.objects.create(
        output=output, quarter=q3, rag="RED", commentary="Late.", created_at=BASE
    )
    second = StatusUpdate.objects.create(
        output=output, quarter=q3, rag="GREEN", created_at=BASE + datetime.timedelta(hours=1)
    )
    StatusUpdate.objects.create(
        output=output, quarter=q2, rag="AMBER", commentary="Slow.", created_at=BASE
    )
    assert status_of(output, q3) == "GREEN"

    # Damage it three ways: a wrong row, a missing row, a row with no return behind it.
    LatestReturn.objects.filter(quarter=q3).update(update=first, rag="RED")
    LatestReturn.objects.filter(quarter=q2).delete()
    other = OutputFactory(plan=output.plan)
    LatestReturn.objects.create(
        output=other,
        quarter=q3,
        quarter_order=q3.ordinal,
        update=second,
        rag="RED",
        created_at=BASE,
    )
    assert status_of(output, q3) == "RED" and status_of(output, q2) == "BLANK"

    out = io.StringIO()
    call_command("rebuild_statuses", stdout=out)
    assert status_of(output, q3) == "GREEN"
    assert status_of(output, q2) == "AMBER"
    assert kept() == expected_latest(StatusUpdate.objects.all())
    assert "2 latest returns kept; 4 corrected (2 written, 2 removed)" in out.getvalue()

    out = io.StringIO()
    call_command("rebuild_statuses", stdout=out)
    assert "0 corrected" in out.getvalue()


@pytest.mark.django_db
def test_a_return_through_the_service_is_the_latest_at_once():
    from actionplans.services import record_status_update
    from leeds_communities.roles import Role

    output = OutputFactory()
    quarter = QuarterFactory(year=2006, number=3, state=Quarter.State.OPEN)
    officer = UserFactory(role=Role.OFFICER, profile__organisation=output.lead_agency)
    record_status_update(
        output=output,
        quarter=quarter,
        rag="RED",
        commentary="Site lost.",
        corrective_action="Recovery plan agreed.",
        corrective_action_by=datetime.date(2030, 3, 31),
        acting_user=officer,
        expected_version=output.version,
    )
    row = LatestReturn.objects.get(output=output, quarter=quarter)
    assert (row.rag, row.commentary) == ("RED", "Site lost.")
    assert Output.objects.with_status(quarter).get(pk=output.pk).status == "RED"
