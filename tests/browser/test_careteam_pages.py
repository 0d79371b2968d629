"""Sharing a record, on a phone and at a desk: the patient makes a code, the clinician redeems it,
finds the worsening patient near the top, opens the chart, writes a note and reviews the red flag;
the patient then sees the read in their log and the pause lifted."""

import re

import pytest
from playwright.sync_api import expect

from screening import actions as screening_actions
from tests.browser.helpers import assert_fits_phone
from tests.careteam_helpers import link
from tests.factories import CheckInFactory, ClinicianFactory, PatientFactory, days_ago
from tests.screening_answers import answers

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("device", ["phone", "desk"])
def test_share_redeem_review_and_see_the_log(
    device, browser, live_server, transactional_db, log_in, screenshot
):
    patient = PatientFactory(display_name="Maya")
    for n in range(13, -1, -1):
        CheckInFactory(patient=patient, date=days_ago(patient, n), back_pain=3 if n >= 7 else 6, hip_pain=4)
    screening_actions.record_screening(patient, "hip-pattern-v1", answers(night_pain=True, front_hip=True))
    clinician = ClinicianFactory(display_name="Dr Okafor")
    for name in ("Abe", "Bea", "Cy"):
        other = PatientFactory(display_name=name)
        link(clinician, other)
        CheckInFactory(patient=other)

    def new_page():
        context = browser.new_context(viewport=VIEWPORTS[device], base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(10_000)
        return context.new_page()

    # The patient makes a share code.
    mine = new_page()
    log_in(mine, patient)
    mine.goto("/settings/")
    mine.get_by_role("button", name="Make a share code").click()
    code = mine.locator(".share-code").first.inner_text()
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    screenshot(mine, f"settings-share-code-{device}")
    if device == "phone":
        assert_fits_phone(mine)

    # The clinician redeems it and lands on the record.
    theirs = new_page()
    log_in(theirs, clinician)
    expect(theirs).to_have_url(re.compile("/clinic/$"))
    theirs.get_by_label("Patient's share code").fill(code)
    theirs.get_by_role("button", name="Add patient").click()
    expect(theirs.get_by_role("heading", name="Maya", level=1)).to_be_visible()

    # Back on the list, Maya is first: a red flag, and worsening.
    theirs.get_by_role("link", name="Clinic").click()
    first = theirs.locator(".patient-card").first
    expect(first).to_contain_text("Maya")
    expect(first).to_contain_text("red flag")
    expect(first).to_contain_text("worsening")
    screenshot(theirs, f"clinic-{device}")
    if device == "phone":
        assert_fits_phone(theirs)

    # The chart, a note, the review.
    first.get_by_role("link", name="Maya").click()
    expect(theirs.locator("#history-chart")).to_be_visible()
    theirs.get_by_label("New note").fill("Hip leads the back; more hip work.")
    theirs.get_by_role("button", name="Save note").click()
    expect(theirs.get_by_text("Hip leads the back; more hip work.")).to_be_visible()
    theirs.get_by_role("button", name="Mark red flag reviewed").click()
    expect(theirs.get_by_role("status")).to_contain_text("Red flag marked reviewed")
    screenshot(theirs, f"clinic-patient-{device}")
    if device == "phone":
        assert_fits_phone(theirs)

    # The patient sees who read what, and stretches are suggested again.
    mine.goto("/settings/")
    expect(mine.locator(".access-log")).to_contain_text("Dr Okafor read your record page")
    screenshot(mine, f"settings-access-log-{device}")
    mine.goto("/today/")
    expect(mine.get_by_text("Stretch suggestions are paused")).to_have_count(0)
