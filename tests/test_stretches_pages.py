"""The stretches pages through Django's test client (the browser tests drive them for real)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from screening import actions
from stretches.models import StretchSession
from tests.factories import CheckInFactory
from tests.screening_answers import answers
from tests.security_helpers import sign_in
from tests.stretch_factories import StretchSessionFactory, StretchVideoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


@pytest.fixture
def kneeling():
    return StretchVideoFactory(
        title="Kneeling hip flexor",
        region="hip_flexors",
        intensity="gentle",
        duration_seconds=60,
        video_webm="stretches/kneeling-hip-flexor/video.webm",
        cautions="Stop if your knee hurts.",
    )


@pytest.fixture
def tilts():
    return StretchVideoFactory(
        title="Pelvic tilts", region="lumbar", intensity="moderate", duration_seconds=150
    )


@pytest.mark.parametrize("path", ["/stretches/", "/stretches/kneeling-hip-flexor/"])
def test_pages_send_anonymous_visitors_to_log_in(client, kneeling, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/stretches/", "/stretches/kneeling-hip-flexor/"])
def test_stretch_pages_do_not_exist_for_clinicians(client, clinician, kneeling, path):
    sign_in(client, clinician)
    assert client.get(path).status_code == 404


def test_the_library_lists_and_filters_with_a_get_form(patient_client, kneeling, tilts):
    html = patient_client.get("/stretches/").content.decode()
    assert 'method="get"' in html
    for name in ["region", "intensity", "max_seconds"]:
        assert f'name="{name}"' in html
    assert "Kneeling hip flexor" in html and "Pelvic tilts" in html
    response = patient_client.get("/stretches/?region=hip_flexors&intensity=&max_seconds=120")
    filtered = response.content.decode()
    assert "Kneeling hip flexor" in filtered and "Pelvic tilts" not in filtered
    assert '<option value="hip_flexors" selected>' in filtered


def test_a_bad_filter_is_explained(patient_client, kneeling):
    response = patient_client.get("/stretches/?max_seconds=soon")
    assert response.status_code == 400
    assert "Length: Give the longest length you want in whole seconds" in response.content.decode()


def test_the_library_page_query_count_does_not_grow(patient_client, patient, django_assert_max_num_queries):
    for _ in range(2):
        StretchSessionFactory(patient=patient, back_pain_before=5, back_pain_after=3)
    with django_assert_max_num_queries(8) as few:
        patient_client.get("/stretches/")
    for _ in range(10):
        StretchSessionFactory(patient=patient, back_pain_before=5, back_pain_after=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = patient_client.get("/stretches/").content.decode()
    assert html.count('class="video-card"') == 12


def test_the_player_has_sources_captions_on_steps_and_the_scales(patient_client, kneeling):
    html = patient_client.get("/stretches/kneeling-hip-flexor/").content.decode()
    media = r"/stretches/kneeling-hip-flexor/"
    assert re.search(rf'<source src="{media}video\.webm\?v=\d+" type="video/webm">', html)
    assert re.search(rf'<source src="{media}video\.mp4\?v=\d+" type="video/mp4">', html)
    assert re.search(
        r'<track kind="captions" src="/stretches/kneeling-hip-flexor/captions\.vtt\?v=\d+"'
        r' srclang="en" label="English" default>',
        html,
    )
    assert 'poster="/stretches/kneeling-hip-flexor/poster.jpg?v=' in html
    assert "Hold 30 s" in html and "Stop if your knee hurts." in html
    for name in ["back_pain_before", "hip_pain_before", "back_pain_after", "hip_pain_after"]:
        assert f'name="{name}"' in html
    assert 'data-session-id=""' in html and 'data-resume-seconds="0"' in html
    assert "js/stretch-player.js" in html


def test_the_player_resumes_the_latest_unfinished_session(patient_client, patient, kneeling):
    StretchSessionFactory(
        patient=patient, video=kneeling, watched_seconds=12, started_at=timezone.now() - dt.timedelta(days=2)
    )
    latest = StretchSessionFactory(patient=patient, video=kneeling, watched_seconds=41.25, back_pain_before=6)
    html = patient_client.get("/stretches/kneeling-hip-flexor/").content.decode()
    assert f'data-session-id="{latest.pk}"' in html
    assert 'data-resume-seconds="41.2"' in html or 'data-resume-seconds="41.3"' in html
    before = html[html.index('<select id="back_pain_before"') :]
    assert before.index('<option value="6" selected>') < before.index("</select>")


def test_a_finished_session_is_not_resumed_and_an_old_one_is_not_continued(patient_client, patient, kneeling):
    recent = StretchSessionFactory(patient=patient, video=kneeling, watched_seconds=59, completed=True)
    html = patient_client.get("/stretches/kneeling-hip-flexor/").content.decode()
    assert f'data-session-id="{recent.pk}"' in html  # its after-ratings can still be given
    assert 'data-resume-seconds="0"' in html
    StretchSession.objects.filter(pk=recent.pk).update(started_at=timezone.now() - dt.timedelta(hours=5))
    html = patient_client.get("/stretches/kneeling-hip-flexor/").content.decode()
    assert 'data-session-id=""' in html


def test_ratings_post_as_a_plain_form_without_javascript(patient_client, patient, kneeling):
    page = "/stretches/kneeling-hip-flexor/"
    response = patient_client.post(page, {"back_pain_before": "6", "session": ""})
    assert response.status_code == 302
    session = StretchSession.objects.get(patient=patient)
    assert session.back_pain_before == 6
    patient_client.post(page, {"back_pain_after": "2", "session": str(session.pk)})
    session.refresh_from_db()
    assert (session.back_pain_before, session.back_pain_after) == (6, 2)
    assert StretchSession.objects.count() == 1


def test_a_bad_rating_is_explained_and_stores_nothing(patient_client, kneeling):
    response = patient_client.post("/stretches/kneeling-hip-flexor/", {"back_pain_after": "12"})
    assert response.status_code == 400
    assert "Rate it with a whole number from 0 (no pain) to 10" in response.content.decode()
    assert not StretchSession.objects.exists()


def test_ratings_cannot_touch_another_patients_session(patient_client, other_patient, kneeling):
    theirs = StretchSessionFactory(patient=other_patient, video=kneeling)
    for session_id in [str(theirs.pk), "not-a-uuid"]:
        response = patient_client.post(
            "/stretches/kneeling-hip-flexor/", {"back_pain_after": "2", "session": session_id}
        )
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.back_pain_after is None


def test_an_unpublished_stretch_is_404(patient_client):
    StretchVideoFactory(title="Draft", published=False)
    assert patient_client.get("/stretches/draft/").status_code == 404


def test_the_relief_summary_shows_what_helped_most(patient_client, patient, kneeling, tilts):
    StretchSessionFactory(
        patient=patient,
        video=kneeling,
        back_pain_before=6,
        back_pain_after=3,
        hip_pain_before=5,
        hip_pain_after=4,
    )
    StretchSessionFactory(patient=patient, video=tilts, back_pain_before=4, back_pain_after=5)
    html = patient_client.get("/stretches/kneeling-hip-flexor/").content.decode()
    summary = html[html.index("What has helped you most") :]
    assert summary.index("Kneeling hip flexor") < summary.index("Pelvic tilts")
    assert "Lower back eased by 3.0 points; hip eased by 1.0 point" in summary
    assert "Lower back up by 1.0 point" in summary


def test_today_shows_the_recommendation_with_its_reason(patient_client, patient, kneeling, tilts):
    actions.record_screening(patient, "hip-pattern-v1", answers())
    CheckInFactory(patient=patient, back_pain=8, hip_pain=3)
    html = patient_client.get("/today/").content.decode()
    assert "Today's stretch" in html
    assert "your back is reactive today; working on the hips still helps" in html
    assert 'href="/stretches/kneeling-hip-flexor/"' in html
    assert 'href="/stretches/pelvic-tilts/"' not in html


def test_the_player_query_count_does_not_grow_with_sessions_or_steps(
    patient_client, patient, kneeling, tilts, django_assert_max_num_queries
):
    StretchSessionFactory(patient=patient, video=kneeling, back_pain_before=5, back_pain_after=3)
    with django_assert_max_num_queries(10) as few:
        patient_client.get("/stretches/kneeling-hip-flexor/")
    for video in (kneeling, tilts):
        StretchSessionFactory.create_batch(
            5, patient=patient, video=video, back_pain_before=5, back_pain_after=3
        )
    kneeling.steps.create(position=3, text="One more hold.", hold_seconds=20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = patient_client.get("/stretches/kneeling-hip-flexor/").content.decode()
    assert "One more hold." in html


def test_saving_no_ratings_starts_no_session(patient_client, kneeling):
    response = patient_client.post("/stretches/kneeling-hip-flexor/", {"session": ""}, follow=True)
    assert "Tap a number first; nothing was saved." in response.content.decode()
    assert not StretchSession.objects.exists()


def test_the_player_marks_stretches_as_the_current_section(patient_client, kneeling):
    html = patient_client.get(f"/stretches/{kneeling.slug}/").content.decode()
    assert '<a href="/stretches/" aria-current="true">Stretches</a>' in html
    assert 'aria-current="page"' not in html


def test_before_the_first_screening_today_leads_to_the_safety_questions(patient_client, patient, kneeling):
    CheckInFactory(patient=patient, back_pain=8, hip_pain=3)
    html = patient_client.get("/today/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    lead = main.index("Before your first stretch")
    assert lead < main.index('id="checkin-heading"')
    assert "a few safety questions before your first stretch" in main
    assert '<a class="button" href="/screening/">Answer the safety questions</a>' in main
    assert 'href="/stretches/kneeling-hip-flexor/"' not in main


# --- the pause notice leads every page that offers stretches ------------------------------

STRETCH_PAGES = ["/today/", "/stretches/", "/stretches/kneeling-hip-flexor/", "/stretches/pelvic-tilts/"]
GUIDANCE = {
    "emergency": ("bladder_bowel", "Go to an emergency department now"),
    "urgent": ("night_pain", "Get checked by a doctor today"),
}


def main_of(html):
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("path", STRETCH_PAGES)
@pytest.mark.parametrize("urgency", ["emergency", "urgent"])
def test_a_red_flag_pause_leads_each_stretch_page(patient_client, patient, kneeling, tilts, path, urgency):
    flag, title = GUIDANCE[urgency]
    flagged = actions.record_screening(patient, "hip-pattern-v1", answers(**{flag: True}))

    response = patient_client.get(path)

    assert response.status_code == 200
    main = main_of(response.content.decode())
    notice = main.index('<section class="banner red-flag-banner')
    # Straight after the page's title, before anything else on it.
    after_title = main.index("</h1>") + len("</h1>")
    assert main[after_title:notice].strip() == ""
    heading = main[main.index('<h2 id="pause-heading">', notice) : main.index("</h2>", notice)]
    assert "Stretch suggestions are paused" in heading and title in heading
    assert f'href="/screening/{flagged.pk}/"' in main
    assert ('#doctor-checked"' in main) == (urgency == "urgent")
    # Still open: a stretch can be started, never suggested.
    if path.startswith("/stretches/"):
        assert 'href="/stretches/kneeling-hip-flexor/"' in main or "<video" in main


@pytest.mark.parametrize("path", STRETCH_PAGES)
def test_no_pause_notice_without_a_red_flag_or_once_lifted(patient_client, patient, kneeling, tilts, path):
    actions.record_screening(patient, "hip-pattern-v1", answers())
    assert "red-flag-banner" not in patient_client.get(path).content.decode()
    actions.record_screening(patient, "hip-pattern-v1", answers(cancer_history=True))
    assert "red-flag-banner" in patient_client.get(path).content.decode()
    actions.record_doctor_checked(patient, patient.local_today())
    assert "red-flag-banner" not in patient_client.get(path).content.decode()


def test_the_player_puts_the_video_first_and_the_timer_under_it(patient_client, kneeling):
    main = main_of(patient_client.get("/stretches/kneeling-hip-flexor/").content.decode())
    order = [
        main.index("</h1>"),
        main.index("<video"),
        main.index("data-timer "),
        main.index('name="back_pain_before"'),
        main.index('id="steps-heading"'),
        main.index('name="back_pain_after"'),
    ]
    assert order == sorted(order)
    assert 'aria-live="polite"' in main[main.index("data-timer ") :]
    # A strict CSP is coming: no inline script or style attribute on the page.
    assert "<script>" not in main and " style=" not in main
