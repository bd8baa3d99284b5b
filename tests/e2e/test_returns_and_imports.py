"""Governance support in a real browser: importing returns with a checked preview, then chasing
the outputs still Blank with a reminder e-mail; axe-core on every page. Without JavaScript, as
these pages need none."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from actionplans.models import ReturnReminder, StatusUpdate
from leeds_communities.roles import Role
from tests.actionplans.journey import open_quarter
from tests.e2e.conftest import sign_in
from tests.e2e.markup import axe_check_for_markup
from tests.factories import (
    ActionPlanFactory,
    BoardFactory,
    OutputFactory,
    ProgrammeFactory,
    UserFactory,
)

PROGRAMME = "Leeds Regeneration Plan 2005-2008"
HEADER = "programme,plan,ref,year,quarter,rag,commentary"


@pytest.fixture
def axe_check_markup(page, axe_check):
    return axe_check_for_markup(page, axe_check)


@pytest.fixture
def plan(transactional_db, agency, other_agency):
    open_quarter()
    board = BoardFactory(name="North East District Partnership")
    programme = ProgrammeFactory(name=PROGRAMME, board=board)
    plan = ActionPlanFactory(
        programme=programme, name="North East Plan", short_name="North East", owner=board
    )
    OutputFactory(plan=plan, ref="NE001", lead_agency=agency, lead_officer="Jo Bloggs")
    OutputFactory(plan=plan, ref="NE002", lead_agency=agency, lead_officer="Sam Smith")
    OutputFactory(plan=plan, ref="NE003", lead_agency=other_agency)
    UserFactory(
        username="council_officer",
        email="officer@council.example",
        role=Role.OFFICER,
        profile__organisation=agency,
    )
    return plan


def test_governance_support_imports_returns_then_chases_the_rest(
    js_disabled_page, governance_support, plan, tmp_path, axe_check_markup, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = js_disabled_page
    sign_in(page, governance_support.username)

    page.goto("/actionplans/imports/status-updates/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import status updates")
    axe_check_markup(page)

    # A file with a bad row: every problem by line, nothing written.
    bad = tmp_path / "returns.csv"
    bad.write_bytes(
        (
            f"{HEADER}\r\n{PROGRAMME},North East,NE001,2006/07,3,Amber,\r\n"
            f"{PROGRAMME},North East,NE404,2006/07,3,G,\r\n"
        ).encode()
    )
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    errors = page.locator(".govuk-error-summary")
    expect(errors).to_contain_text("Nothing was imported: 2 problems in returns.csv")
    expect(errors).to_contain_text("Line 2: commentary is empty; say why the output is amber.")
    expect(errors).to_contain_text("Line 3: there is no output “NE404”")
    axe_check_markup(page)
    assert not StatusUpdate.objects.exists()

    # The corrected file: a preview, then the import.
    good = tmp_path / "returns-fixed.csv"
    good.write_bytes(
        (
            "\ufeff" + f"{HEADER}\r\n{PROGRAMME},North East,NE001,2006/07,3,Amber,Lease delayed\r\n"
        ).encode()
    )
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("main")).to_contain_text("1 status updates to create, 0 unchanged")
    assert not StatusUpdate.objects.exists()
    axe_check_markup(page)
    page.get_by_role("button", name="Import returns-fixed.csv").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Imported returns-fixed.csv: 1 status updates created, 0 unchanged."
    )
    assert StatusUpdate.objects.get().commentary == "Lease delayed"

    # Chasing: NE002 (council) and NE003 (police) are still Blank.
    page.goto("/actionplans/returns/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Returns outstanding")
    council = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("^Leeds City Council"))
    )
    expect(council.locator("tbody tr")).to_have_count(1)
    expect(council).to_contain_text("NE002")
    expect(council).to_contain_text("Sam Smith")
    expect(page.locator("main")).to_contain_text("2 outputs outstanding across 2 lead agencies")
    axe_check_markup(page)

    page.get_by_role("button", name="Send a reminder to Leeds City Council").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Reminders sent to 1 officer of Leeds City Council."
    )
    expect(council).to_contain_text("1 outstanding then")
    axe_check_markup(page)
    assert [m.to for m in mail.outbox] == [["officer@council.example"]]
    assert ReturnReminder.objects.get().outstanding == 1
