"""The living year in a real browser: the quarter schedule has brought the quarters up to today,
so an officer today (in December 2026, say) finds the quarter open, its deadline shown, and
records a return for it; governance support sees it on the quarters page. axe on every page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actionplans.models import Quarter, StatusUpdate
from actionplans.schedule import run_schedule
from tests.e2e.conftest import sign_in
from tests.factories import ActionPlanFactory, OutputFactory


@pytest.fixture
def today_plan(transactional_db, agency):
    today = timezone.localdate()
    plan = ActionPlanFactory(
        name="Living Year Test Plan",
        slug="living-year",
        period_start=today.replace(year=today.year - 1, month=1, day=1),
        period_end=today.replace(year=today.year + 2, month=3, day=31),
    )
    output = OutputFactory(
        plan=plan,
        lead_agency=agency,
        ref="LY001",
        title="Open a community hub",
        commencement=plan.period_start,
        due=plan.period_end,
    )
    run_schedule(today)
    quarter = Quarter.objects.containing(today).get()
    return quarter, output


def test_an_officer_today_reports_on_the_quarter_the_schedule_opened(
    page, officer, governance_support, today_plan, axe_check
):
    quarter, output = today_plan
    assert quarter.is_open
    sign_in(page, officer.username)
    page.goto("/actionplans/my-outputs/")
    main = page.locator("main")
    # Two quarters may be open (before the previous one's deadline): the officer is led to the
    # one whose deadline comes first.
    reporting = Quarter.objects.open_for_returns().order_by("deadline").first()
    expect(main).to_contain_text(str(reporting))
    expect(main).to_contain_text(reporting.deadline.strftime("%-d %B %Y"))
    axe_check(page)

    page.goto(f"/actionplans/outputs/{output.pk}/update/")
    page.get_by_label("Green – on track").check()
    page.get_by_role("button", name=re.compile("^Save update")).click()
    expect(page.locator("main")).to_contain_text("LY001")
    assert StatusUpdate.objects.get(output=output).quarter == reporting
    axe_check(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, governance_support.username)
    page.goto("/actionplans/quarters/")
    table = page.locator("table")
    expect(table).to_contain_text(str(quarter))
    expect(table.locator("tr").filter(has_text=str(reporting))).to_contain_text("Open")
    axe_check(page)
    page.get_by_role("link", name=str(reporting)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(reporting))
    expect(page.locator("main")).to_contain_text("1 received of 1 expected")
    axe_check(page)
