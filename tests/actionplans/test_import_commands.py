"""`import_outputs` and `import_status_updates`: every row error, all or nothing, BOM and CRLF,
re-import changes nothing, a changed row updates."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from actionplans.models import ActionPlan, LatestReturn, Output, Priority, Quarter, StatusUpdate
from boards.models import Organisation
from leeds_communities.models import AuditEvent
from tests.factories import (
    ActionPlanFactory,
    BoardFactory,
    OrganisationFactory,
    OutputFactory,
    PriorityFactory,
    ProgrammeFactory,
    QuarterFactory,
)

pytestmark = pytest.mark.django_db

OUTPUTS_HEADER = "programme,plan,priority,ref,title,lead_agency,start_date,due_date"
UPDATES_HEADER = "programme,plan,ref,year,quarter,rag,commentary"
PROGRAMME = "Leeds Regeneration Plan 2005-2008"


def build_register():
    board = BoardFactory(name="North East District Partnership")
    programme = ProgrammeFactory(name=PROGRAMME, board=board)
    plan = ActionPlanFactory(
        programme=programme,
        name="North East District Partnership Action Plan",
        short_name="North East",
        owner=board,
    )
    PriorityFactory(plan=plan, title="Housing")
    OrganisationFactory(name="Leeds City Council")
    return plan


@pytest.fixture
def register():
    return build_register()


def _file(tmp_path, header, *rows, name="data.csv", newline="\n", bom=False, encoding="utf-8"):
    text = newline.join([header, *rows]) + newline
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return str(path)


def _outputs(tmp_path, *rows, **kwargs):
    return _file(tmp_path, OUTPUTS_HEADER, *rows, **kwargs)


def _updates(tmp_path, *rows, **kwargs):
    return _file(tmp_path, UPDATES_HEADER, *rows, **kwargs)


GOOD = (
    f"{PROGRAMME},North East,Housing,NE001,Open a youth centre,Leeds City Council,"
    "2006-04-01,2008-03-31"
)
GOOD2 = f"{PROGRAMME},North East,Housing,NE002,Run a job fair,Leeds City Council,2006-05-01,"


def _run(command, path, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command(command, path, *args, stdout=out, stderr=err)
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


# --- outputs ----------------------------------------------------------------------------------


def test_it_imports_outputs_and_records_who_imported(tmp_path, register):
    ok, out, _ = _run("import_outputs", _outputs(tmp_path, GOOD, GOOD2))
    assert ok, out
    assert "2 outputs created, 0 updated, 0 unchanged" in out
    output = Output.objects.get(ref="NE001")
    assert (output.plan, output.priority.title, output.lead_agency.name) == (
        register,
        "Housing",
        "Leeds City Council",
    )
    assert output.commencement == datetime.date(2006, 4, 1)
    assert Output.objects.get(ref="NE002").due is None
    audit = AuditEvent.objects.get(action="import_outputs")
    assert audit.actor.username == "import"
    assert audit.detail["created"] == 2


def test_a_dry_run_writes_nothing(tmp_path, register):
    ok, out, _ = _run("import_outputs", _outputs(tmp_path, GOOD), "--dry-run")
    assert ok
    assert "Dry run, nothing written: 1 outputs to create" in out
    assert not Output.objects.exists()
    assert not AuditEvent.objects.exists()


def test_reimporting_the_same_file_changes_nothing(tmp_path, register):
    path = _outputs(tmp_path, GOOD, GOOD2)
    _run("import_outputs", path)
    before = list(Output.objects.order_by("pk").values())
    ok, out, _ = _run("import_outputs", path)
    assert ok
    assert "0 outputs created, 0 updated, 2 unchanged" in out
    assert list(Output.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_the_output(tmp_path, register):
    _run("import_outputs", _outputs(tmp_path, GOOD))
    changed = GOOD.replace("Open a youth centre", "Open two youth centres").replace(
        "2008-03-31", "2009-03-31"
    )
    ok, out, _ = _run("import_outputs", _outputs(tmp_path, changed, name="v2.csv"))
    assert ok
    assert "0 outputs created, 1 updated" in out
    assert "title: “Open a youth centre” → “Open two youth centres”" in out
    output = Output.objects.get(ref="NE001")
    assert (output.title, output.due) == ("Open two youth centres", datetime.date(2009, 3, 31))
    assert Output.objects.count() == 1


def test_a_byte_order_mark_and_windows_line_endings_are_accepted(tmp_path, register):
    ok, out, _ = _run("import_outputs", _outputs(tmp_path, GOOD, GOOD2, newline="\r\n", bom=True))
    assert ok, out
    assert sorted(Output.objects.values_list("ref", flat=True)) == ["NE001", "NE002"]
    assert Output.objects.get(ref="NE002").title == "Run a job fair"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            GOOD.replace("Leeds City Council", "Leeds Police Authority"),
            "Line 3: there is no lead agency (organisation) called “Leeds Police Authority”.",
        ),
        (
            GOOD.replace("2006-04-01", "01/04/2006"),
            "Line 3: start_date “01/04/2006” is not a date; write it as YYYY-MM-DD.",
        ),
        (
            GOOD.replace("2006-04-01", "2006-02-30"),
            "Line 3: start_date “2006-02-30” is not a real date.",
        ),
        (
            GOOD.replace("2006-04-01", "2009-01-01"),
            "Line 3: the commencement date (2009-01-01) is after the due date (2008-03-31).",
        ),
        (GOOD.replace("NE001", "NE002"), "Line 3: ref “NE002” appears twice in the file"),
        (
            GOOD.replace("North East,", "Nowhere,"),
            "Line 3: there is no plan called “Nowhere” in programme",
        ),
        (
            GOOD.replace(PROGRAMME, "No Such Programme"),
            "Line 3: there is no programme called “No Such Programme”.",
        ),
        (
            GOOD.replace("Housing", "Transport"),
            "Line 3: there is no priority called “Transport” in plan “North East”.",
        ),
    ],
    ids=[
        "unknown-agency",
        "bad-date",
        "unreal-date",
        "commencement-after-due",
        "duplicate-ref",
        "unknown-plan",
        "unknown-programme",
        "unknown-priority",
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_written(
    tmp_path, register, row, message
):
    ok, _, err = _run("import_outputs", _outputs(tmp_path, GOOD2, row))
    assert not ok
    assert message in err
    assert "Nothing was imported: 1 problem in data.csv." in err
    assert not Output.objects.exists()
    assert not AuditEvent.objects.exists()


def test_every_bad_row_is_reported_not_just_the_first(tmp_path, register):
    bad_agency = GOOD.replace("Leeds City Council", "Nobody")
    bad_date = GOOD2.replace("2006-05-01", "May 2006").replace("NE002", "NE003")
    ok, _, err = _run("import_outputs", _outputs(tmp_path, bad_agency, GOOD2, bad_date))
    assert not ok
    assert "Line 2: there is no lead agency" in err
    assert "Line 4: start_date “May 2006” is not a date" in err
    assert "3 problems" not in err and "2 problems" in err


def test_create_missing_adds_the_agency_priority_and_plan(tmp_path, register):
    row = f"{PROGRAMME},Outer East,Jobs,OE001,Job club,Groundwork Leeds,2006-04-01,2007-03-31"
    ok, out, _ = _run("import_outputs", _outputs(tmp_path, row), "--create-missing")
    assert ok, out
    assert Organisation.objects.filter(name="Groundwork Leeds").exists()
    plan = ActionPlan.objects.get(name="Outer East")
    assert Priority.objects.filter(plan=plan, title="Jobs").exists()
    assert Output.objects.get(ref="OE001").plan == plan


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\r\n  \r\n", "The file is empty."),
        (f"{OUTPUTS_HEADER}\n".encode(), "The file has a header but no rows to import."),
        (
            b"programme,plan,ref,title\nA,B,C,D\n",
            "Line 1: the header row is wrong: missing priority, lead_agency, start_date, "
            "due_date. The header must be exactly: " + OUTPUTS_HEADER,
        ),
        (
            f"{OUTPUTS_HEADER}\n{GOOD}\n".encode("cp1252").replace(b"Open", b"Op\xe9n"),
            "Line 2: the file is not UTF-8 text.",
        ),
        (b"PK\x03\x04binary", "it looks like a binary file such as an Excel workbook"),
    ],
    ids=["empty", "blank-lines", "header-only", "wrong-header", "not-utf8", "xlsx"],
)
def test_a_bad_file_is_refused_whole(tmp_path, register, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    ok, _, err = _run("import_outputs", str(path))
    assert not ok
    assert message in err
    assert not Output.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    ok, _, err = _run("import_outputs", str(tmp_path / "nope.csv"))
    assert not ok
    assert "Cannot read" in err


def test_user_option_must_be_governance_support(tmp_path, register, officer):
    ok, _, err = _run("import_outputs", _outputs(tmp_path, GOOD), "--user", "officer")
    assert not ok
    assert "is not an active member of the Governance support group" in err


# --- status updates ---------------------------------------------------------------------------


def build_outputs(register, agency):
    quarter = QuarterFactory(year=2006, number=3, state=Quarter.State.OPEN)
    one = OutputFactory(plan=register, ref="NE001", lead_agency=agency)
    two = OutputFactory(plan=register, ref="NE002", lead_agency=agency)
    return quarter, one, two


@pytest.fixture
def outputs(register, agency):
    return build_outputs(register, agency)


UPDATE_GOOD = f"{PROGRAMME},North East,NE001,2006/07,3,g,"
UPDATE_AMBER = f"{PROGRAMME},North East,NE002,2006/07,3,Amber,Site not secured"


def test_it_imports_returns_through_the_service_with_its_history(tmp_path, outputs, agency):
    quarter, one, two = outputs
    ok, out, _ = _run("import_status_updates", _updates(tmp_path, UPDATE_GOOD, UPDATE_AMBER))
    assert ok, out
    assert "2 status updates created, 0 unchanged" in out
    assert Output.objects.with_status(quarter).get(pk=one.pk).status == "GREEN"
    amber = StatusUpdate.objects.get(output=two)
    assert (amber.rag, amber.commentary, amber.source) == ("AMBER", "Site not secured", "import")
    assert amber.created_by.username == "import"
    assert Output.objects.get(pk=two.pk).version == 1
    # One audit event for the import, naming every return it recorded.
    assert AuditEvent.objects.filter(action="status_update").count() == 0
    event = AuditEvent.objects.get(action="import_status_updates")
    assert sorted(event.detail["status_updates"]) == sorted(
        StatusUpdate.objects.values_list("pk", flat=True)
    )
    assert Output.objects.get(pk=one.pk).version == 1


def test_reimporting_returns_changes_nothing(tmp_path, outputs):
    path = _updates(tmp_path, UPDATE_GOOD, UPDATE_AMBER)
    _run("import_status_updates", path)
    ok, out, _ = _run("import_status_updates", path)
    assert ok
    assert "0 status updates created, 2 unchanged" in out
    assert StatusUpdate.objects.count() == 2


def test_a_changed_return_is_added_to_the_history(tmp_path, outputs):
    quarter, one, _ = outputs
    _run("import_status_updates", _updates(tmp_path, UPDATE_GOOD))
    changed = UPDATE_GOOD.replace(",g,", ",AMBER,Contractor went bust")
    ok, out, _ = _run("import_status_updates", _updates(tmp_path, changed, name="v2.csv"))
    assert ok
    assert "1 status updates created" in out
    assert list(one.updates.order_by("pk").values_list("rag", flat=True)) == ["GREEN", "AMBER"]
    assert Output.objects.with_status(quarter).get(pk=one.pk).status == "AMBER"


def test_returns_load_into_a_closed_quarter_with_the_import_as_the_reason(tmp_path, outputs):
    QuarterFactory(year=2006, number=2, state=Quarter.State.CLOSED)
    row = UPDATE_GOOD.replace("2006/07,3", "2006/07,2")
    ok, out, _ = _run("import_status_updates", _updates(tmp_path, row))
    assert ok, out
    assert StatusUpdate.objects.get().late_reason == "Imported from data.csv"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            UPDATE_GOOD.replace("NE001", "NE999"),
            "Line 3: there is no output “NE999” in plan “North East” (unknown output).",
        ),
        (
            UPDATE_GOOD.replace(",g,", ",purple,"),
            "Line 3: rag “purple” is not a RAG status; use G, A or R (or Green, Amber, Red).",
        ),
        (
            UPDATE_AMBER.replace("Site not secured", ""),
            "Line 3: commentary is empty; say why the output is amber.",
        ),
        (
            UPDATE_GOOD.replace(",g,", ",r,"),
            "Line 3: commentary is empty; say why the output is red.",
        ),
        (
            UPDATE_GOOD.replace("2006/07", "2006-07"),
            "Line 3: year “2006-07” is not a financial year; write it like 2006/07.",
        ),
        (
            UPDATE_GOOD.replace("2006/07,3", "2006/07,5"),
            "Line 3: quarter “5” is not a quarter; use 1, 2, 3 or 4.",
        ),
        (UPDATE_GOOD, "Line 3: output “NE001” has another return for quarter 3 2006/07 on line 2"),
    ],
    ids=[
        "unknown-output",
        "bad-rag",
        "missing-commentary-amber",
        "missing-commentary-red",
        "bad-year",
        "bad-quarter",
        "duplicate",
    ],
)
def test_a_bad_return_is_reported_with_its_line_and_nothing_is_written(
    tmp_path, outputs, row, message
):
    ok, _, err = _run("import_status_updates", _updates(tmp_path, UPDATE_GOOD, row))
    assert not ok
    assert message in err
    assert not StatusUpdate.objects.exists()
    assert Output.objects.filter(version__gt=0).count() == 0


def test_status_updates_accept_a_bom_and_crlf_and_refuse_a_wrong_header(tmp_path, outputs):
    ok, out, _ = _run(
        "import_status_updates", _updates(tmp_path, UPDATE_AMBER, newline="\r\n", bom=True)
    )
    assert ok, out
    assert StatusUpdate.objects.get().commentary == "Site not secured"
    path = _file(tmp_path, "plan,ref,rag", "North East,NE001,G", name="wrong.csv")
    ok, _, err = _run("import_status_updates", path)
    assert not ok
    assert "Line 1: the header row is wrong: missing programme, year, quarter, commentary" in err


def test_status_updates_refuse_text_that_is_not_utf8_and_an_empty_file(tmp_path, outputs):
    path = tmp_path / "latin.csv"
    path.write_bytes(f"{UPDATES_HEADER}\n{UPDATE_AMBER}\n".encode().replace(b"Site", b"S\xeete"))
    ok, _, err = _run("import_status_updates", str(path))
    assert not ok and "Line 2: the file is not UTF-8 text." in err
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    ok, _, err = _run("import_status_updates", str(empty))
    assert not ok and "The file is empty." in err
    assert not StatusUpdate.objects.exists()


def test_a_bulk_import_costs_a_constant_number_of_queries(tmp_path, register, agency):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    QuarterFactory(year=2006, number=3, state=Quarter.State.OPEN)
    counts = []
    # The first import also sets up its user; compare the next two.
    for n, offset in ((1, 200), (5, 0), (60, 100)):
        rows = []
        for i in range(offset, offset + n):
            OutputFactory(plan=register, ref=f"NE{i:03d}", lead_agency=agency)
            rows.append(f"{PROGRAMME},North East,NE{i:03d},2006/07,3,Amber,Held up {i}")
        with CaptureQueriesContext(connection) as queries:
            ok, out, _ = _run("import_status_updates", _updates(tmp_path, *rows))
        assert ok, out
        counts.append(len(queries))
    assert counts[1] == counts[2]
    assert StatusUpdate.objects.count() == 66
    assert LatestReturn.objects.filter(rag="AMBER").count() == 66


def test_a_bulk_import_refused_by_the_service_writes_nothing(tmp_path, outputs):
    from django.core.exceptions import ValidationError

    from actionplans.services import Return, record_status_updates
    from tests.factories import UserFactory

    quarter, one, two = outputs
    from leeds_communities.roles import Role

    staff = UserFactory(role=Role.GOVERNANCE_SUPPORT)
    with pytest.raises(ValidationError) as raised:
        record_status_updates(
            returns=[
                Return(one, quarter, "GREEN"),
                Return(two, quarter, "AMBER", commentary="  "),
            ],
            acting_user=staff,
        )
    assert raised.value.messages == [f"NE002, {quarter}: Say why the output is amber or red."]
    assert StatusUpdate.objects.count() == 0 and LatestReturn.objects.count() == 0
