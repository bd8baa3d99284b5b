"""The officer's journey in a real browser: from the home page to their outputs, updating a RAG
status in place with JavaScript (htmx) and as a plain form without it, meeting a colleague's
update made first, and reading the output's history; axe-core on every page and state."""

import re

import pytest
from playwright.sync_api import expect

from actionplans.models import Output, Quarter, ReturnDraft, StatusUpdate
from actionplans.services import record_status_update
from leeds_communities.roles import Role
from tests.actionplans.journey import open_quarter
from tests.e2e.conftest import sign_in
from tests.e2e.markup import axe_check_for_markup
from tests.factories import (
    ActionPlanFactory,
    OutputFactory,
    QuarterFactory,
    StatusUpdateFactory,
    UserFactory,
)


@pytest.fixture
def outputs(transactional_db, agency, other_agency):
    quarter = open_quarter()
    plan = ActionPlanFactory(name="North East District Partnership Action Plan", slug="north-east")
    ours = [
        OutputFactory(plan=plan, lead_agency=agency, ref="NE001", title="Open a youth centre"),
        OutputFactory(plan=plan, lead_agency=agency, ref="NE002", title="Run a job fair"),
        OutputFactory(plan=plan, lead_agency=agency, ref="NE003", title="Plant street trees"),
    ]
    OutputFactory(plan=plan, lead_agency=other_agency, ref="NE900", title="Police patrols")
    return quarter, ours


@pytest.fixture
def axe_check_markup(page, axe_check):
    return axe_check_for_markup(page, axe_check)


def _row(page, ref):
    return page.locator("#my-outputs-results tbody tr").filter(has_text=ref)


def test_officer_updates_a_status_in_place_with_javascript(page, officer, outputs, axe_check):
    quarter, (first, *_rest) = outputs
    sign_in(page, officer.username)
    page.goto("/")
    page.locator("header").get_by_role("link", name="My outputs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My outputs")
    expect(page.locator("#my-outputs-results tbody tr")).to_have_count(3)
    expect(page.locator("main")).not_to_contain_text("Police patrols")
    expect(_row(page, "NE001")).to_contain_text("Blank")
    axe_check(page)

    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__marker = 1; }")
    _row(page, "NE001").get_by_role("link", name=re.compile("^Update")).click()
    form_row = page.locator(f"#output-{first.pk}")
    expect(form_row.get_by_role("heading", level=3)).to_contain_text(
        "Update NE001 Open a youth centre for Quarter 3 2006/07"
    )
    # Focus moves to the form that took the row's place, so keyboard users are not lost.
    expect(form_row.get_by_role("heading", level=3)).to_be_focused()
    axe_check(page)

    # Amber without a word of why: the error shows in the row, what was chosen is kept.
    form_row.get_by_label("Amber – some slippage").check()
    form_row.get_by_role("button", name=re.compile("^Save update")).click()
    expect(form_row.locator(".govuk-error-summary")).to_contain_text("Say why the output is amber")
    expect(form_row.get_by_label("Amber – some slippage")).to_be_checked()
    assert not StatusUpdate.objects.exists()
    axe_check(page)

    form_row.get_by_label("Commentary").fill("Site not yet secured; lease with legal.")
    form_row.get_by_role("button", name=re.compile("^Save update")).click()
    saved = page.locator(f"#output-{first.pk}")
    expect(saved).to_contain_text("NE001 updated: Amber for Quarter 3 2006/07.")
    expect(saved.get_by_role("status")).to_be_focused()
    expect(saved).to_contain_text("Amber")
    expect(saved.locator("form")).to_have_count(0)
    assert page.evaluate("() => window.__marker") == 1, "the update reloaded the whole page"
    expect(page.locator("#my-outputs-results tbody tr")).to_have_count(3)
    axe_check(page)
    update = StatusUpdate.objects.get()
    assert (update.rag, update.created_by_id) == ("AMBER", officer.pk)

    # Cancel gives the row back untouched.
    _row(page, "NE002").get_by_role("link", name=re.compile("^Update")).click()
    expect(_row(page, "NE002").locator("form")).to_have_count(1)
    _row(page, "NE002").get_by_role("link", name=re.compile("^Cancel")).click()
    expect(_row(page, "NE002").locator("form")).to_have_count(0)
    expect(_row(page, "NE002")).to_contain_text("Blank")

    # The output's page shows the return in its history.
    _row(page, "NE001").get_by_role("link", name="NE001", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a youth centre")
    history = page.locator("table").filter(has_text="Returns for NE001")
    expect(history.locator("tbody tr")).to_have_count(1)
    expect(history).to_contain_text("Site not yet secured")
    expect(history).to_contain_text(officer.get_full_name())
    axe_check(page)


def test_officer_updates_without_javascript_and_meets_a_colleagues_update(
    js_disabled_page, officer, agency, outputs, axe_check_markup
):
    page = js_disabled_page
    quarter, (_first, second, _third) = outputs
    colleague = UserFactory(
        username="colleague",
        first_name="Pat",
        last_name="Colleague",
        role=Role.OFFICER,
        profile__organisation=agency,
    )
    sign_in(page, officer.username)
    page.goto("/actionplans/my-outputs/?status=BLANK")
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    _row(page, "NE002").get_by_role("link", name=re.compile("^Update")).click()
    expect(page).to_have_url(re.compile(rf"/actionplans/outputs/{second.pk}/update/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Update Run a job fair")
    axe_check_markup(page)

    # Red and no commentary: the GOV.UK error summary, with what was typed kept.
    page.get_by_label("Red – off track").check()
    page.get_by_role("button", name=re.compile("^Save update")).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Say why the output is red")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_label("Red – off track")).to_be_checked()
    axe_check_markup(page)

    # Meanwhile a colleague saves a return for the same output.
    record_status_update(
        output=Output.objects.get(pk=second.pk),
        quarter=quarter,
        rag="GREEN",
        commentary="Job fair booked for March",
        acting_user=colleague,
        expected_version=0,
    )
    page.get_by_label("Commentary").fill("Venue fell through")
    page.get_by_label("Corrective action", exact=True).fill("Book the library hall")
    page.get_by_label("Corrective action to be done by").fill("2007-02-28")
    page.get_by_role("button", name=re.compile("^Save update")).click()
    conflict = page.locator(".lc-conflict")
    expect(conflict).to_contain_text("Someone else updated this output first")
    expect(conflict).to_contain_text("Pat Colleague")
    expect(conflict).to_contain_text("Job fair booked for March")
    expect(page.get_by_label("Commentary")).to_have_value("Venue fell through")
    assert list(StatusUpdate.objects.values_list("rag", flat=True)) == ["GREEN"]
    axe_check_markup(page)

    # Having seen it, the officer saves theirs knowingly and is sent back to the filtered list.
    page.get_by_role("button", name=re.compile("^Save update")).click()
    expect(page).to_have_url(re.compile(r"/actionplans/my-outputs/\?status=BLANK$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "NE002 updated: Red for Quarter 3 2006/07."
    )
    expect(page.locator("#my-outputs-results tbody")).not_to_contain_text("NE002")
    axe_check_markup(page)
    assert list(StatusUpdate.objects.order_by("pk").values_list("rag", flat=True)) == [
        "GREEN",
        "RED",
    ]

    page.goto(f"/actionplans/outputs/{second.pk}/")
    history = page.locator("table").filter(has_text="Returns for NE002")
    expect(history.locator("tbody tr")).to_have_count(2)
    axe_check_markup(page)


def test_officer_saves_a_draft_in_the_row_then_submits_it(page, officer, outputs, axe_check):
    """December: the quarter is open and its deadline shown; a Red return is started, saved as a
    draft (it counts for nothing), resumed and submitted with its corrective action."""
    quarter, (_first, _second, third) = outputs
    sign_in(page, officer.username)
    page.goto("/actionplans/my-outputs/")
    expect(page.locator("main")).to_contain_text("Deadline for returns")
    expect(page.locator("main")).to_contain_text("31 January 2007")
    page.wait_for_function("() => window.htmx !== undefined")
    _row(page, "NE003").get_by_role("link", name=re.compile("^Update")).click()
    form_row = page.locator(f"#output-{third.pk}")
    form_row.get_by_label("Red – off track").check()
    form_row.get_by_label("Commentary").fill("Tree supplier failed")
    form_row.get_by_role("button", name=re.compile("^Save as draft")).click()
    saved = page.locator(f"#output-{third.pk}")
    expect(saved).to_contain_text("Draft saved for NE003 (Quarter 3 2006/07)")
    expect(saved).to_contain_text("Blank")
    expect(saved.get_by_role("link", name=re.compile("^Continue draft"))).to_be_visible()
    axe_check(page)
    assert not StatusUpdate.objects.exists()
    assert ReturnDraft.objects.get().commentary == "Tree supplier failed"

    # Later, without the corrective action: the rule stops it and the draft waits.
    page.reload()
    _row(page, "NE003").get_by_role("link", name=re.compile("^Continue draft")).click()
    form_row = page.locator(f"#output-{third.pk}")
    expect(form_row).to_contain_text("You are continuing the draft you saved on")
    expect(form_row.get_by_label("Red – off track")).to_be_checked()
    expect(form_row.get_by_label("Commentary")).to_have_value("Tree supplier failed")
    axe_check(page)
    form_row.get_by_role("button", name=re.compile("^Save update")).click()
    expect(form_row.locator(".govuk-error-summary")).to_contain_text(
        "Say what is being done to bring the output back on track"
    )
    axe_check(page)
    form_row.get_by_label("Corrective action", exact=True).fill("New supplier from March")
    form_row.get_by_label("Corrective action to be done by").fill("2007-03-31")
    form_row.get_by_label("Amber expected").check()  # the forecast
    form_row.get_by_role("button", name=re.compile("^Save update")).click()
    expect(page.locator(f"#output-{third.pk}")).to_contain_text(
        "NE003 updated: Red for Quarter 3 2006/07."
    )
    update = StatusUpdate.objects.get()
    assert (update.rag, update.corrective_action, update.forecast) == (
        "RED",
        "New supplier from March",
        "AMBER",
    )
    assert not ReturnDraft.objects.exists()

    page.goto(f"/actionplans/outputs/{third.pk}/")
    history = page.locator("table").filter(has_text="Returns for NE003")
    expect(history).to_contain_text("Corrective action, by 31 March 2007: New supplier from March")
    axe_check(page)


def test_officer_carries_two_outputs_forward_with_no_change(page, officer, outputs, axe_check):
    """Last quarter's returns carried into this one from one page of GOV.UK checkboxes: ticking
    an output reveals its own commentary box; the shared note covers the rest."""
    quarter, (first, second, third) = outputs
    q2 = QuarterFactory(year=2006, number=2, state=Quarter.State.CLOSED)
    for output, rag in ((first, "GREEN"), (second, "AMBER")):
        StatusUpdateFactory(output=output, quarter=q2, rag=rag, commentary=f"{rag} before")
    sign_in(page, officer.username)
    page.goto("/actionplans/my-outputs/")
    page.get_by_role("link", name="Record no change since last quarter for several outputs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("No change since last quarter")
    expect(page.locator(".govuk-checkboxes__item")).to_have_count(2)
    box = page.get_by_label(re.compile("^Commentary for NE002"))
    expect(box).to_be_hidden()
    axe_check(page)
    page.get_by_label(re.compile("^NE001")).check()
    page.get_by_label(re.compile("^NE002")).check()
    expect(box).to_be_visible()
    box.fill("Lease still with legal")
    axe_check(page)
    page.get_by_role("button", name="Record no change for the ticked outputs").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "2 returns carried forward to Quarter 3 2006/07: NE001, NE002."
    )
    carried = dict(
        StatusUpdate.objects.filter(quarter=quarter).values_list("output__ref", "commentary")
    )
    assert carried == {"NE001": "No change since last quarter.", "NE002": "Lease still with legal"}
    axe_check(page)
