"""A patient on a phone: sign up, check in, edit the day, see history, log a flare."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from checkins.models import CheckIn, Flare
from demo.checkins import seed_checkins
from tests.browser.helpers import assert_fits_phone
from tests.factories import PatientFactory

pytestmark = pytest.mark.browser


def pick(page, legend, value):
    """Tap a number on one of the 0-10 scales, found by its visible legend."""
    page.get_by_role("group", name=legend).get_by_role("radio", name=re.compile(rf"^{value}\b")).check()


def test_sign_up_check_in_edit_and_see_history(page, screenshot):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Email").fill("maya@example.org")
    page.get_by_label("Password").fill("hips-lead-the-back")
    # The browser's zone (Europe/London in this context) is preselected and can be changed.
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    page.get_by_label("Time zone").select_option("Europe/Madrid")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile("/today/$"))
    expect(page.get_by_role("heading", name="How are your back and hips today?")).to_be_visible()
    user = User.objects.get(username="maya")
    assert (user.role, user.timezone) == ("patient", "Europe/Madrid")

    pick(page, "Lower back pain right now", 6)
    pick(page, "Hip or front-of-thigh pain right now", 4)
    screenshot(page, "today-filled")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("status")).to_contain_text("lower back 6, hip 4")
    screenshot(page, "today")
    assert_fits_phone(page)

    # The same day again edits it.
    expect(page.get_by_role("button", name="Update today")).to_be_visible()
    pick(page, "Lower back pain right now", 3)
    page.get_by_text("More about today (optional)").click()
    page.get_by_label("Hours spent sitting today").fill("7.5")
    page.get_by_role("group", name="Was your back worse after sitting?").get_by_label("Yes").check()
    page.get_by_role("button", name="Update today").click()
    expect(page.get_by_role("status")).to_contain_text("Updated today: lower back 3, hip 4")
    checkin = CheckIn.objects.get(patient=user)
    assert (checkin.back_pain, checkin.hip_pain, str(checkin.sitting_hours), checkin.worse_after_sitting) == (
        3,
        4,
        "7.5",
        True,
    )

    page.get_by_role("link", name="History", exact=True).click()
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(31)  # header + the last 30 days, newest first
    expect(rows.nth(1)).to_contain_text("3")
    expect(rows.nth(2)).to_contain_text("no check-in")
    screenshot(page, "history")
    assert_fits_phone(page)


def test_missing_value_shows_an_error_and_keeps_the_other_answer(page, log_in, screenshot):
    patient = PatientFactory()
    log_in(page, patient)
    pick(page, "Hip or front-of-thigh pain right now", 7)
    page.get_by_role("button", name="Save check-in").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Lower back pain: Rate it with a whole number from 0 (no pain) to 10")
    expect(summary).to_be_focused()
    expect(
        page.get_by_role("group", name="Hip or front-of-thigh pain right now").get_by_role(
            "radio", name=re.compile(r"^7\b")
        )
    ).to_be_checked()
    screenshot(page, "today-error")
    assert not CheckIn.objects.exists()


def test_log_a_flare(page, log_in, screenshot):
    patient = PatientFactory()
    log_in(page, patient)
    page.get_by_role("link", name="Flares").click()
    page.get_by_role("group", name="Where?").get_by_label("Lower back").check()
    pick(page, "How intense?", 8)
    page.get_by_label("What set it off? (optional)").fill("lifting a box")
    page.get_by_role("button", name="Log flare").click()
    expect(page.get_by_role("status")).to_contain_text("Flare logged: lower back, 8/10")
    expect(page.locator(".flare-list li")).to_have_count(1)
    expect(page.locator(".flare-list")).to_contain_text("lifting a box")
    screenshot(page, "flares")
    assert_fits_phone(page)
    flare = Flare.objects.get(patient=patient)
    assert (flare.region, flare.intensity) == ("back", 8)


def test_keyboard_only_check_in(page, log_in):
    patient = PatientFactory()
    log_in(page, patient)
    back = page.get_by_role("group", name="Lower back pain right now")
    back.get_by_role("radio", name=re.compile(r"^0\b")).focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    hip = page.get_by_role("group", name="Hip or front-of-thigh pain right now")
    hip.get_by_role("radio", name=re.compile(r"^0\b")).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.get_by_role("button", name="Save check-in").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("lower back 5, hip 2")


def test_sixty_days_of_history_fit_a_phone(page, log_in, screenshot):
    patient = PatientFactory()
    seed_checkins(patient)
    log_in(page, patient)
    page.goto("/history/?days=90")
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(91)
    screenshot(page, "history-90-days")
    assert_fits_phone(page)


def test_another_patients_data_never_shows(page, log_in):
    owner = PatientFactory()
    CheckIn.objects.create(
        patient=owner, date=owner.local_today(), back_pain=9, hip_pain=9, note="private words"
    )
    log_in(page, PatientFactory())
    page.goto("/history/")
    expect(page.get_by_text("No check-ins yet")).to_be_visible()
    expect(page.get_by_text("private words")).to_have_count(0)
