"""Safety first, on a phone (390 x 844): the screening before any stretch, and a red flag's pause
shown wherever stretches are offered, with an honest way out for urgent flags."""

import re

import pytest
from playwright.sync_api import expect

from screening.models import ScreeningResponse
from tests.browser.conftest import PHONE
from tests.browser.helpers import assert_fits_phone
from tests.browser.test_screening_pages import answer_all
from tests.factories import PatientFactory
from tests.stretch_factories import StretchVideoFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def library(transactional_db):
    # Pages only: the player is not played here, so the files need not exist.
    StretchVideoFactory(title="Kneeling hip flexor stretch", slug="kneeling-hip-flexor", poster="")
    StretchVideoFactory(title="Pelvic tilts", region="lumbar", poster="")


def on_first_screen(locator):
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] < PHONE["height"]


def test_a_visitor_learns_what_vida_is_and_a_new_patient_is_led_to_the_screening(page, screenshot, library):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Look at your hips too")
    expect(page.get_by_text("Vida is not an emergency service")).to_be_attached()
    assert_fits_phone(page)
    screenshot(page, "landing")

    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Username").fill("noor")
    page.get_by_label("Email").fill("noor@example.org")
    page.get_by_label("Password").fill("hips-lead-the-back")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile("/today/$"))
    first_step = page.get_by_role("region", name="Before your first stretch")
    expect(first_step).to_contain_text("a few safety questions before your first stretch")
    assert on_first_screen(first_step)
    # No stretch is suggested before the safety questions.
    expect(page.get_by_role("link", name=re.compile("Kneeling hip flexor stretch"))).to_have_count(0)
    assert_fits_phone(page)
    screenshot(page, "today-screen-first", full_page=False)

    first_step.get_by_role("link", name="Answer the safety questions").click()
    expect(page).to_have_url(re.compile("/screening/$"))
    expect(page.get_by_role("heading", name="Safety questions")).to_be_visible()

    answer_all(page, yes=("sitting_worse", "front_hip"), leading_region="Hip or front of thigh")
    page.get_by_role("button", name="See my result").click()
    page.get_by_role("link", name="Go to today's stretch").click()
    expect(page.get_by_role("region", name="Today's stretch")).to_contain_text("Kneeling hip flexor stretch")


def test_after_an_emergency_answer_the_library_and_the_player_lead_with_the_pause(
    page, log_in, screenshot, library
):
    patient = PatientFactory()
    log_in(page, patient)
    page.goto("/screening/")
    answer_all(page, yes=("leg_weakness",))
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_role("heading", name="Go to an emergency department now")).to_be_visible()

    heading = "Stretch suggestions are paused: Go to an emergency department now"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stretches").click()
    notice = page.locator("main").get_by_role("alert")
    expect(notice.get_by_role("heading", name=heading)).to_be_visible()
    assert on_first_screen(notice.get_by_role("heading"))
    expect(notice.get_by_role("link", name="A doctor has checked this")).to_have_count(0)
    assert_fits_phone(page)
    screenshot(page, "stretches-library-paused", full_page=False)

    # The library stays open: a stretch can still be opened, and its page leads with the same notice.
    page.get_by_role("link", name=re.compile("Pelvic tilts")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pelvic tilts")
    notice = page.locator("main").get_by_role("alert")
    expect(notice.get_by_role("heading", name=heading)).to_be_visible()
    assert on_first_screen(notice.get_by_role("heading"))
    assert notice.bounding_box()["y"] < page.locator("video").bounding_box()["y"]
    assert_fits_phone(page)
    screenshot(page, "stretch-player-paused", full_page=False)


def test_an_urgent_flag_lifts_when_the_patient_records_a_doctors_check(page, log_in, screenshot, library):
    patient = PatientFactory()
    log_in(page, patient)
    page.goto("/screening/")
    answer_all(page, yes=("cancer_history", "front_hip"))
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_role("heading", name="Get checked by a doctor today")).to_be_visible()

    page.goto("/today/")
    notice = page.locator("main").get_by_role("alert")
    expect(notice.get_by_role("heading")).to_have_text(
        "Stretch suggestions are paused: Get checked by a doctor today"
    )
    screenshot(page, "today-paused-urgent", full_page=False)
    notice.get_by_role("link", name="A doctor has checked this").click()

    form = page.get_by_role("region", name="Has a doctor checked this?")
    expect(form).to_be_in_viewport()
    date_input = form.get_by_label("Day a doctor checked these answers")
    expect(date_input).to_have_attribute("name", "checked_on")
    date_input.fill(patient.local_today().isoformat())
    screenshot(page, "screening-result-doctor-check-form", full_page=False)
    form.get_by_role("button", name="Record the doctor's check").click()

    expect(page.get_by_role("status")).to_contain_text("Stretch suggestions are back on.")
    expect(page.get_by_text("The pause on stretch suggestions is lifted.")).to_be_visible()
    assert_fits_phone(page)
    screenshot(page, "screening-result-doctor-checked")
    response = ScreeningResponse.objects.get(patient=patient)
    assert (response.doctor_checked_on, response.pause_lifted_how) == (
        patient.local_today(),
        "doctor_checked",
    )

    page.goto("/stretches/")
    expect(page.locator(".red-flag-banner")).to_have_count(0)
