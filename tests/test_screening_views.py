"""The screening pages, server side: the form, the result page and the /today/ banner."""

import re
import uuid

import pytest

from screening import actions
from screening.models import ScreeningResponse
from tests.screening_answers import HIP_PATTERNS, RED_FLAGS, answers
from tests.security_helpers import sign_in

QUESTION_IDS = [*RED_FLAGS, *HIP_PATTERNS, "leading_region"]

pytestmark = pytest.mark.django_db


def screen(patient, **given):
    return actions.record_screening(patient, "hip-pattern-v1", answers(**given))


def form(**given):
    """The form as a person posts it: every yes/no answered "false", region "unsure"."""
    every_no = {qid: "false" for qid in RED_FLAGS + HIP_PATTERNS}
    return {"version": "hip-pattern-v1", **every_no, "leading_region": "unsure", **given}


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


def test_the_form_asks_every_question_by_its_id_red_flags_first(
    patient_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):  # session, user, history
        response = patient_client.get("/screening/")

    assert response.status_code == 200
    html = response.content.decode()
    names = list(dict.fromkeys(re.findall(r'type="radio" name="([a-z_]+)"', html)))
    assert names == QUESTION_IDS
    assert "0 of 13 answered" in html
    assert '<input type="hidden" name="version" value="hip-pattern-v1">' in html


def test_answering_on_the_page_stores_a_response_and_shows_its_result(patient, patient_client):
    posted = form(sitting_worse="true", walking_better="true", leading_region="hip")
    response = patient_client.post("/screening/", posted)

    stored = ScreeningResponse.objects.get(patient=patient)
    assert response.status_code == 302
    assert response["Location"] == f"/screening/{stored.pk}/"
    assert stored.answers["sitting_worse"] is True
    assert stored.answers["front_hip"] is False
    assert stored.hip_component == "likely"


def test_missing_answers_keep_the_given_ones_and_store_nothing(patient_client):
    given = form(trauma="true", front_hip="true", leading_region="back")
    del given["saddle_numbness"], given["walking_better"]

    response = patient_client.post("/screening/", given)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Question 2: This question needs an answer." in html
    assert "Question 12: This question needs an answer." in html
    assert 'name="trauma" value="true" required checked' in html
    assert 'name="front_hip" value="true" required checked' in html
    assert 'name="leading_region" value="back" required checked' in html
    assert "11 of 13 answered" in html
    assert ScreeningResponse.objects.count() == 0


def test_a_value_the_form_never_offers_is_refused(patient_client):
    response = patient_client.post("/screening/", form(bladder_bowel="maybe"))
    assert response.status_code == 400
    assert "Question 1: Answer with true (yes) or false (no)." in response.content.decode()
    assert ScreeningResponse.objects.count() == 0


def test_a_stale_questionnaire_version_is_refused(patient_client):
    response = patient_client.post("/screening/", form(version="hip-pattern-v0"))
    assert response.status_code == 400
    assert "Unknown questionnaire version" in response.content.decode()
    assert ScreeningResponse.objects.count() == 0


def test_the_screening_page_is_for_patients(client, clinician):
    assert client.get("/screening/").status_code == 302  # to log in
    sign_in(client, clinician)
    assert client.get("/screening/").status_code == 404


def test_result_leads_with_emergency_guidance(patient, patient_client, django_assert_max_num_queries):
    response = screen(patient, saddle_numbness=True, sitting_worse=True, front_hip=True)

    with django_assert_max_num_queries(4):  # session, user, this response, the latest response
        page = patient_client.get(f"/screening/{response.pk}/")

    html = page.content.decode()
    assert page.status_code == 200
    guidance = html.index("Go to an emergency department now")
    assert html.index('role="alert"') < guidance < html.index("Your hips are")
    assert "Vida is not an emergency service" in html
    assert "Numbness in the saddle area" in html
    assert "Stretch suggestions are paused" in html
    assert 'href="/today/"' not in html.split("</nav>")[1].split("<footer")[0]


def test_result_with_an_urgent_flag_says_see_a_doctor_today(patient, patient_client):
    response = screen(patient, weight_loss=True)
    html = patient_client.get(f"/screening/{response.pk}/").content.decode()
    assert "Get checked by a doctor today" in html
    assert "Go to an emergency department now" not in html.split("<footer")[0]


def test_clear_result_explains_and_links_to_todays_stretch(patient, patient_client):
    response = screen(patient, sitting_worse=True, front_hip=True, leading_region="hip")
    html = patient_client.get(f"/screening/{response.pk}/").content.decode()

    assert 'role="alert"' not in html
    assert 'Your hips are <span class="result-verdict">likely</span> part of this' in html
    assert "Your back is worse after long sitting" in html
    assert "upstream" in html
    assert '<a class="button" href="/today/">' in html


def test_a_settled_red_flag_result_no_longer_says_paused(patient, patient_client, clinician):
    response = screen(patient, trauma=True)
    actions.mark_reviewed(response, clinician)
    html = patient_client.get(f"/screening/{response.pk}/").content.decode()
    assert "Get checked by a doctor today" in html
    assert "Your clinician reviewed this" in html
    assert "Stretch suggestions are paused" not in html


def test_another_patients_result_is_404(patient, other_patient, client, clinician):
    response = screen(patient, bladder_bowel=True)
    client.force_login(other_patient)
    assert client.get(f"/screening/{response.pk}/").status_code == 404
    assert client.get(f"/screening/{uuid.uuid4()}/").status_code == 404
    sign_in(client, clinician)
    assert client.get(f"/screening/{response.pk}/").status_code == 404


def test_history_lists_earlier_screenings(patient, patient_client):
    screen(patient)
    screen(patient, night_pain=True)
    html = patient_client.get("/screening/").content.decode()
    assert html.count('<span class="pill">Your hips are probably not the main part of this</span>') == 2
    assert "Your last screening" in html and "with answers that need checking" in html


def test_today_shows_the_red_flag_banner_until_settled(patient, patient_client, clinician):
    assert 'class="banner red-flag-banner' not in patient_client.get("/today/").content.decode()

    flagged = screen(patient, leg_weakness=True)
    html = patient_client.get("/today/").content.decode()
    assert 'role="alert"' in html
    assert "Go to an emergency department now" in html
    assert "weakness in the legs that is getting worse" in html
    assert f'href="/screening/{flagged.pk}/"' in html

    actions.mark_reviewed(flagged, clinician)
    assert 'class="banner red-flag-banner' not in patient_client.get("/today/").content.decode()

    screen(patient, fever_unwell=True)
    assert "Get checked by a doctor today" in patient_client.get("/today/").content.decode()
    screen(patient)
    assert 'class="banner red-flag-banner' not in patient_client.get("/today/").content.decode()
