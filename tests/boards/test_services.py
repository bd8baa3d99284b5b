"""The register's writes: each checked, atomic and audited, from its own pages or the admin."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from boards import services
from boards.models import Board, Membership, TermsOfReference
from leeds_communities.models import AuditEvent
from tests.factories import BoardFactory, MembershipFactory, PersonFactory, TermsFactory

pytestmark = pytest.mark.django_db


def test_governance_support_adds_a_seat_and_it_is_audited(governance_support):
    board, person = BoardFactory(), PersonFactory()
    seat = services.add_membership(
        board=board,
        person=person,
        role=Membership.Role.CHAIR,
        start=datetime.date(2013, 6, 1),
        acting_user=governance_support,
    )
    assert board.memberships.current_on(datetime.date(2013, 6, 2)).get() == seat
    event = AuditEvent.objects.get(action="membership.added")
    assert event.actor == governance_support
    assert person.name in event.summary and "Chair" in event.summary


def test_an_officer_cannot_change_who_sits_on_a_board(officer):
    with pytest.raises(PermissionDenied):
        services.add_membership(board=BoardFactory(), person=PersonFactory(), acting_user=officer)
    assert not Membership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_seat_without_a_person_or_organisation_is_refused(governance_support):
    with pytest.raises(ValidationError):
        services.add_membership(board=BoardFactory(), acting_user=governance_support)
    assert not Membership.objects.exists()


def test_ending_a_seat_keeps_it_for_the_as_at_view(governance_support):
    seat = MembershipFactory(start=datetime.date(2013, 6, 1))
    services.end_membership(
        membership=seat,
        end=datetime.date(2014, 5, 31),
        reason="Stood down",
        acting_user=governance_support,
    )
    board = seat.board
    assert not board.memberships.current_on(datetime.date(2014, 6, 1)).exists()
    assert board.memberships.current_on(datetime.date(2014, 5, 1)).get() == seat
    event = AuditEvent.objects.get(action="membership.ended")
    assert event.detail["reason"] == "Stood down"
    with pytest.raises(ValidationError):
        services.end_membership(
            membership=seat, end=datetime.date(2015, 1, 1), acting_user=governance_support
        )


def test_a_seat_cannot_end_before_it_starts(governance_support):
    seat = MembershipFactory(start=datetime.date(2013, 6, 1))
    with pytest.raises(ValidationError):
        services.end_membership(
            membership=seat, end=datetime.date(2013, 1, 1), acting_user=governance_support
        )
    seat.refresh_from_db()
    assert seat.end is None


def test_agreeing_a_version_supersedes_the_one_in_force(governance_support):
    board = BoardFactory()
    v1 = TermsFactory(board=board, version=1)
    v2 = TermsFactory(board=board, version=2, status=TermsOfReference.Status.DRAFT, agreed_on=None)
    services.set_terms_status(
        terms=v2,
        status=TermsOfReference.Status.AGREED_SUBJECT_TO,
        agreed_on=datetime.date(2014, 6, 2),
        agreed_at_meeting="Communities Board, 2 June 2014",
        condition="the membership review",
        acting_user=governance_support,
    )
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == TermsOfReference.Status.SUPERSEDED
    assert (v2.status, v2.condition) == ("agreed_subject_to", "the membership review")
    assert AuditEvent.objects.get(action="terms.status").detail["superseded"] == [1]


def test_agreeing_subject_to_a_condition_needs_the_condition(governance_support):
    terms = TermsFactory(status=TermsOfReference.Status.DRAFT, agreed_on=None)
    with pytest.raises(ValidationError) as error:
        services.set_terms_status(
            terms=terms,
            status=TermsOfReference.Status.AGREED_SUBJECT_TO,
            agreed_on=datetime.date(2014, 6, 2),
            acting_user=governance_support,
        )
    assert "condition" in error.value.message_dict
    terms.refresh_from_db()
    assert terms.status == TermsOfReference.Status.DRAFT


def test_a_superseded_version_never_changes(governance_support):
    terms = TermsFactory(status=TermsOfReference.Status.SUPERSEDED)
    with pytest.raises(ValidationError):
        services.set_terms_status(
            terms=terms, status=TermsOfReference.Status.DRAFT, acting_user=governance_support
        )


def test_an_edit_in_the_administration_screens_is_audited(governance_support):
    board = BoardFactory(name="Communities Board")
    request = RequestFactory().post("/admin/")
    request.user = governance_support
    model_admin = admin.site._registry[Board]
    form_class = model_admin.get_form(request, board)
    data = {
        name: form_class.base_fields[name].prepare_value(getattr(board, name))
        for name in form_class.base_fields
        if name not in ("links_to",)
    }
    data = {k: v for k, v in data.items() if v is not None}
    data["remit"] = "A new remit."
    form = form_class(data, instance=board)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    board.refresh_from_db()
    assert board.remit == "A new remit."
    event = AuditEvent.objects.get(action="boards.board.changed")
    assert event.actor == governance_support and event.detail["fields"] == ["remit"]
    model_admin.delete_model(request, board)
    assert AuditEvent.objects.filter(action="boards.board.deleted").exists()


def test_a_seat_added_in_the_admin_keeps_its_end_date(client, governance_support):
    board, person = BoardFactory(), PersonFactory()
    client.force_login(governance_support)
    response = client.post(
        "/admin/boards/membership/add/",
        {
            "board": board.pk,
            "person": person.pk,
            "role": Membership.Role.MEMBER,
            "statutory_category": "",
            "start": "2010-01-01",
            "end": "2012-12-31",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    seat = Membership.objects.get()
    assert seat.end == datetime.date(2012, 12, 31)
    assert not board.memberships.current_on(datetime.date(2013, 1, 1)).exists()
    assert AuditEvent.objects.filter(action="membership.added").exists()


def _terms_post(terms_or_board, **fields):
    board = getattr(terms_or_board, "board", terms_or_board)
    data = {
        "board": board.pk,
        "version": getattr(terms_or_board, "version", 3),
        "title": "Terms of reference",
        "status": "draft",
        "condition": "",
        "agreed_on": "",
        "agreed_at_meeting": "",
        "review_date": "",
        "based_on": "",
        "source": "",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def test_a_version_added_as_agreed_in_the_admin_supersedes_the_one_in_force(
    client, governance_support
):
    board = BoardFactory()
    v1 = TermsFactory(board=board, version=1)
    client.force_login(governance_support)
    response = client.post(
        "/admin/boards/termsofreference/add/",
        _terms_post(board, version=2, status="agreed", agreed_on="2014-06-02"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    v1.refresh_from_db()
    assert v1.status == TermsOfReference.Status.SUPERSEDED
    assert board.terms.get(version=2).status == TermsOfReference.Status.AGREED


def test_changing_a_superseded_version_in_the_admin_is_a_form_error_not_a_500(
    client, governance_support
):
    terms = TermsFactory(status=TermsOfReference.Status.SUPERSEDED)
    client.force_login(governance_support)
    response = client.post(
        f"/admin/boards/termsofreference/{terms.pk}/change/",
        _terms_post(terms, status="agreed", agreed_on="2014-06-02"),
    )
    assert response.status_code == 200
    assert "A superseded version cannot change" in response.content.decode()
    terms.refresh_from_db()
    assert terms.status == TermsOfReference.Status.SUPERSEDED
