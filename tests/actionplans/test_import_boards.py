"""The outputs import's `board` column and `--board` (the upload page's Board choice): who owns the
programmes and plans `--create-missing` creates, and the row errors when nobody would."""

import pytest
from django.urls import reverse

from actionplans.models import ActionPlan, Output, Programme
from boards.models import Board
from leeds_communities.models import AuditEvent
from leeds_communities.security import SECURITY_ACTIONS
from tests.actionplans.test_import_commands import (
    GOOD,
    OUTPUTS_HEADER,
    PROGRAMME,
    _file,
    _run,
    build_register,
)
from tests.actionplans.test_import_pages import _upload
from tests.factories import BoardFactory

pytestmark = pytest.mark.django_db

HEADER = f"{OUTPUTS_HEADER},board"
NEW = "Leeds Inclusive Growth 2026-2029"


def _row(programme=NEW, plan="City Centre", ref="CC001", board=""):
    return f"{programme},{plan},,{ref},Open a hub,Leeds City Council,2026-04-01,2027-03-31,{board}"


@pytest.fixture
def register():
    plan = build_register()
    BoardFactory(name="Communities Board", slug="communities-board")
    BoardFactory(name="Inclusive Growth Partnership", slug="inclusive-growth")
    return plan


def _nothing_written():
    return (
        not Output.objects.exists()
        and not Programme.objects.filter(name=NEW).exists()
        and not ActionPlan.objects.filter(name="City Centre").exists()
        and not AuditEvent.objects.exclude(action__in=SECURITY_ACTIONS).exists()
    )


@pytest.mark.parametrize("named", ["Communities Board", "communities-board", "COMMUNITIES  board"])
def test_the_board_column_owns_a_new_programme_and_plan(tmp_path, register, named):
    path = _file(tmp_path, HEADER, _row(board=named), _row(ref="CC002", board=named))
    ok, out, err = _run("import_outputs", path, "--create-missing")
    assert ok, err
    programme = Programme.objects.get(name=NEW)
    assert programme.board.name == "Communities Board"
    plan = ActionPlan.objects.get(name="City Centre")
    assert (plan.programme, plan.owner) == (programme, programme.board)
    assert Output.objects.filter(plan=plan).count() == 2
    assert f"New: programme “{NEW}”, owned by Communities Board" in out
    event = AuditEvent.objects.get(action="programmes_created")
    assert event.detail["programmes"] == [programme.pk]


def test_the_board_option_owns_them_when_the_file_names_none(tmp_path, register):
    path = _file(tmp_path, OUTPUTS_HEADER, _row().removesuffix(","))
    ok, _, err = _run("import_outputs", path, "--create-missing", "--board", "inclusive-growth")
    assert ok, err
    assert Programme.objects.get(name=NEW).board.slug == "inclusive-growth"
    assert ActionPlan.objects.get(name="City Centre").owner.slug == "inclusive-growth"


def test_a_rows_board_wins_over_the_board_option(tmp_path, register):
    path = _file(tmp_path, HEADER, _row(board="Communities Board"))
    ok, _, err = _run("import_outputs", path, "--create-missing", "--board", "inclusive-growth")
    assert ok, err
    assert Programme.objects.get(name=NEW).board.name == "Communities Board"


@pytest.mark.parametrize("header", [OUTPUTS_HEADER, HEADER])
def test_with_no_board_a_new_programme_is_a_row_error_saying_what_to_add(
    tmp_path, register, header
):
    row = _row() if header == HEADER else _row().removesuffix(",")
    ok, _, err = _run(
        "import_outputs",
        _file(tmp_path, header, GOOD + "," * (header == HEADER), row),
        "--create-missing",
    )
    assert not ok
    assert (
        f"Line 3: there is no programme called “{NEW}”. To create it, say which board owns it: "
        "add a board column (the board's name or slug), or choose the board for the whole file "
        "(--board on the command line, “Board” on the upload page)."
    ) in err
    assert "Nothing was imported: 1 problem in data.csv." in err
    assert _nothing_written()


def test_without_create_missing_the_board_column_creates_nothing(tmp_path, register):
    path = _file(tmp_path, HEADER, _row(board="Communities Board"))
    ok, _, err = _run("import_outputs", path)
    assert not ok
    assert f"Line 2: there is no programme called “{NEW}”." in err
    assert _nothing_written()


def test_an_unknown_board_is_a_row_error_and_nothing_is_written(tmp_path, register):
    path = _file(
        tmp_path,
        HEADER,
        _row(board="Communities Board"),
        _row(ref="CC002", board="Board of Nowhere"),
    )
    ok, _, err = _run("import_outputs", path, "--create-missing")
    assert not ok
    assert "Line 3: there is no board called “Board of Nowhere”" in err
    assert _nothing_written()


def test_an_unknown_board_option_is_refused(tmp_path, register):
    path = _file(tmp_path, OUTPUTS_HEADER, _row().removesuffix(","))
    ok, _, err = _run("import_outputs", path, "--create-missing", "--board", "Nowhere")
    assert not ok
    assert "There is no board called “Nowhere”" in err
    assert _nothing_written()


def test_a_board_other_than_an_existing_plans_owner_is_a_row_error(tmp_path, register):
    row = GOOD + ",Communities Board"
    ok, _, err = _run("import_outputs", _file(tmp_path, HEADER, row))
    assert not ok
    assert (
        "Line 2: plan “North East” is owned by North East District Partnership, not "
        "“Communities Board”"
    ) in err
    assert not Output.objects.exists()


def test_the_existing_plans_own_board_in_the_column_imports(tmp_path, register):
    rows = [GOOD + ",north-east-district-partnership", GOOD.replace("NE001", "NE002") + ","]
    ok, _, err = _run("import_outputs", _file(tmp_path, HEADER, *rows))
    assert ok, err
    assert Output.objects.filter(plan=register).count() == 2


def test_a_new_plan_in_an_existing_programme_is_owned_by_the_rows_board(tmp_path, register):
    row = _row(programme=PROGRAMME, plan="Outer East", board="Communities Board")
    ok, _, err = _run("import_outputs", _file(tmp_path, HEADER, row), "--create-missing")
    assert ok, err
    plan = ActionPlan.objects.get(name="Outer East")
    assert (plan.programme, plan.owner.name) == (register.programme, "Communities Board")


def test_rows_of_one_new_programme_share_it_and_may_leave_the_board_empty(tmp_path, register):
    rows = [
        _row(board="Communities Board"),
        _row(ref="CC002"),
        _row(plan="Outer South", ref="OS001"),
    ]
    ok, _, err = _run("import_outputs", _file(tmp_path, HEADER, *rows), "--create-missing")
    assert ok, err
    programme = Programme.objects.get(name=NEW)
    assert sorted(programme.plans.values_list("name", "owner__name")) == [
        ("City Centre", "Communities Board"),
        ("Outer South", "Communities Board"),
    ]


def test_rows_giving_one_new_programme_two_boards_are_a_row_error(tmp_path, register):
    rows = [_row(board="Communities Board"), _row(ref="CC002", board="inclusive-growth")]
    ok, _, err = _run("import_outputs", _file(tmp_path, HEADER, *rows), "--create-missing")
    assert not ok
    assert (
        f"Line 3: programme “{NEW}” is new and line 2 gives it board “Communities Board”"
    ) in err
    assert _nothing_written()


def test_a_wrong_header_says_the_board_column_may_be_added(tmp_path, register):
    ok, _, err = _run("import_outputs", _file(tmp_path, "programme,plan,board", "a,b,c"))
    assert not ok
    assert f"The header must be exactly: {OUTPUTS_HEADER} (and may add board)" in err


# --- the upload page ------------------------------------------------------------------------


@pytest.fixture
def support_client(client, governance_support):
    client.force_login(governance_support)
    return client


def test_the_upload_pages_board_is_carried_to_the_confirm(support_client, register):
    board = Board.objects.get(slug="inclusive-growth")
    url = reverse("actionplans:import_outputs")
    response = support_client.post(
        url,
        {
            "file": _upload(OUTPUTS_HEADER, _row().removesuffix(",")),
            "create_missing": "on",
            "board": board.pk,
        },
    )
    assert response.status_code == 200
    assert f"programme “{NEW}”, owned by Inclusive Growth Partnership" in response.content.decode()
    assert not Programme.objects.filter(name=NEW).exists()
    confirm = response.context["confirm"]
    support_client.post(
        url, {"token": confirm["token"].value(), "digest": confirm["digest"].value()}
    )
    assert Programme.objects.get(name=NEW).board == board
    assert Output.objects.get().plan.owner == board


def test_the_upload_page_without_a_board_shows_the_row_error(support_client, register):
    url = reverse("actionplans:import_outputs")
    page = support_client.get(url).content.decode()
    assert 'name="board"' in page and "None: each row&#x27;s board column names it" in page
    response = support_client.post(
        url, {"file": _upload(OUTPUTS_HEADER, _row().removesuffix(",")), "create_missing": "on"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"there is no programme called “{NEW}”. To create it" in html
    assert "“Board” on the upload page" in html
    assert _nothing_written()
