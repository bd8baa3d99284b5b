"""The seed's rule: WHITE before commencement, else the latest update in the quarter, else BLANK."""

import datetime

import pytest

from actionplans.models import Output, Quarter, Status
from actionplans.status import status_of
from tests.factories import OutputFactory, QuarterFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


def _status(output, quarter):
    """The rule as every list applies it; one output's page asks `status_of`, the same SQL."""
    annotated = Output.objects.with_status(quarter).get(pk=output.pk).status
    counted = Output.objects.counted_in(quarter).filter(pk=output.pk).exists()
    assert status_of(output, quarter) == (annotated if counted else None)
    return annotated


@pytest.mark.parametrize(
    ("year", "number", "start", "end"),
    [
        (2006, 1, datetime.date(2006, 4, 1), datetime.date(2006, 6, 30)),
        (2006, 2, datetime.date(2006, 7, 1), datetime.date(2006, 9, 30)),
        (2006, 3, datetime.date(2006, 10, 1), datetime.date(2006, 12, 31)),
        (2006, 4, datetime.date(2007, 1, 1), datetime.date(2007, 3, 31)),
        (2023, 4, datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)),
    ],
)
def test_quarters_follow_the_uk_financial_year(year, number, start, end):
    quarter = Quarter(year=year, number=number)
    assert (quarter.start, quarter.end) == (start, end)
    assert Quarter.year_and_number_of(start) == (year, number)
    assert Quarter.year_and_number_of(end) == (year, number)
    assert quarter.year_label == f"{year}/{(year + 1) % 100:02d}"


def test_commencement_after_the_quarters_last_day_is_white():
    q3 = QuarterFactory(year=2006, number=3)
    output = OutputFactory(commencement=datetime.date(2007, 1, 1))
    StatusUpdateFactory(output=output, quarter=q3, rag="GREEN")  # even with a return
    assert _status(output, q3) == Status.WHITE


def test_commencement_on_the_quarters_last_day_is_not_white():
    q3 = QuarterFactory(year=2006, number=3)
    output = OutputFactory(commencement=datetime.date(2006, 12, 31))
    assert _status(output, q3) == Status.BLANK
    StatusUpdateFactory(output=output, quarter=q3, rag="AMBER", commentary="Late start")
    assert _status(output, q3) == Status.AMBER


def test_no_update_in_the_quarter_is_blank_even_with_one_in_the_previous_quarter():
    q2, q3 = QuarterFactory(year=2006, number=2), QuarterFactory(year=2006, number=3)
    output = OutputFactory()
    StatusUpdateFactory(output=output, quarter=q2, rag="GREEN")
    assert _status(output, q2) == Status.GREEN
    assert _status(output, q3) == Status.BLANK


def test_the_latest_of_several_updates_in_a_quarter_counts():
    q3 = QuarterFactory(year=2006, number=3)
    output = OutputFactory()
    first = datetime.datetime(2007, 1, 5, 9, tzinfo=datetime.UTC)
    StatusUpdateFactory(output=output, quarter=q3, rag="GREEN", created_at=first)
    StatusUpdateFactory(
        output=output,
        quarter=q3,
        rag="RED",
        commentary="Funding withdrawn",
        created_at=first + datetime.timedelta(days=3),
    )
    StatusUpdateFactory(
        output=output,
        quarter=q3,
        rag="AMBER",
        commentary="Partly restored",
        created_at=first + datetime.timedelta(days=1),
    )
    assert _status(output, q3) == Status.RED


def test_updates_on_the_same_instant_are_ordered_by_insertion():
    q3 = QuarterFactory(year=2006, number=3)
    output = OutputFactory()
    StatusUpdateFactory(output=output, quarter=q3, rag="GREEN")
    StatusUpdateFactory(output=output, quarter=q3, rag="AMBER", commentary="Second")
    assert _status(output, q3) == Status.AMBER


def test_an_update_for_q4_does_not_count_in_q3_across_the_calendar_year():
    q3, q4 = QuarterFactory(year=2006, number=3), QuarterFactory(year=2006, number=4)
    output = OutputFactory()
    StatusUpdateFactory(output=output, quarter=q4, rag="GREEN")
    assert _status(output, q3) == Status.BLANK
    assert _status(output, q4) == Status.GREEN


def test_an_output_withdrawn_before_the_quarter_is_not_counted():
    q3 = QuarterFactory(year=2006, number=3)
    gone = OutputFactory(withdrawn=datetime.date(2006, 9, 30))
    during = OutputFactory(withdrawn=datetime.date(2006, 10, 1))
    kept = OutputFactory()
    counted = set(Output.objects.counted_in(q3).values_list("pk", flat=True))
    assert counted == {during.pk, kept.pk}
    assert gone.pk not in counted
