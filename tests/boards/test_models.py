"""Rules in the register's models: which boards existed on a day, and the constraints."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from boards.models import Board, Membership, TermsOfReference
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TermsFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2013, 6, 1)


def _active_names(day):
    return set(Board.objects.active_on(day).values_list("name", flat=True))


def test_it_counts_a_board_established_on_the_day_as_active():
    BoardFactory(name="Started today", established=DAY)
    BoardFactory(name="Starts tomorrow", established=DAY + datetime.timedelta(days=1))
    assert _active_names(DAY) == {"Started today"}


def test_it_counts_a_board_with_no_established_date_as_active():
    BoardFactory(name="Undated", established=None)
    assert _active_names(datetime.date(1990, 1, 1)) == {"Undated"}


def test_it_treats_the_disbanded_date_as_the_first_day_the_board_no_longer_exists():
    BoardFactory(
        name="Gone today",
        status=Board.Status.DISBANDED,
        established=datetime.date(2011, 1, 1),
        disbanded=DAY,
    )
    BoardFactory(
        name="Gone tomorrow",
        status=Board.Status.DISBANDED,
        established=datetime.date(2011, 1, 1),
        disbanded=DAY + datetime.timedelta(days=1),
    )
    assert _active_names(DAY) == {"Gone tomorrow"}
    assert _active_names(DAY - datetime.timedelta(days=1)) == {"Gone today", "Gone tomorrow"}


def test_active_on_agrees_with_is_active_on():
    boards = [
        BoardFactory(established=None),
        BoardFactory(established=DAY),
        BoardFactory(established=DAY + datetime.timedelta(days=1)),
        BoardFactory(status=Board.Status.DISBANDED, established=None, disbanded=DAY),
        BoardFactory(
            status=Board.Status.DISBANDED,
            established=datetime.date(2011, 1, 1),
            disbanded=DAY + datetime.timedelta(days=1),
        ),
    ]
    in_sql = set(Board.objects.active_on(DAY).values_list("pk", flat=True))
    in_python = {b.pk for b in boards if b.is_active_on(DAY)}
    assert in_sql == in_python
    assert len(in_sql) == 3


def test_membership_current_on_includes_the_last_day_and_excludes_the_day_after():
    membership = MembershipFactory(start=datetime.date(2012, 1, 1), end=DAY)
    assert list(Membership.objects.current_on(DAY)) == [membership]
    assert not Membership.objects.current_on(DAY + datetime.timedelta(days=1)).exists()
    assert not Membership.objects.current_on(datetime.date(2011, 12, 31)).exists()


def test_a_disbanded_board_without_a_date_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardFactory(status=Board.Status.DISBANDED, disbanded=None)
    assert not Board.objects.exists()


def test_a_board_disbanded_before_it_was_established_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardFactory(
            status=Board.Status.DISBANDED,
            established=datetime.date(2013, 6, 1),
            disbanded=datetime.date(2013, 5, 31),
        )
    assert not Board.objects.exists()


def test_a_board_disbanded_on_the_day_it_was_established_is_allowed():
    board = BoardFactory(status=Board.Status.DISBANDED, established=DAY, disbanded=DAY)
    assert Board.objects.filter(pk=board.pk).exists()


def test_a_membership_naming_neither_a_person_nor_an_organisation_is_refused():
    board = BoardFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(board=board, person=None, organisation=None)
    assert not Membership.objects.exists()


def test_a_membership_naming_only_an_organisation_is_allowed():
    membership = Membership.objects.create(
        board=BoardFactory(), organisation=OrganisationFactory(), person=None
    )
    assert membership.member_name == membership.organisation.name


def test_a_membership_ending_before_it_starts_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            person=PersonFactory(), start=datetime.date(2013, 1, 1), end=datetime.date(2012, 1, 1)
        )


def test_terms_agreed_subject_to_a_condition_need_the_condition():
    board = BoardFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TermsFactory(
            board=board, version=1, status=TermsOfReference.Status.AGREED_SUBJECT_TO, condition=""
        )
    terms = TermsFactory(
        board=board,
        version=1,
        status=TermsOfReference.Status.AGREED_SUBJECT_TO,
        condition="Further work on the membership",
    )
    assert terms.condition == "Further work on the membership"


def test_two_terms_with_the_same_version_for_one_board_are_refused():
    board = BoardFactory()
    TermsFactory(board=board, version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        TermsFactory(board=board, version=1)
