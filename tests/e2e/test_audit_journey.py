"""Governance support reads the audit log in a real browser, and a locked-out sign-in explains
itself; axe-core runs on both pages."""

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


@pytest.fixture
def e2e_user(governance_support):
    return governance_support


def test_governance_support_filters_the_audit_log(page, governance_support, officer, axe_check):
    # An officer is refused the audit log: a security event to find.
    sign_in(page, officer.username)
    page.goto("/audit/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Audit log")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, governance_support.username)
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    axe_check(page)
    with page.expect_response(lambda r: "action=permission_denied" in r.url):
        page.locator("#id_action").select_option("permission_denied")
    expect(page).to_have_url(re.compile(r"action=permission_denied"))
    rows = page.locator("#audit-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Refused GET /audit/")
    expect(rows.first).to_contain_text(officer.username)
    axe_check(page)


@override_settings(AXES_ENABLED=True)
def test_too_many_failed_sign_ins_get_a_clear_page(page, scrutiny_member, axe_check):
    for _ in range(5):
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(scrutiny_member.username)
        page.locator("#id_password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts to sign in")
    expect(page.locator("main")).to_contain_text("15 minutes")
    axe_check(page)
