"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test in this folder is marked `e2e`. Without /usr/bin/chromium the tests are skipped on a
developer's machine, but under CI (CI=true) they fail: CI must never pass by skipping them.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

# Playwright's sync API keeps an asyncio loop running in the main thread; without this the ORM
# calls made by the tests (factories) and by later tests would raise SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_DIR = Path(__file__).resolve().parent
BLOCKING_IMPACTS = {"serious", "critical"}


def running_under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def chromium_missing_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is not executable"
    return None


def pytest_collection_modifyitems(config, items):
    reason = chromium_missing_reason()
    for item in items:
        if not item.path.is_relative_to(E2E_DIR):
            continue
        item.add_marker(pytest.mark.e2e)
        if reason and not running_under_ci():
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session")
def browser():
    reason = chromium_missing_reason()
    if reason:
        if running_under_ci():
            pytest.fail(f"CI=true but the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _open_page(browser, live_server, **context_options):
    """A fresh context (own cookies) whose page records failed requests and script errors."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **context_options)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    # The Content Security Policy refuses inline script and style: a refusal breaks the page.
    page.on(
        "console",
        lambda message: (
            problems.append(f"Refused by the Content Security Policy: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )

    def on_response(response):
        same_site = response.url.startswith(live_server.url)
        if same_site and response.status >= 500:
            problems.append(f"{response.status} from {response.url}")
        # A missing stylesheet or script breaks the page without failing any assertion.
        if same_site and "/static/" in response.url and response.status >= 400:
            problems.append(f"{response.status} from {response.url}")

    page.on("response", on_response)
    return context, page, problems


@pytest.fixture
def page(browser, live_server):
    context, page, problems = _open_page(browser, live_server)
    yield page
    context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def js_disabled_page(browser, live_server):
    context, page, problems = _open_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = settings.BASE_DIR / "static/vendor/axe/axe.min.js"
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make assets` (it copies npm axe-core there)")
    return path.read_text(encoding="utf-8")


def format_violations(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    target {node['target']}: {node['html'][:200]}")
    return "\n".join(lines)


@pytest.fixture
def axe_check(axe_source):
    """`axe_check(page)` runs axe-core on the page as it is now and fails on serious or critical
    violations; it returns every violation found (minor and moderate ones included)."""

    def check(page):
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # From our own static files: the Content Security Policy refuses inline script.
            page.add_script_tag(url="/static/vendor/axe/axe.min.js")
        results = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        violations = results["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, (
            f"axe-core found {len(blocking)} serious or critical accessibility violation(s) "
            f"on {page.url}:\n{format_violations(blocking)}"
        )
        return violations

    return check


def sign_in(page, username, password="password"):
    """Sign in through the real login form, as a person would."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


@pytest.fixture
def e2e_user(scrutiny_member):
    """Who `signed_in_page` signs in as; override in a test module for another persona."""
    return scrutiny_member


@pytest.fixture
def signed_in_page(page, e2e_user):
    return sign_in(page, e2e_user.username)
