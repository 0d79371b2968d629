"""Browser tests: Playwright driving Debian's Chromium at a phone-sized viewport.

Browsers cannot be downloaded here, so Playwright is pointed at /usr/bin/chromium.
Screenshots land in test-output/screenshots/ for a person to look at.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import TEST_PASSWORD
from tests.security_helpers import authenticator, current_code

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
PHONE = {"width": 390, "height": 844}


def chromium_path():
    path = os.environ.get("VIDA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is missing: install Debian's package with 'apt-get install chromium'.")
    return path


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name, full_page=True):
        """The whole page, or with ``full_page=False`` just what the phone's screen shows now."""
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def log_in():
    def log_in(page, user, password=TEST_PASSWORD):
        """The login form, then for clinicians and staff the second-factor step with their app's code."""
        if user.needs_second_factor:
            authenticator(user)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        if user.needs_second_factor:
            page.get_by_label("Code from your authenticator app").fill(current_code(user))
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state()

    return log_in
