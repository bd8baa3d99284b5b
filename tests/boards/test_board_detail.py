"""A board's page: remit, status, leaders, members by sector, terms, structure, lineage."""

import datetime
import re

import pytest
from django.utils import timezone

from boards.models import Board, Membership, Sector, TermsOfReference
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TermsFactory,
)
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    council = OrganisationFactory(name="Leeds City Council", sector=Sector.PUBLIC)
    third_sector = OrganisationFactory(
        name="Voluntary Action Leeds", sector=Sector.VOLUNTARY_COMMUNITY
    )
    board = BoardFactory(
        name="Communities Board",
        kind=Board.Kind.STRATEGIC_PARTNERSHIP_BOARD,
        established=datetime.date(2013, 6, 1),
        remit="Creating the conditions for the Best City for Communities.",
    )
    MembershipFactory(
        board=board,
        person=PersonFactory(
            name="Cllr Peter Gruen", job_title="Executive Member", organisation=council
        ),
        role=Membership.Role.CHAIR,
    )
    MembershipFactory(
        board=board,
        person=PersonFactory(
            name="James Rogers", job_title="Assistant Chief Executive", organisation=council
        ),
        role=Membership.Role.LEAD_DIRECTOR,
    )
    MembershipFactory(
        board=board,
        person=PersonFactory(name="Val Community", organisation=third_sector),
        role=Membership.Role.MEMBER,
    )
    return board


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _summary_value(html: str, key: str) -> str:
    """The value cell of the summary-list row whose key is `key`."""
    match = re.search(
        rf'<dt class="govuk-summary-list__key">{re.escape(key)}</dt>'
        r'<dd class="govuk-summary-list__value">(.*?)</dd>',
        html,
        re.S,
    )
    assert match, f"no summary row {key!r}"
    return match.group(1).strip()


def _members_by_sector(html: str) -> dict[str, str]:
    """Each sector heading in the members section, with the list that follows it."""
    section = html[html.index('id="members"') : html.index('id="terms"')]
    return dict(
        re.findall(r'<h3 class="govuk-heading-m">([^<]*)</h3>\s*<ul[^>]*>(.*?)</ul>', section, re.S)
    )


def test_it_shows_the_remit(client, board):
    assert "Creating the conditions for the Best City for Communities." in _html(
        client.get(board.get_absolute_url())
    )


@pytest.mark.parametrize(
    ("status", "disbanded", "text", "css"),
    [
        (Board.Status.ACTIVE, None, "Active", "govuk-tag--green"),
        (Board.Status.SHADOW, None, "Shadow", "govuk-tag--yellow"),
        (Board.Status.DISBANDED, datetime.date(2015, 1, 1), "Disbanded", "govuk-tag--grey"),
    ],
)
def test_it_shows_the_status_as_a_tag(client, status, disbanded, text, css):
    board = BoardFactory(status=status, disbanded=disbanded)
    html = _html(client.get(board.get_absolute_url()))
    assert _summary_value(html, "Status") == f'<strong class="govuk-tag {css}">{text}</strong>'


def test_it_shows_the_chair_and_lead_director_with_their_job_titles(client, board):
    html = _html(client.get(board.get_absolute_url()))
    assert _summary_value(html, "Chair") == "Cllr Peter Gruen, Executive Member"
    assert _summary_value(html, "Lead director") == "James Rogers, Assistant Chief Executive"


def test_it_says_when_no_chair_is_recorded(client):
    board = BoardFactory()
    html = _html(client.get(board.get_absolute_url()))
    assert _summary_value(html, "Chair") == "Not recorded"


def test_it_groups_members_under_sector_headings(client, board):
    groups = _members_by_sector(_html(client.get(board.get_absolute_url())))
    assert list(groups) == ["Public", "Voluntary and community"]
    assert "Cllr Peter Gruen" in groups["Public"]
    assert "James Rogers" in groups["Public"]
    assert "Val Community" not in groups["Public"]
    assert "Val Community" in groups["Voluntary and community"]


def test_it_groups_a_member_with_no_organisation_as_not_recorded(client, board):
    MembershipFactory(board=board, person=PersonFactory(name="Martin Dean", organisation=None))
    groups = _members_by_sector(_html(client.get(board.get_absolute_url())))
    assert "Martin Dean" in groups["Not recorded"]


def test_it_shows_an_organisation_membership_with_its_statutory_category(client):
    board = BoardFactory(name="Safer Leeds Executive", kind=Board.Kind.COMMUNITY_SAFETY_PARTNERSHIP)
    Membership.objects.create(
        board=board,
        organisation=OrganisationFactory(name="West Yorkshire Police"),
        statutory_category=Membership.StatutoryCategory.RESPONSIBLE_AUTHORITY,
    )
    groups = _members_by_sector(_html(client.get(board.get_absolute_url())))
    assert "West Yorkshire Police — Member, responsible authority" in groups["Public"]


def test_it_lists_the_sub_boards(client, board):
    BoardFactory(name="Migration Partnership", slug="migration-partnership", reports_to=board)
    BoardFactory(name="BME Challenge Forum", slug="bme-challenge-forum", reports_to=board)
    BoardFactory(name="Unrelated Board")
    value = _summary_value(_html(client.get(board.get_absolute_url())), "Sub-boards")
    assert value == (
        '<a class="govuk-link" href="/boards/bme-challenge-forum/">BME Challenge Forum</a><br>'
        '<a class="govuk-link" href="/boards/migration-partnership/">Migration Partnership</a>'
    )


def test_it_links_to_the_board_it_reports_to(client):
    parent = BoardFactory(name="Leeds Initiative", slug="leeds-initiative")
    child = BoardFactory(reports_to=parent)
    value = _summary_value(_html(client.get(child.get_absolute_url())), "Reports to")
    assert value == '<a class="govuk-link" href="/boards/leeds-initiative/">Leeds Initiative</a>'


def test_it_links_the_lineage_both_ways(client):
    old = BoardFactory(
        name="Leeds Initiative Board",
        slug="leeds-initiative-board",
        status=Board.Status.DISBANDED,
        established=None,
        disbanded=datetime.date(2012, 12, 1),
    )
    middle = BoardFactory(
        name="Best City Leadership Network", slug="best-city-leadership-network", established=None
    )
    newest = BoardFactory(name="Leeds Partnership Forum", slug="leeds-partnership-forum")
    old.succeeded_by = middle
    old.save()
    middle.succeeded_by = newest
    middle.save()

    old_html = _html(client.get(old.get_absolute_url()))
    assert _summary_value(old_html, "Succeeded by") == (
        '<a class="govuk-link" href="/boards/best-city-leadership-network/">'
        "Best City Leadership Network</a>, then "
        '<a class="govuk-link" href="/boards/leeds-partnership-forum/">Leeds Partnership Forum</a>'
    )
    middle_html = _html(client.get(middle.get_absolute_url()))
    assert _summary_value(middle_html, "Succeeded") == (
        '<a class="govuk-link" href="/boards/leeds-initiative-board/">Leeds Initiative Board</a>'
        " (disbanded December 2012)"
    )


def test_it_lists_the_boards_it_links_to_and_is_linked_from(client, board):
    safer = BoardFactory(name="Safer Leeds Executive", slug="safer-leeds-executive")
    third = BoardFactory(name="Third Sector Partnership", slug="third-sector-partnership")
    board.links_to.set([safer, third])
    html = _html(client.get(board.get_absolute_url()))
    assert _summary_value(html, "Links to") == (
        '<a class="govuk-link" href="/boards/safer-leeds-executive/">Safer Leeds Executive</a><br>'
        '<a class="govuk-link" href="/boards/third-sector-partnership/">'
        "Third Sector Partnership</a>"
    )
    assert _summary_value(html, "Linked from") == "None recorded"
    safer_html = _html(client.get(safer.get_absolute_url()))
    assert board.name in _summary_value(safer_html, "Linked from")
    assert _summary_value(safer_html, "Links to") == "None recorded"


# --- members on a date -------------------------------------------------------------------------


@pytest.fixture
def changing_membership(board):
    MembershipFactory(
        board=board,
        person=PersonFactory(name="Left In 2014"),
        start=datetime.date(2013, 6, 1),
        end=datetime.date(2014, 3, 31),
    )
    MembershipFactory(
        board=board, person=PersonFactory(name="Joined In 2015"), start=datetime.date(2015, 1, 1)
    )
    return board


def test_it_shows_who_sat_on_the_board_on_a_date(client, changing_membership):
    html = _html(client.get(changing_membership.get_absolute_url(), {"on": "2013-09-01"}))
    assert "Members on 1 September 2013" in html
    assert "Left In 2014" in html
    assert "Joined In 2015" not in html


def test_a_membership_that_ended_before_the_date_is_absent(client, changing_membership):
    html = _html(client.get(changing_membership.get_absolute_url(), {"on": "2015-06-01"}))
    assert "Left In 2014" not in html
    assert "Joined In 2015" in html


def test_a_membership_is_present_on_its_last_day(client, changing_membership):
    html = _html(client.get(changing_membership.get_absolute_url(), {"on": "2014-03-31"}))
    assert "Left In 2014" in html


def test_the_leaders_are_those_in_post_on_the_date(client, board):
    MembershipFactory(
        board=board,
        person=PersonFactory(name="Earlier Chair", job_title=""),
        role=Membership.Role.CHAIR,
        end=datetime.date(2013, 5, 31),
    )
    Membership.objects.filter(person__name="Cllr Peter Gruen").update(
        start=datetime.date(2013, 6, 1)
    )
    html = _html(client.get(board.get_absolute_url(), {"on": "2013-05-01"}))
    assert _summary_value(html, "Chair") == "Earlier Chair"


def test_it_shows_todays_members_by_default(client, changing_membership):
    html = _html(client.get(changing_membership.get_absolute_url()))
    assert "Members now" in html
    assert "Joined In 2015" in html
    assert "Left In 2014" not in html


def test_an_invalid_date_shows_an_error_and_todays_members(client, changing_membership):
    response = client.get(changing_membership.get_absolute_url(), {"on": "notadate"})
    html = _html(response)
    assert response.context["day"] == timezone.localdate()
    assert "on" in response.context["date_form"].errors
    assert '<p id="id_on-error" class="govuk-error-message">' in html
    assert 'aria-invalid="true"' in html
    assert "Members now" in html
    assert "Joined In 2015" in html


# --- terms of reference ------------------------------------------------------------------------


@pytest.fixture
def terms(board):
    agreed = TermsFactory(
        board=board,
        version=1,
        title="Proposed terms",
        status=TermsOfReference.Status.AGREED_SUBJECT_TO,
        condition="Further work on the membership of the new Board",
    )
    draft = TermsFactory(
        board=board, version=2, title="Revised terms", status=TermsOfReference.Status.DRAFT
    )
    return agreed, draft


def test_it_shows_the_terms_in_force_with_their_condition(client, board, terms):
    html = _html(client.get(board.get_absolute_url()))
    assert "In force: " in html
    assert "version 1, Proposed terms</a> — agreed subject to: Further work on the membership" in (
        html
    )


def test_draft_terms_are_not_listed_for_the_public(client, board, terms):
    html = _html(client.get(board.get_absolute_url()))
    assert f'href="{terms[0].get_absolute_url()}">Version 1</a>' in html
    assert terms[1].get_absolute_url() not in html
    assert "Compare two versions" not in html


def test_draft_terms_are_listed_for_governance_support(persona_client, board, terms):
    html = _html(persona_client("governance_support").get(board.get_absolute_url()))
    assert f'href="{terms[1].get_absolute_url()}">Version 2</a>' in html
    assert "Draft</strong>" in html
    assert "Compare two versions" in html


def test_draft_terms_are_listed_for_a_member_of_the_board(
    persona_client, board, terms, chair_person
):
    MembershipFactory(board=board, person=chair_person)
    html = _html(persona_client("chair").get(board.get_absolute_url()))
    assert terms[1].get_absolute_url() in html


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_draft_terms_are_not_listed_for_other_roles(persona_client, board, terms, persona):
    html = _html(persona_client(persona).get(board.get_absolute_url()))
    assert terms[0].get_absolute_url() in html
    assert terms[1].get_absolute_url() not in html


def test_it_says_when_no_terms_are_published(client, board):
    html = _html(client.get(board.get_absolute_url()))
    assert "No terms of reference are published for this board." in html


def test_an_unknown_board_is_not_found(client):
    response = client.get("/boards/no-such-board/")
    assert response.status_code == 404


# --- query count -------------------------------------------------------------------------------


DETAIL_QUERIES = 8  # 7 for the register, 1 for the board's latest meetings


def _busy_board(n):
    parent = BoardFactory(name="Leeds Initiative")
    board = BoardFactory(name="Busy Board", reports_to=parent)
    successor = BoardFactory(name="Successor")
    successor.succeeded_by = BoardFactory(name="Successor's successor")
    successor.save()
    board.succeeded_by = successor
    board.save()
    sectors = list(Sector)
    for i in range(n):
        org = OrganisationFactory(name=f"Org {i}", sector=sectors[i % len(sectors)])
        MembershipFactory(
            board=board,
            person=PersonFactory(organisation=org),
            organisation=org,
            role=Membership.Role.CHAIR if i == 0 else Membership.Role.MEMBER,
        )
        Membership.objects.create(board=board, organisation=org, role=Membership.Role.ADVISER)
        BoardFactory(reports_to=board)
        BoardFactory(succeeded_by=board)
        board.links_to.add(BoardFactory())
    TermsFactory(board=board, version=1)
    for i in range(n):
        MeetingFactory(
            board=board, date=datetime.date(2013, 1, 1) + datetime.timedelta(days=30 * i)
        )
    return board


@pytest.mark.parametrize("n", [5, 55])
def test_the_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, n):
    board = _busy_board(n)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(board.get_absolute_url())
    html = _html(response)
    assert html.count("— Member") == n - 1
    assert html.count("— Adviser") == n
    assert len(response.context["sub_boards"]) == n
    assert len(response.context["predecessors"]) == n
    assert len(response.context["links"]) == n


def test_the_page_does_not_query_once_per_terms_version(client, django_assert_num_queries):
    board = _busy_board(5)
    TermsFactory(board=board, version=2, status=TermsOfReference.Status.SUPERSEDED)
    TermsFactory(board=board, version=3, status=TermsOfReference.Status.AGREED)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(board.get_absolute_url())
    assert _html(response).count('">Version ') == 3


def test_it_lists_upcoming_and_recent_meetings(client, board):
    today = timezone.localdate()
    MeetingFactory(board=board, date=today + datetime.timedelta(days=14), venue="Civic Hall")
    MeetingFactory(board=board, date=datetime.date(2013, 5, 24))
    MeetingFactory(board=board, date=today + datetime.timedelta(days=7), status="cancelled")
    html = _html(client.get(board.get_absolute_url()))
    section = html[html.index('id="meetings"') :]
    upcoming = section[section.index("Upcoming") : section.index("Recent")]
    assert "Civic Hall" in upcoming
    assert (today + datetime.timedelta(days=7)).strftime("%-d %B %Y") not in upcoming
    assert "24 May 2013</a> — held" in section
