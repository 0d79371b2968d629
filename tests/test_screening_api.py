"""The screening API: questions, answering, the latest result, and who may see what."""

import uuid

import pytest

from screening import actions
from screening.models import ScreeningResponse
from tests.screening_answers import HIP_PATTERNS, RED_FLAGS, answers

QUESTIONS = "/api/v1/screening/questions/"
RESPONSES = "/api/v1/screening/responses/"
LATEST = "/api/v1/screening/responses/latest/"


pytestmark = pytest.mark.django_db


def body(**given):
    return {"version": "hip-pattern-v1", "answers": answers(**given)}


def detail_url(response_id):
    return f"{RESPONSES}{response_id}/"


# --- Questions --------------------------------------------------------------------------


def test_questions_list_the_current_version_red_flags_first(patient_api):
    response = patient_api.get(QUESTIONS)

    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "hip-pattern-v1"
    assert [section["id"] for section in data["sections"]] == ["red_flags", "hip_pattern"]
    questions = [question for section in data["sections"] for question in section["questions"]]
    assert [question["id"] for question in questions] == [*RED_FLAGS, *HIP_PATTERNS, "leading_region"]
    assert all(question["text"] for question in questions)
    assert {question["type"] for question in questions[:-1]} == {"boolean"}
    assert questions[-1]["type"] == "choice"
    assert [choice["value"] for choice in questions[-1]["choices"]] == ["hip", "back", "together", "unsure"]


def test_clinicians_may_read_the_questions_they_ask_about(clinician_api):
    assert clinician_api.get(QUESTIONS).status_code == 200


def test_questions_need_a_signed_in_person(anon_api):
    assert anon_api.get(QUESTIONS).status_code in (401, 403)


# --- Answering --------------------------------------------------------------------------


def test_answering_stores_the_response_and_returns_the_result(
    patient, patient_api, django_assert_max_num_queries
):
    # Token and user (one query), a savepoint (the test runs in a
    # transaction), lifting an earlier pause, the insert, the release.
    with django_assert_max_num_queries(6):
        response = patient_api.post(
            RESPONSES, body(sitting_worse=True, front_hip=True, leading_region="hip"), format="json"
        )

    assert response.status_code == 201
    data = response.json()
    stored = ScreeningResponse.objects.get(patient=patient)
    assert data["id"] == str(stored.pk)
    assert response["Location"] == detail_url(stored.pk) == data["url"]
    assert data["version"] == "hip-pattern-v1"
    assert data["answers"] == answers(sitting_worse=True, front_hip=True, leading_region="hip")
    assert data["hip_pattern_score"] == 2
    assert data["hip_component"] == "likely"
    assert data["leading_region"] == "hip"
    assert data["red_flags"] == []
    assert data["urgency"] == "none"
    assert data["guidance"] is None
    assert data["explanation"][0] == (
        "Two of the three hip patterns are present, so your hips are likely part of this."
    )
    assert data["reviewed_at"] is None


def test_a_red_flag_answer_returns_its_urgency_and_guidance(patient_api):
    response = patient_api.post(RESPONSES, body(bladder_bowel=True, trauma=True), format="json")

    assert response.status_code == 201
    data = response.json()
    assert data["red_flags"] == ["bladder_bowel", "trauma"]
    assert data["urgency"] == "emergency"
    assert data["guidance"]["title"] == "Go to an emergency department now"
    assert "needs checking" in data["explanation"][0]


def test_retaking_keeps_history_newest_first(patient_api):
    first = patient_api.post(RESPONSES, body(), format="json").json()
    second = patient_api.post(RESPONSES, body(front_hip=True), format="json").json()

    listed = patient_api.get(RESPONSES).json()["results"]
    assert [item["id"] for item in listed] == [second["id"], first["id"]]


def without(name):
    given = answers()
    del given[name]
    return {"version": "hip-pattern-v1", "answers": given}


BAD_BODIES = [
    # (body, the field that must be named, the key inside "answers" that must be named or None)
    (without("saddle_numbness"), "answers", "saddle_numbness"),
    (without("leading_region"), "answers", "leading_region"),
    ({"version": "hip-pattern-v1", "answers": {**answers(), "hip_first": True}}, "answers", "hip_first"),
    (body(front_hip="yes"), "answers", "front_hip"),
    (body(front_hip=1), "answers", "front_hip"),
    (body(trauma=None), "answers", "trauma"),
    (body(leading_region="knee"), "answers", "leading_region"),
    (body(leading_region=True), "answers", "leading_region"),
    ({"version": "hip-pattern-v9", "answers": answers()}, "version", None),
    ({"version": "", "answers": answers()}, "version", None),
    ({"answers": answers()}, "version", None),
    ({"version": "hip-pattern-v1"}, "answers", None),
    ({"version": "hip-pattern-v1", "answers": [True, False]}, "answers", None),
]


@pytest.mark.parametrize(
    ("payload", "field", "question"),
    BAD_BODIES,
    ids=[
        "missing-red-flag",
        "missing-leading-region",
        "unknown-question",
        "string-for-boolean",
        "number-for-boolean",
        "null-for-boolean",
        "unknown-region",
        "boolean-for-region",
        "unknown-version",
        "empty-version",
        "no-version",
        "no-answers",
        "answers-not-an-object",
    ],
)
def test_bad_answers_are_400_naming_the_problem_and_store_nothing(patient_api, payload, field, question):
    response = patient_api.post(RESPONSES, payload, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert field in errors
    if question is not None:
        assert list(errors["answers"]) == [question]
        assert isinstance(errors["answers"][question], list)
    assert ScreeningResponse.objects.count() == 0


def test_empty_answers_name_every_question(patient_api):
    response = patient_api.post(RESPONSES, {"version": "hip-pattern-v1", "answers": {}}, format="json")

    assert response.status_code == 400
    assert list(response.json()["answers"]) == [*RED_FLAGS, *HIP_PATTERNS, "leading_region"]
    assert ScreeningResponse.objects.count() == 0


def test_a_body_that_is_not_an_object_is_400(patient_api):
    response = patient_api.post(RESPONSES, [body()], format="json")
    assert response.status_code == 400
    assert ScreeningResponse.objects.count() == 0


# --- The latest response ----------------------------------------------------------------


def test_latest_is_404_before_the_first_screening(patient_api):
    assert patient_api.get(LATEST).status_code == 404


def test_latest_is_the_newest_response(patient, patient_api, django_assert_max_num_queries):
    actions.record_screening(patient, "hip-pattern-v1", answers(front_hip=True))
    newest = actions.record_screening(patient, "hip-pattern-v1", answers(cancer_history=True))

    with django_assert_max_num_queries(2):  # token and user, the latest row
        response = patient_api.get(LATEST)

    assert response.status_code == 200
    assert response.json()["id"] == str(newest.pk)
    assert response.json()["urgency"] == "urgent"
    assert response.json()["guidance"]["title"] == "Get checked by a doctor today"


# --- Who may see what -------------------------------------------------------------------


def test_another_patients_response_is_404(patient, other_api):
    mine = actions.record_screening(patient, "hip-pattern-v1", answers(saddle_numbness=True))

    assert other_api.get(detail_url(mine.pk)).status_code == 404
    assert other_api.get(LATEST).status_code == 404
    assert other_api.get(RESPONSES).json()["results"] == []


def test_an_unknown_response_id_is_404(patient_api):
    assert patient_api.get(detail_url(uuid.uuid4())).status_code == 404


def test_own_response_by_id(patient, patient_api):
    mine = actions.record_screening(patient, "hip-pattern-v1", answers())
    response = patient_api.get(detail_url(mine.pk))
    assert response.status_code == 200
    assert response.json()["hip_component"] == "unlikely"


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_requests_are_refused(anon_api, method):
    response = getattr(anon_api, method)(RESPONSES, body() if method == "post" else None, format="json")
    assert response.status_code in (401, 403)
    assert anon_api.get(LATEST).status_code in (401, 403)
    assert ScreeningResponse.objects.count() == 0


def test_clinicians_have_no_screening_of_their_own(patient, clinician_api):
    mine = actions.record_screening(patient, "hip-pattern-v1", answers())

    assert clinician_api.post(RESPONSES, body(), format="json").status_code == 403
    assert clinician_api.get(RESPONSES).status_code == 403
    assert clinician_api.get(LATEST).status_code == 403
    assert clinician_api.get(detail_url(mine.pk)).status_code == 403
    assert ScreeningResponse.objects.count() == 1
