"""Taking the screening in a phone browser (390 x 844), as a patient would."""

import pytest
from playwright.sync_api import expect

from screening.models import ScreeningResponse
from tests.factories import PatientFactory
from tests.screening_answers import HIP_PATTERNS, RED_FLAGS

pytestmark = pytest.mark.browser


@pytest.fixture
def patient(transactional_db):
    return PatientFactory(username="pat", timezone="Europe/London")


def answer(page, question_id, label):
    page.locator(f"#{question_id}-field").get_by_label(label, exact=True).check()


def answer_all(page, yes=(), leading_region="Not sure", skip=()):
    for question_id in RED_FLAGS + HIP_PATTERNS:
        if question_id not in skip:
            answer(page, question_id, "Yes" if question_id in yes else "No")
    if "leading_region" not in skip:
        answer(page, "leading_region", leading_region)


def assert_fits_the_phone(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def test_take_the_screening_and_see_likely_with_the_reasons(page, log_in, screenshot, patient):
    log_in(page, patient)
    page.goto("/screening/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Are your hips part of your back pain?")
    # Safety questions come before the hip questions.
    first_question = page.locator("fieldset legend").first
    expect(first_question).to_contain_text("bladder or bowels")
    expect(page.get_by_text("0 of 13 answered")).to_be_visible()
    assert_fits_the_phone(page)
    screenshot(page, "screening-form")

    answer_all(page, yes=("sitting_worse", "front_hip"), leading_region="Hip or front of thigh")
    # The progress stays on screen while the person scrolls down the questions.
    expect(page.get_by_text("13 of 13 answered")).to_be_in_viewport()
    page.get_by_role("button", name="See my result").click()

    expect(page.get_by_role("heading", name="Your hips are likely part of this")).to_be_visible()
    expect(page.get_by_text("Your back is worse after long sitting and slow to ease")).to_be_visible()
    expect(page.get_by_text("pain or stiffness at the front of the hip or upper thigh")).to_be_visible()
    expect(page.get_by_text("Your hip or front of thigh usually flares first")).to_be_visible()
    expect(page.get_by_text("upstream of the lower back")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("link", name="Go to today's stretch")).to_have_attribute("href", "/today/")
    assert_fits_the_phone(page)
    screenshot(page, "screening-result-likely")
    assert ScreeningResponse.objects.get(patient=patient).hip_component == "likely"


def test_unanswered_questions_are_named_and_given_answers_kept(page, log_in, screenshot, patient):
    log_in(page, patient)
    page.goto("/screening/")
    answer_all(page, yes=("walking_better",), skip=("leg_weakness", "leading_region"))
    page.get_by_role("button", name="See my result").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Question 3: This question needs an answer.")
    expect(summary).to_contain_text("Question 13: This question needs an answer.")
    expect(page.locator("#walking_better-field").get_by_label("Yes", exact=True)).to_be_checked()
    expect(page.locator("#bladder_bowel-field").get_by_label("No", exact=True)).to_be_checked()
    expect(page.get_by_text("11 of 13 answered")).to_be_visible()
    assert_fits_the_phone(page)
    screenshot(page, "screening-form-errors")

    summary.get_by_role("link", name="Question 3: This question needs an answer.").click()
    answer(page, "leg_weakness", "No")
    answer(page, "leading_region", "Lower back")
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_role("heading", name="Your hips may be part of this")).to_be_visible()


def test_a_cauda_equina_sign_leads_with_emergency_guidance_and_raises_the_today_banner(
    page, log_in, screenshot, patient
):
    log_in(page, patient)
    page.goto("/screening/")
    answer_all(page, yes=("saddle_numbness", "sitting_worse", "front_hip"), leading_region="Lower back")
    page.get_by_role("button", name="See my result").click()

    guidance = page.get_by_role("alert")
    expect(guidance.get_by_role("heading")).to_have_text("Go to an emergency department now")
    expect(guidance).to_contain_text("Numbness in the saddle area")
    expect(guidance).to_contain_text("Vida is not an emergency service")
    expect(guidance).to_contain_text("Stretch suggestions are paused")
    # The guidance comes first: above the hip result and visible without scrolling.
    hip_heading = page.get_by_role("heading", name="Your hips are likely part of this")
    assert guidance.bounding_box()["y"] < hip_heading.bounding_box()["y"]
    expect(guidance).to_be_in_viewport()
    expect(page.get_by_role("link", name="Go to today's stretch")).to_have_count(0)
    assert_fits_the_phone(page)
    screenshot(page, "screening-result-emergency")

    page.get_by_role("link", name="Today", exact=True).click()
    banner = page.get_by_role("alert")
    expect(banner.get_by_role("heading")).to_have_text(
        "Stretch suggestions are paused: Go to an emergency department now"
    )
    expect(banner).to_contain_text("numbness in the saddle area")
    expect(banner).to_be_in_viewport()
    assert_fits_the_phone(page)
    screenshot(page, "today-red-flag-banner")

    # A later clear screening settles it, and the banner goes.
    banner.get_by_role("link", name="Take the screening again").click()
    answer_all(page)
    page.get_by_role("button", name="See my result").click()
    expect(
        page.get_by_role("heading", name="Your hips are probably not the main part of this")
    ).to_be_visible()
    assert page.goto("/today/").ok
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.locator(".red-flag-banner")).to_have_count(0)


def test_an_urgent_sign_says_get_checked_by_a_doctor_today(page, log_in, screenshot, patient):
    log_in(page, patient)
    page.goto("/screening/")
    answer_all(page, yes=("night_pain",))
    page.get_by_role("button", name="See my result").click()

    guidance = page.get_by_role("alert")
    expect(guidance.get_by_role("heading")).to_have_text("Get checked by a doctor today")
    expect(guidance).to_contain_text("Constant pain that does not ease at rest or at night")
    expect(guidance).to_be_in_viewport()
    screenshot(page, "screening-result-urgent")
