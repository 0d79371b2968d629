"""Bad input never reaches a 500: deep nesting, text that is not Unicode, and services that are down."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client

from accounts.models import User
from checkins.models import CheckIn
from tests.screening_answers import answers

pytestmark = pytest.mark.django_db

DEEP = "[" * 20000 + "]" * 20000
REGISTER = {"username": "newpatient", "email": "new@example.org", "password": "stretch-the-hips-daily"}


def post_raw(api, path, body, method="post"):
    return getattr(api, method)(path, body, content_type="application/json")


@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/auth/register/"])
def test_deeply_nested_json_to_the_anonymous_endpoints_is_a_400(anon_api, path):
    response = post_raw(anon_api, path, DEEP)
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


@pytest.mark.parametrize(
    "path, method",
    [
        ("/api/v1/checkins/", "post"),
        ("/api/v1/me/", "patch"),
        ("/api/v1/screening/responses/", "post"),
        ("/api/v1/flares/", "post"),
    ],
)
@pytest.mark.parametrize("body", [DEEP, '{"a":' * 40 + "1" + "}" * 40])
def test_deeply_nested_json_is_a_400_and_writes_nothing(patient_api, path, method, body):
    response = post_raw(patient_api, path, body, method)
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_a_lone_surrogate_timezone_on_register_is_a_400(anon_api):
    body = '{"username": "newpatient", "email": "new@example.org", "password": "stretch-the-hips-daily", "timezone": "\\ud800"}'
    response = post_raw(anon_api, "/api/v1/auth/register/", body)
    assert response.status_code == 400
    response.json()  # the error body is valid JSON
    assert not User.objects.exists()


@pytest.mark.parametrize("field", ["timezone", "display_name"])
def test_a_lone_surrogate_in_my_profile_is_a_400(patient_api, patient, field):
    response = post_raw(patient_api, "/api/v1/me/", '{"' + field + '": "Europe/\\udfff"}', "patch")
    assert response.status_code == 400
    patient.refresh_from_db()
    assert patient.timezone == "Europe/London" and patient.display_name == ""


def test_a_lone_surrogate_as_a_screening_answer_id_is_a_400(patient_api):
    import json

    body = json.dumps({"version": "hip-pattern-v1", "answers": {**answers(), "\ud800": True}})
    assert "\\ud800" in body
    response = post_raw(patient_api, "/api/v1/screening/responses/", body)
    assert response.status_code == 400


def test_a_lone_surrogate_in_a_check_in_note_is_a_400(patient_api):
    response = post_raw(
        patient_api, "/api/v1/checkins/", '{"back_pain": 3, "hip_pain": 4, "note": "\\ud83d"}'
    )
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_paired_surrogates_are_ordinary_text(patient_api):
    response = post_raw(
        patient_api, "/api/v1/checkins/", '{"back_pain": 3, "hip_pain": 4, "note": "\\ud83d\\ude00 ok"}'
    )
    assert response.status_code == 201
    assert CheckIn.objects.get().note == "\U0001f600 ok"


def test_the_renderer_writes_text_that_is_not_unicode_with_escapes():
    from vida.renderers import JSONRenderer

    assert JSONRenderer().render({"x": ["\ud800", "é"]}) == b'{"x":["\\ud800","\\u00e9"]}'


# --- a database that is down -------------------------------------------------------------------------


def database_down(*args, **kwargs):
    raise OperationalError("could not connect to server: Connection refused")


def test_the_api_answers_503_json_with_retry_after_when_the_database_is_down(patient_api, monkeypatch):
    monkeypatch.setattr("checkins.actions.create_checkin", database_down)
    patient_api.raise_request_exception = False
    response = patient_api.post("/api/v1/checkins/", {"back_pain": 3, "hip_pain": 4}, format="json")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response["Content-Type"] == "application/json"
    assert "try again" in response.json()["detail"]


def test_a_page_answers_a_plain_503_when_the_database_is_down_even_for_the_session(patient, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(patient)
    monkeypatch.setattr(SessionStore, "load", database_down)
    response = client.get("/today/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert b"Back in a moment" in response.content


def test_other_server_errors_stay_500(patient_api, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("checkins.actions.create_checkin", broken)
    patient_api.raise_request_exception = False
    response = patient_api.post("/api/v1/checkins/", {"back_pain": 3, "hip_pain": 4}, format="json")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}
