"""A patient on a phone sets their reminders on /settings/ and sees a nudge on /today/."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from nudges.models import Kind, Nudge, NudgePreferences, Status
from tests.browser.helpers import assert_fits_phone
from tests.factories import PatientFactory

pytestmark = pytest.mark.browser


def test_set_reminders_on_the_settings_page(page, log_in, screenshot):
    patient = PatientFactory(timezone="Europe/London")
    log_in(page, patient)
    page.goto("/settings/")
    section = page.get_by_role("region", name="Reminders")
    expect(section.get_by_label("Reminder time", exact=True)).to_have_value("19:00")
    expect(section.get_by_label("Daily check-in reminder")).to_be_checked()
    expect(section.get_by_label("Time zone for reminders")).to_have_value("Europe/London")
    section.scroll_into_view_if_needed()
    screenshot(page, "settings-reminders")
    assert_fits_phone(page)

    section.get_by_label("Stretch nudge").uncheck()
    section.get_by_label("By email").uncheck()
    section.get_by_label("Reminder time", exact=True).fill("07:45")
    section.get_by_label("Time zone for reminders").select_option("Europe/Dublin")
    section.get_by_label("Quiet from").fill("22:00")
    section.get_by_label("Quiet until").fill("07:00")
    section.get_by_role("button", name="Save reminders").click()

    expect(page).to_have_url(re.compile(r"/settings/#reminders$"))
    expect(page.get_by_role("status")).to_contain_text("Reminder settings saved.")
    saved = NudgePreferences.objects.get(user=patient)
    assert (saved.reminder_time, saved.timezone, saved.quiet_hours_start, saved.quiet_hours_end) == (
        dt.time(7, 45),
        "Europe/Dublin",
        dt.time(22, 0),
        dt.time(7, 0),
    )
    assert (saved.checkin_reminder, saved.stretch_nudge, saved.email, saved.in_app) == (
        True,
        False,
        False,
        True,
    )
    expect(page.get_by_role("region", name="Reminders").get_by_label("Stretch nudge")).not_to_be_checked()


def test_a_reminder_time_inside_quiet_hours_is_saved_with_a_note(page, log_in, screenshot):
    patient = PatientFactory()
    log_in(page, patient)
    page.goto("/settings/")
    section = page.get_by_role("region", name="Reminders")
    section.get_by_label("Reminder time", exact=True).fill("23:15")
    section.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_role("status")).to_contain_text("Reminder settings saved")
    note = page.get_by_text("23:15 is inside your quiet hours (21:30-08:00), so nothing will arrive then")
    expect(note).to_be_visible()
    screenshot(page, "settings-reminders-quiet-note")
    assert_fits_phone(page)
    assert NudgePreferences.objects.get(user=patient).reminder_time.strftime("%H:%M") == "23:15"


def test_a_nudge_shows_on_today_and_can_be_dismissed(page, log_in, screenshot):
    patient = PatientFactory()
    for kind in (Kind.CHECKIN_REMINDER, Kind.STRETCH_NUDGE):
        Nudge.objects.create(
            recipient=patient,
            kind=kind,
            local_date=patient.local_today(),
            email=False,
            in_app=True,
            status=Status.IN_APP_ONLY,
        )
    log_in(page, patient)
    page.goto("/today/")
    notices = page.get_by_role("region", name="Notices")
    expect(notices.get_by_role("heading", name="Time for today's check-in")).to_be_visible()
    expect(notices.get_by_role("link", name="Choose a stretch")).to_have_attribute("href", "/stretches/")
    screenshot(page, "today-notices")
    assert_fits_phone(page)
    notices.get_by_role("button", name="Dismiss: A gentle stretch today?").click()
    expect(page.get_by_role("heading", name="A gentle stretch today?")).to_have_count(0)
    expect(page.get_by_role("heading", name="Time for today's check-in")).to_be_visible()
