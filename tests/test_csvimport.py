"""The CSV import engine: decoding, the header, row errors by line, formula round trips, and the
all-or-nothing driver. It imports nothing from the apps, so these tests build no app records
except where writing is the point."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from leeds_communities.csvimport import (
    ImportFailed,
    Row,
    RowError,
    clean_cells,
    decode,
    neutralise_formula,
    parse_rows,
    read_csv,
    write_all_or_nothing,
)

COLUMNS = ["name", "note"]


def _parse_name(row: Row):
    if not row["name"]:
        row.error("name is empty.", column="name")
    if row["name"].startswith("bad"):
        row.error(f"“{row['name']}” is bad.", column="name")
        row.error("and so is its note.", column="note")
    return row["name"].upper()


# --- decoding -------------------------------------------------------------------------------


def test_it_drops_a_byte_order_mark_from_bytes_and_text():
    assert decode(b"\xef\xbb\xbfname,note\n") == ("name,note\n", [])
    assert decode("\ufeffname,note\n") == ("name,note\n", [])
    table = read_csv(b"\xef\xbb\xbfname,note\r\nAda,x\r\n", columns=COLUMNS)
    assert table.errors == []
    assert [r.cells for r in table.rows] == [{"name": "Ada", "note": "x"}]


def test_a_file_that_is_not_utf8_is_refused_at_the_line_it_goes_wrong():
    content = "name,note\nAda,fine\nZoë,café\n".encode("cp1252")
    text, errors = decode(content)
    assert text is None
    assert [str(e) for e in errors] == [
        "Line 3: the file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)” and try "
        "again."
    ]
    assert read_csv(content, columns=COLUMNS).rows == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04\x14\x00", "it looks like a binary file such as an Excel workbook"),
        (b"name,note\n\x00\x00", "it looks like a binary file"),
        (b"", "The file is empty."),
        (b" \r\n\r\n", "The file is empty."),
        (b"name,note\r\n\r\n", "The file has a header but no rows to import."),
    ],
)
def test_a_file_with_nothing_to_read_says_why(content, message):
    table = read_csv(content, columns=COLUMNS)
    assert not table.readable
    assert len(table.errors) == 1 and message in str(table.errors[0])


# --- the header -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("name", "Line 1: the header row is wrong: missing note. "),
        ("name,note,extra", "Line 1: the header row is wrong: unexpected extra. "),
        ("name,note,,", "unexpected (an empty column name), (an empty column name)"),
        ("name,note,name", "Line 1: the header row is wrong: repeated name. "),
        ("nmae,note", "missing name; unexpected nmae. "),
    ],
)
def test_a_wrong_header_names_what_is_wrong_and_what_it_must_be(header, message):
    table = read_csv(f"{header}\nAda,x\n", columns=COLUMNS)
    assert table.rows == []
    (error,) = table.errors
    assert message in str(error)
    assert str(error).endswith("The header must be exactly: name,note")


def test_an_optional_column_may_be_given_or_left_out():
    given = read_csv(
        "name,note,board\nAda,x,Communities Board\n", columns=COLUMNS, optional=["board"]
    )
    assert given.errors == []
    assert given.rows[0].cells == {"name": "Ada", "note": "x", "board": "Communities Board"}
    left_out = read_csv("name,note\nAda,x\n", columns=COLUMNS, optional=["board"])
    assert left_out.errors == []
    assert left_out.rows[0]["board"] == ""
    (error,) = read_csv("name,board\nAda,x\n", columns=COLUMNS, optional=["board"]).errors
    assert str(error).endswith(
        "missing note. The header must be exactly: name,note (and may add board)"
    )


def test_the_header_is_matched_in_any_order_and_case():
    table = read_csv(" NOTE , Name \nx,Ada\n", columns=COLUMNS)
    assert table.errors == []
    assert table.rows[0].cells == {"note": "x", "name": "Ada"}


# --- rows and their errors ------------------------------------------------------------------


def test_rows_carry_their_csv_line_even_after_a_quoted_line_break_and_blank_rows():
    text = 'name,note\nAda,"two\nlines"\n\n,\nGrace,x\nBad,"a",extra\n'
    table = read_csv(text, columns=COLUMNS, multiline=("note",))
    assert [(r.line, r["name"]) for r in table.rows] == [(2, "Ada"), (6, "Grace")]
    assert table.rows[0]["note"] == "two\nlines"
    assert [str(e) for e in table.errors] == [
        "Line 7: this row has 3 values but the header has 2 columns."
    ]


def test_the_driver_reports_every_row_error_with_its_line_and_column_and_keeps_no_items():
    table = read_csv("name,note\nAda,x\nbad one,y\n,z\nbad two,w\n", columns=COLUMNS)
    checked = parse_rows(table, _parse_name)
    assert not checked.ok
    assert checked.items == []
    assert checked.errors == [
        RowError(3, "“bad one” is bad.", "name"),
        RowError(3, "and so is its note.", "note"),
        RowError(4, "name is empty.", "name"),
        RowError(5, "“bad two” is bad.", "name"),
        RowError(5, "and so is its note.", "note"),
    ]
    assert str(checked.errors[2]) == "Line 4: name is empty."


def test_the_driver_merges_file_errors_in_line_order():
    table = read_csv("name,note\nbad,x\nAda\nGrace,y\n", columns=COLUMNS)
    checked = parse_rows(table, _parse_name)
    assert [e.line for e in checked.errors] == [2, 2, 3]
    assert "3: this row has 1 values" in str(checked.errors[2])


def test_a_clean_file_gives_one_item_a_row():
    checked = parse_rows(read_csv("name,note\nAda,x\nGrace,y\n", columns=COLUMNS), _parse_name)
    assert checked.ok
    assert [(row.line, item) for row, item in checked.items] == [(2, "ADA"), (3, "GRACE")]


# --- cells ----------------------------------------------------------------------------------


def test_cells_are_stripped_and_spaces_collapsed_except_in_multiline_columns():
    row = clean_cells(Row(2, {"name": "  Ada   Lovelace ", "note": " a\n  b "}), multiline=["note"])
    assert row.cells == {"name": "Ada Lovelace", "note": "a\n  b"}
    assert row.errors == []


def test_control_characters_and_over_long_values_are_row_errors():
    row = clean_cells(
        Row(4, {"name": "Ada\u202e", "note": "x" * 11}), max_lengths={"note": 10, "name": 50}
    )
    assert [str(e) for e in row.errors] == [
        "Line 4: name contains a control character (U+202E); remove it.",
        "Line 4: note is 11 characters long; it can be at most 10.",
    ]
    assert [e.column for e in row.errors] == ["name", "note"]


@pytest.mark.parametrize(
    "formula", ['=HYPERLINK("http://evil.example")', "+SUM(1,2)", "-2+3", "@SUM(A1)"]
)
def test_a_formula_is_neutralised_on_the_way_out_and_restored_on_the_way_back(formula):
    exported = neutralise_formula(formula)
    assert exported == "'" + formula
    row = clean_cells(Row(2, {"name": exported}))
    assert row["name"] == formula


def test_only_the_apostrophe_an_export_adds_is_taken_off():
    row = clean_cells(Row(2, {"name": "'quoted'", "note": "'"}))
    assert row.cells == {"name": "'quoted'", "note": "'"}
    assert neutralise_formula("Plain text") == "Plain text"
    assert neutralise_formula(42) == 42


def test_no_cleaned_cell_starts_with_a_tab_or_line_break():
    row = clean_cells(Row(2, {"name": "x", "note": "\t=cmd\r\n"}), multiline=["note"])
    assert row["note"] == "=cmd"
    tabbed = clean_cells(Row(2, {"name": "\t=cmd", "note": ""}))
    assert tabbed["name"] == "=cmd"
    assert "control character (U+0009)" in str(tabbed.errors[0])


# --- all or nothing -------------------------------------------------------------------------


@pytest.mark.django_db
def test_nothing_is_written_when_a_row_has_an_error():
    checked = parse_rows(read_csv("name,note\nAda,x\nbad,y\n", columns=COLUMNS), _parse_name)
    calls = []
    with pytest.raises(ImportFailed) as failed:
        write_all_or_nothing(checked.errors, lambda: calls.append("wrote"))
    assert calls == []
    assert "Line 3: “bad” is bad." in str(failed.value)
    assert failed.value.errors == checked.errors


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_every_write_back():
    def write():
        Group.objects.create(name="first")
        Group.objects.create(name="first")  # breaks the unique name

    with pytest.raises(ImportFailed) as failed:
        write_all_or_nothing([], write)
    assert "The records changed while importing, so nothing was imported" in str(failed.value)
    assert failed.value.errors[0].line is None
    assert not Group.objects.filter(name="first").exists()


@pytest.mark.django_db
def test_a_clean_import_writes_and_returns_what_the_writer_returns():
    assert write_all_or_nothing([], lambda: Group.objects.create(name="kept").name) == "kept"
    assert Group.objects.filter(name="kept").exists()


def test_the_engine_imports_nothing_from_the_apps():
    source = Path(__file__).parents[1] / "leeds_communities" / "csvimport.py"
    modules = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.ImportFrom):
            modules.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
    assert modules.isdisjoint({"boards", "actionplans", "neighbourhoods", "meetings"})
    indicators = Path(__file__).parents[1] / "neighbourhoods" / "indicators.py"
    assert "actionplans" not in indicators.read_text()
