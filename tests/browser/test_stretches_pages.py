"""A patient on a phone follows a guided stretch: captions, hold timer, ratings, resume, today's pick."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from screening import actions as screening_actions
from stretches.media import make_poster
from stretches.models import StretchSession
from tests.browser.conftest import PHONE
from tests.browser.helpers import assert_fits_phone
from tests.factories import CheckInFactory, PatientFactory
from tests.screening_answers import answers
from tests.stretch_factories import StretchVideoFactory, ffmpeg_video, vtt

pytestmark = pytest.mark.browser

SECONDS = 12
SESSION_API = re.compile(r"/api/v1/stretches/sessions/")


def is_progress_report(response):
    return bool(SESSION_API.search(response.url)) and response.request.method == "PATCH"


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clip")
    mp4 = ffmpeg_video(folder / "clip.mp4", seconds=SECONDS, codec="mp4")
    return {
        "mp4": mp4.read_bytes(),
        "poster": make_poster(mp4, 1.0),
        "webm": ffmpeg_video(folder / "clip.webm", seconds=SECONDS, codec="webm").read_bytes(),
        "captions": vtt(
            (0, 4, "Kneel on your right knee."),
            (4, 8, "Tuck your pelvis under."),
            (8, SECONDS, "Breathe out and hold."),
        ).encode(),
    }


@pytest.fixture
def kneeling(settings, tmp_path, clip):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    video = StretchVideoFactory.build(
        title="Kneeling hip flexor stretch",
        slug="kneeling-hip-flexor",
        duration_seconds=SECONDS,
        description="Opens the front of the hip after a long day sitting.",
        cautions="Put a folded towel under the knee. Stop if you feel pinching at the front of the hip.",
        poster="",
    )
    video.video_mp4.save("video.mp4", ContentFile(clip["mp4"]), save=False)
    video.video_webm.save("video.webm", ContentFile(clip["webm"]), save=False)
    video.captions.save("captions.vtt", ContentFile(clip["captions"]), save=False)
    video.poster.save("poster.jpg", ContentFile(clip["poster"]), save=False)
    video.save()
    steps = [
        ("Kneel on your right knee, left foot in front.", 0),
        ("Tuck your pelvis under and hold.", 3),
        ("Switch sides and hold.", 3),
    ]
    for number, (text, hold) in enumerate(steps, start=1):
        video.steps.create(position=number, text=text, hold_seconds=hold)
    StretchVideoFactory(title="Pelvic tilts", region="lumbar", poster="")
    return video


def pick(page, legend, value):
    page.get_by_role("group", name=legend).get_by_role("radio", name=re.compile(rf"^{value}\b")).check()


def nav(page, name):
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def test_follow_a_stretch_leave_and_resume(page, log_in, screenshot, kneeling):
    patient = PatientFactory()
    log_in(page, patient)
    nav(page, "Stretches")
    expect(page.get_by_role("heading", name="Stretches", exact=True)).to_be_visible()
    screenshot(page, "stretches-library")
    page.get_by_role("link", name=re.compile("Kneeling hip flexor stretch")).click()
    expect(page.get_by_role("heading", name="Kneeling hip flexor stretch")).to_be_visible()

    # On the phone the video comes first: its top edge is on the first screen, under the title.
    video_box = page.locator("video").bounding_box()
    title_box = page.get_by_role("heading", level=1).bounding_box()
    assert title_box["y"] < video_box["y"] < PHONE["height"]
    assert video_box["y"] + video_box["height"] < PHONE["height"]  # in fact all of it
    assert_fits_phone(page)
    screenshot(page, "stretch-player-first-screen", full_page=False)

    # Before: one compact row under the video; choosing a number saves it and starts the session.
    before_row = page.get_by_role("group", name=re.compile("Before you start"))
    assert before_row.bounding_box()["y"] > video_box["y"]
    with page.expect_response(is_progress_report):
        before_row.get_by_label("Lower back", exact=True).select_option("6")
    expect(page.get_by_text("Saved: lower back before, 6 out of 10.")).to_be_visible()
    session = StretchSession.objects.get(patient=patient)
    assert session.back_pain_before == 6

    # Play it muted: the captions are on by default and loaded.
    page.evaluate("(() => { const v = document.querySelector('video'); v.muted = true; return v.play(); })()")
    page.wait_for_function("() => document.querySelector('video').currentTime > 3", timeout=15_000)
    assert page.evaluate("document.querySelector('video').textTracks[0].mode") == "showing"
    assert page.evaluate("document.querySelector('track').readyState") == 2  # LOADED
    page.wait_for_function("() => document.querySelector('video').textTracks[0].activeCues.length > 0")

    # Pausing reports the position.
    with page.expect_response(is_progress_report) as reported:
        page.evaluate("document.querySelector('video').pause()")
    saved = reported.value.json()["watched_seconds"]
    assert 3 <= saved < SECONDS
    session.refresh_from_db()
    assert session.watched_seconds == pytest.approx(saved) and not session.completed

    # The hold timer: a get-ready countdown, then the hold, then a beep.
    timer = page.locator("[data-timer]")
    page.get_by_role("button", name="Start hold timer").click()
    expect(timer.locator("[data-timer-phase]")).to_have_text("Get ready")
    step = timer.locator("[data-timer-step]")
    expect(step).to_contain_text("Step 2 of 3: Tuck your pelvis under and hold.")
    expect(page.get_by_role("button", name="Pause")).to_be_focused()  # the same button, relabelled
    screenshot(page, "stretch-player-timer", full_page=False)
    expect(timer.locator("[data-timer-phase]")).to_have_text("Hold", timeout=8_000)
    # While the hold runs, the timer and its step stay on screen however far the patient scrolls.
    page.get_by_role("heading", name="What has helped you most").scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 500
    box = timer.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], box
    expect(step).to_be_in_viewport()
    screenshot(page, "stretch-player-hold-scrolled", full_page=False)
    expect(timer).to_have_attribute("data-beeps", "1", timeout=6_000)
    expect(step).to_contain_text("Step 3 of 3")
    page.get_by_role("button", name="Pause").click()
    expect(timer.locator("[data-timer-phase]")).to_contain_text("(paused)")
    expect(page.get_by_role("button", name="Resume")).to_be_focused()

    # Leave and come back (a fresh load, not the back-forward cache): the video picks up where it stopped.
    nav(page, "Today")
    expect(page).to_have_url(re.compile("/today/$"))
    nav(page, "Stretches")
    page.get_by_role("link", name=re.compile("Kneeling hip flexor stretch")).click()
    page.wait_for_function(f"() => Math.abs(document.querySelector('video').currentTime - {saved}) < 0.6")
    expect(page.get_by_text(re.compile(r"Picking up where you left off, at 0:0\d\."))).to_be_visible()
    player = page.locator("[data-stretch-player]")
    expect(player).to_have_attribute("data-session-id", str(session.pk))

    # Watch to the end and say how it feels now: same session, completed, rated.
    with page.expect_response(is_progress_report):
        page.evaluate(
            "(() => { const v = document.querySelector('video'); v.muted = true;"
            f" v.currentTime = {SECONDS - 1}; return v.play(); }})()"
        )
    page.wait_for_function("() => document.querySelector('video').ended", timeout=10_000)
    with page.expect_response(is_progress_report):
        pick(page, "Lower back pain after the stretch", 3)
    expect(page.get_by_text("Saved: lower back pain after the stretch, 3 out of 10.")).to_be_visible()
    page.get_by_role("heading", name="How do you feel now? (optional)").scroll_into_view_if_needed()
    screenshot(page, "stretch-player-after")
    session.refresh_from_db()
    assert (session.back_pain_before, session.back_pain_after, session.completed) == (6, 3, True)
    assert StretchSession.objects.count() == 1


def test_today_recommends_gentle_hip_work_when_the_back_is_reactive(page, log_in, screenshot, kneeling):
    patient = PatientFactory()
    screening_actions.record_screening(patient, "hip-pattern-v1", answers(sitting_worse=True))
    CheckInFactory(patient=patient, back_pain=8, hip_pain=3)
    log_in(page, patient)
    section = page.get_by_role("region", name="Today's stretch")
    expect(section).to_contain_text("your back is reactive today; working on the hips still helps")
    expect(section.get_by_role("link", name=re.compile("Kneeling hip flexor stretch"))).to_be_visible()
    expect(section.get_by_role("link", name=re.compile("Pelvic tilts"))).to_have_count(0)
    section.scroll_into_view_if_needed()
    screenshot(page, "today-recommendation")
    section.get_by_role("link", name=re.compile("Kneeling hip flexor stretch")).click()
    expect(page).to_have_url(re.compile("/stretches/kneeling-hip-flexor/$"))


def test_a_demo_stretch_on_the_phone_shows_the_figure_and_the_timer_works_by_keyboard(
    page, log_in, screenshot, settings, tmp_path
):
    from demo.stretches import load_demo_videos

    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_demo_videos()
    patient = PatientFactory()
    screening_actions.record_screening(patient, "hip-pattern-v1", answers(front_hip=True))
    log_in(page, patient)
    page.goto("/stretches/kneeling-hip-flexor-stretch/")

    video = page.locator("video")
    assert video.bounding_box()["y"] < PHONE["height"]
    # Into the first hold: the figure is in the stretch, the caption over the text column.
    page.evaluate(
        "(() => { const v = document.querySelector('video'); v.muted = true; v.currentTime = 30; return v.play(); })()"
    )
    page.wait_for_function("() => document.querySelector('video').currentTime > 31", timeout=15_000)
    page.evaluate("document.querySelector('video').pause()")
    page.wait_for_function("() => document.querySelector('video').textTracks[0].activeCues.length > 0")

    # The hold timer from the keyboard alone.
    page.get_by_role("button", name="Start hold timer").focus()
    page.keyboard.press("Enter")
    timer = page.locator("[data-timer]")
    expect(timer.locator("[data-timer-phase]")).to_have_text("Get ready")
    expect(timer.locator("[data-timer-step]")).to_contain_text("Step 2 of 5: Tuck your tailbone under")
    expect(page.get_by_role("button", name="Pause")).to_be_focused()
    assert_fits_phone(page)
    screenshot(page, "stretch-player-demo-figure", full_page=False)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Resume")).to_be_focused()
