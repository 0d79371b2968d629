"""Sharing a record with a clinician through the API: codes, links, the clinician's endpoints, the
access log, export and deletion. Personas: the patient, their clinician, another clinician, another
patient, anonymous."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.apps import apps
from fhir.resources.R4B.bundle import Bundle

from careteam.actions import make_share_code
from careteam.models import CODE_ALPHABET, AccessLogEntry, CareLink, ShareCode
from checkins.models import CheckIn
from screening import actions as screening_actions
from screening import status as screening_status
from tests.careteam_helpers import link
from tests.concurrency import race
from tests.conftest import client_for
from tests.factories import (
    TEST_PASSWORD,
    CheckInFactory,
    ClinicianFactory,
    FlareFactory,
    PatientFactory,
    days_ago,
)
from tests.screening_answers import answers
from tests.stretch_factories import StretchSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(clinician, patient):
    return link(clinician, patient)


@pytest.fixture
def other_clinician(db):
    return ClinicianFactory(username="dr.other")


def patient_url(patient, rest=""):
    return f"/api/v1/clinician/patients/{patient.public_id}/{rest}"


# --- share codes and links -----------------------------------------------------------------------------


def test_a_patient_makes_an_eight_character_single_use_code_for_seven_days(patient_api, patient):
    response = patient_api.post("/api/v1/me/share-codes/")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"code", "expires_at"}
    assert len(body["code"]) == 8 and set(body["code"]) <= set(CODE_ALPHABET)
    share = ShareCode.objects.get(code=body["code"])
    assert share.patient == patient
    assert dt.timedelta(days=6, hours=23) < share.expires_at - share.created_at <= dt.timedelta(days=7)


def test_a_clinician_redeems_a_code_and_the_patient_is_on_their_list(clinician_api, patient_api, patient):
    code = patient_api.post("/api/v1/me/share-codes/").json()["code"]
    response = clinician_api.post("/api/v1/clinician/links/", {"code": code.lower()}, format="json")
    assert response.status_code == 201
    assert response.json()["patient"] == {"id": str(patient.public_id), "display_name": str(patient)}
    listed = clinician_api.get("/api/v1/clinician/patients/").json()
    assert [row["id"] for row in listed["results"]] == [str(patient.public_id)]


def test_a_used_code_is_refused_with_the_reason(clinician_api, other_clinician, patient):
    share = make_share_code(patient)
    assert (
        clinician_api.post("/api/v1/clinician/links/", {"code": share.code}, format="json").status_code == 201
    )
    response = client_for(other_clinician).post(
        "/api/v1/clinician/links/", {"code": share.code}, format="json"
    )
    assert response.status_code == 400
    assert "used" in response.json()["code"][0]
    assert not CareLink.objects.filter(clinician=other_clinician).exists()


def test_an_expired_code_is_refused_with_the_reason(clinician, patient):
    share = make_share_code(patient)
    with time_machine.travel(share.expires_at + dt.timedelta(seconds=1)):
        response = client_for(clinician).post("/api/v1/clinician/links/", {"code": share.code}, format="json")
    assert response.status_code == 400
    assert "expired" in response.json()["code"][0]
    assert not CareLink.objects.exists()


@pytest.mark.parametrize(
    "code", ["ABCDEFGH", "K7QH3MX", "", "K7QH3MXAB", "00000000", "ÄÖÜ12345", "\\ud800" * 8]
)
def test_unknown_or_malformed_codes_are_refused(clinician_api, code):
    body = '{"code": "' + code + '"}'  # raw JSON, so "\\ud800" arrives as a lone surrogate
    response = clinician_api.post("/api/v1/clinician/links/", body, content_type="application/json")
    assert response.status_code == 400
    assert "code" in response.json()
    assert not CareLink.objects.exists()


@pytest.mark.parametrize("body", [{}, {"code": 12345678}, {"code": None}, {"code": ["ABCDEFGH"]}, []])
def test_a_body_of_the_wrong_shape_is_a_400(clinician_api, body):
    response = clinician_api.post("/api/v1/clinician/links/", body, format="json")
    assert response.status_code == 400


def test_a_patient_cannot_redeem_and_the_code_stays_unused(patient, other_api):
    share = make_share_code(patient)
    response = other_api.post("/api/v1/clinician/links/", {"code": share.code}, format="json")
    assert response.status_code == 403
    share.refresh_from_db()
    assert share.used_at is None


def test_redeeming_for_an_already_linked_patient_is_a_conflict_and_keeps_the_code(
    clinician_api, linked, patient
):
    share = make_share_code(patient)
    response = clinician_api.post("/api/v1/clinician/links/", {"code": share.code}, format="json")
    assert response.status_code == 409
    share.refresh_from_db()
    assert share.used_at is None
    assert CareLink.objects.active().count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_clinicians_redeeming_one_code_at_once_make_one_link():
    patient = PatientFactory()
    first, second = ClinicianFactory(), ClinicianFactory()
    apis = [client_for(first), client_for(second)]
    for _attempt in range(5):
        CareLink.objects.all().delete()
        body = {"code": make_share_code(patient).code}
        responses = race(
            [
                lambda api=api, body=body: api.post("/api/v1/clinician/links/", body, format="json")
                for api in apis
            ]
        )
        assert sorted(r.status_code for r in responses) == [201, 400]
        assert CareLink.objects.count() == 1


# --- my clinicians, unlinking ----------------------------------------------------------------------------


def test_i_see_who_can_see_my_data_and_unlink_them_at_once(
    patient_api, clinician, clinician_api, linked, patient
):
    listed = patient_api.get("/api/v1/me/clinicians/").json()
    assert [c["id"] for c in listed] == [str(clinician.public_id)]
    assert listed[0]["display_name"] == str(clinician)
    assert clinician_api.get(patient_url(patient, "trends/")).status_code == 200
    assert patient_api.delete(f"/api/v1/me/clinicians/{clinician.public_id}/").status_code == 204
    assert patient_api.get("/api/v1/me/clinicians/").json() == []
    assert clinician_api.get(patient_url(patient, "trends/")).status_code == 404
    assert clinician_api.get("/api/v1/clinician/patients/").json()["results"] == []
    assert patient_api.delete(f"/api/v1/me/clinicians/{clinician.public_id}/").status_code == 404


def test_unlinking_someone_elses_clinician_is_a_404(other_api, clinician, linked):
    assert other_api.delete(f"/api/v1/me/clinicians/{clinician.public_id}/").status_code == 404
    assert CareLink.objects.active().count() == 1


def test_a_new_code_relinks_after_unlinking(clinician, clinician_api, linked, patient, patient_api):
    patient_api.delete(f"/api/v1/me/clinicians/{clinician.public_id}/")
    code = patient_api.post("/api/v1/me/share-codes/").json()["code"]
    assert clinician_api.post("/api/v1/clinician/links/", {"code": code}, format="json").status_code == 201
    assert CareLink.objects.filter(clinician=clinician, patient=patient).count() == 2
    assert CareLink.objects.active().count() == 1


# --- the access matrix -------------------------------------------------------------------------------------

CLINICIAN_READS = [
    ("get", "trends/", 200),
    ("get", "notes/", 200),
    ("post", "notes/", 201),
    ("post", "review/", 400),  # no red flag to review: still an answer only a linked clinician gets
    ("get", "export/?format=csv", 200),
    ("get", "export/?format=fhir", 200),
]


@pytest.mark.parametrize(("method", "rest", "expected"), CLINICIAN_READS)
def test_clinician_endpoints_answer_only_the_linked_clinician(
    method, rest, expected, linked, patient, clinician, other_clinician, other_patient
):
    url = patient_url(patient, rest)
    body = {"text": "Seen today."} if method == "post" else None

    def call(user):
        return getattr(client_for(user), method)(url, body, format="json").status_code

    assert call(clinician) == expected
    assert call(other_clinician) == 404
    assert call(patient) == 403
    assert call(other_patient) == 403
    assert call(None) == 401


@pytest.mark.parametrize(("method", "rest", "expected"), CLINICIAN_READS)
def test_an_unknown_patient_id_is_a_404_like_an_unlinked_one(method, rest, expected, clinician_api, linked):
    response = getattr(clinician_api, method)(
        f"/api/v1/clinician/patients/7f4a3c1e-0000-4000-8000-000000000000/{rest}", {}, format="json"
    )
    assert response.status_code == 404


def test_another_patients_id_is_a_404_even_with_a_linked_one(clinician_api, linked, other_patient):
    assert clinician_api.get(patient_url(other_patient, "trends/")).status_code == 404
    assert AccessLogEntry.objects.filter(patient=other_patient).count() == 0


ME_ENDPOINTS = [
    ("post", "/api/v1/me/share-codes/", 201),
    ("get", "/api/v1/me/clinicians/", 200),
    ("get", "/api/v1/me/access-log/", 200),
    ("get", "/api/v1/me/export/", 200),
]


@pytest.mark.parametrize(("method", "url", "expected"), ME_ENDPOINTS)
def test_me_endpoints_serve_only_patients(method, url, expected, patient, clinician):
    assert getattr(client_for(patient), method)(url).status_code == expected
    assert getattr(client_for(clinician), method)(url).status_code == 403
    assert getattr(client_for(None), method)(url).status_code == 401


def test_the_clinician_list_is_for_clinicians(patient_api, anon_api):
    assert patient_api.get("/api/v1/clinician/patients/").status_code == 403
    assert anon_api.get("/api/v1/clinician/patients/").status_code == 401


# --- the access log -----------------------------------------------------------------------------------------


def test_every_clinician_read_is_in_the_patients_access_log_newest_first(
    clinician, clinician_api, linked, patient, patient_api
):
    clinician_api.get("/api/v1/clinician/patients/")
    clinician_api.get(patient_url(patient, "trends/"))
    clinician_api.get(patient_url(patient, "export/?format=fhir"))
    log = patient_api.get("/api/v1/me/access-log/").json()["results"]
    assert [entry["what"] for entry in log] == ["export_fhir", "trends", "list"]
    assert {entry["who"] for entry in log} == {str(clinician)}
    assert all(set(entry) >= {"who", "what", "at"} for entry in log)


def test_my_access_log_holds_only_my_reads(clinician, clinician_api, linked, other_patient, other_api):
    link(clinician, other_patient)
    clinician_api.get("/api/v1/clinician/patients/")
    assert len(other_api.get("/api/v1/me/access-log/").json()["results"]) == 1


# --- the clinic list ------------------------------------------------------------------------------------------


def patient_with(clinician, *, name, weeks=None, red_flag=False, silent=False):
    """A linked patient whose last two weeks are ``weeks`` (back pain then, now)."""
    patient = PatientFactory(display_name=name)
    link(clinician, patient)
    first, now = weeks or (4, 4)
    start = 6 if silent else 0
    for n in range(13, start - 1, -1):
        if silent and n < 5:
            continue
        CheckInFactory(
            patient=patient, date=days_ago(patient, n), back_pain=first if n >= 7 else now, hip_pain=3
        )
    if red_flag:
        screening_actions.record_screening(patient, "hip-pattern-v1", answers(night_pain=True))
    return patient


def test_the_list_ranks_worst_first_and_names_each_flag(clinician, clinician_api):
    patient_with(clinician, name="Steady")
    patient_with(clinician, name="Worse", weeks=(3, 6))
    patient_with(clinician, name="Quiet", silent=True)
    patient_with(clinician, name="Flagged", red_flag=True)
    rows = clinician_api.get("/api/v1/clinician/patients/").json()["results"]
    assert [row["display_name"] for row in rows] == ["Flagged", "Worse", "Quiet", "Steady"]
    assert [row["flags"] for row in rows] == [["red_flag"], ["worsening"], ["no_recent_checkin"], []]
    assert rows[1]["summary"]["back_7d_mean"] == 6.0 and rows[1]["summary"]["back_prev_7d_mean"] == 3.0


def test_the_list_filters_by_flag(clinician, clinician_api):
    patient_with(clinician, name="Steady")
    patient_with(clinician, name="Worse", weeks=(3, 6))
    rows = clinician_api.get("/api/v1/clinician/patients/", {"flag": "worsening"}).json()["results"]
    assert [row["display_name"] for row in rows] == ["Worse"]


@pytest.mark.parametrize("flag", ["bad", "RED_FLAG", "%ED%A0%80", "%00"])
def test_an_unknown_flag_is_a_400_naming_flag(clinician_api, flag):
    response = clinician_api.get(f"/api/v1/clinician/patients/?flag={flag}")
    assert response.status_code == 400 and "flag" in response.json()


def test_the_list_is_paginated_by_fifty(clinician, clinician_api):
    for n in range(55):
        link(clinician, PatientFactory(display_name=f"P{n:02d}"))
    first = clinician_api.get("/api/v1/clinician/patients/").json()
    assert first["count"] == 55 and len(first["results"]) == 50 and first["next"]
    second = clinician_api.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert AccessLogEntry.objects.count() == 55  # each patient logged on the page that showed them


def test_the_list_query_count_does_not_grow_with_patients(clinician, django_assert_max_num_queries):
    api = client_for(clinician)
    for _ in range(3):
        patient_with(clinician, name="A", weeks=(3, 6))
    api.get("/api/v1/clinician/patients/")  # prepares the token statement
    with django_assert_max_num_queries(10) as few:
        api.get("/api/v1/clinician/patients/")
    for zone in ("Asia/Tokyo", "America/Denver", "Europe/Berlin"):
        for _ in range(8):
            patient = PatientFactory(timezone=zone)
            link(clinician, patient)
            CheckInFactory(patient=patient)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/clinician/patients/").json()["results"]) == 27


# --- notes, review ---------------------------------------------------------------------------------------------


def test_notes_are_private_to_their_author(clinician_api, other_clinician, linked, patient):
    link(other_clinician, patient)
    assert (
        clinician_api.post(
            patient_url(patient, "notes/"), {"text": "Hip first again."}, format="json"
        ).status_code
        == 201
    )
    notes = clinician_api.get(patient_url(patient, "notes/")).json()["results"]
    assert [note["text"] for note in notes] == ["Hip first again."]
    assert client_for(other_clinician).get(patient_url(patient, "notes/")).json()["results"] == []


@pytest.mark.parametrize("text", ["", "   \n ", "x" * 5001, None, ["a"], {"a": 1}])
def test_a_note_of_nothing_or_too_long_is_a_400(clinician_api, linked, patient, text):
    response = clinician_api.post(patient_url(patient, "notes/"), {"text": text}, format="json")
    assert response.status_code == 400 and "text" in response.json()
    assert not patient.clinician_notes.exists()


def test_a_note_of_exactly_5000_characters_is_kept(clinician_api, linked, patient):
    assert (
        clinician_api.post(patient_url(patient, "notes/"), {"text": "é" * 5000}, format="json").status_code
        == 201
    )


def test_reviewing_a_red_flag_lifts_the_pause(clinician_api, linked, patient):
    screening_actions.record_screening(patient, "hip-pattern-v1", answers(bladder_bowel=True))
    assert screening_status.stretches_paused(patient)
    response = clinician_api.post(patient_url(patient, "review/"))
    assert response.status_code == 200
    assert response.json()["reviewed_at"]
    assert not screening_status.stretches_paused(patient)
    assert clinician_api.post(patient_url(patient, "review/")).status_code == 400  # nothing left to review


# --- exports ----------------------------------------------------------------------------------------------------


def test_fhir_export_is_a_valid_r4_bundle_of_pain_observations(clinician_api, linked, patient):
    CheckInFactory(patient=patient, date=days_ago(patient, 1), back_pain=6, hip_pain=3)
    CheckInFactory(patient=patient, back_pain=2, hip_pain=4)
    screening_actions.record_screening(
        patient, "hip-pattern-v1", answers(front_hip=True, leading_region="hip")
    )
    response = clinician_api.get(patient_url(patient, "export/"), {"format": "fhir"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    bundle = Bundle.model_validate(response.json())
    observations = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "Observation"]
    assert len(observations) == 4
    for observation in observations:
        assert observation.code.coding[0].system == "http://loinc.org"
        assert observation.code.coding[0].code == "72514-3"
        assert observation.subject.reference == f"urn:uuid:{patient.public_id}"
    sites = {(str(o.effectiveDateTime), o.bodySite.coding[0].code): o.valueInteger for o in observations}
    assert sites[(days_ago(patient, 1).isoformat(), "37822005")] == 6
    assert sites[(days_ago(patient, 1).isoformat(), "29836001")] == 3
    responses = [
        e.resource for e in bundle.entry if e.resource.get_resource_type() == "QuestionnaireResponse"
    ]
    assert len(responses) == 1 and responses[0].status == "completed"
    items = {item.linkId: item.answer[0] for item in responses[0].item}
    assert items["front_hip"].valueBoolean is True and items["leading_region"].valueString == "hip"


def test_csv_export_parses_back_with_a_header_row(clinician_api, linked, patient):
    CheckInFactory(
        patient=patient,
        date=days_ago(patient, 1),
        back_pain=6,
        hip_pain=3,
        sitting_hours=7.5,
        note="=SUM(A1)",
    )
    FlareFactory(patient=patient)
    response = clinician_api.get(patient_url(patient, "export/"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["date"] == days_ago(patient, 1).isoformat()
    assert (rows[0]["back_pain"], rows[0]["hip_pain"], rows[0]["sitting_hours"]) == ("6", "3", "7.5")
    assert rows[0]["note"] == "'=SUM(A1)"  # never run as a formula by a spreadsheet


def test_an_unknown_export_format_is_a_400(clinician_api, linked, patient):
    response = clinician_api.get(patient_url(patient, "export/"), {"format": "xml"})
    assert response.status_code == 400


# --- my export and deleting my account ----------------------------------------------------------------------------


def test_my_export_has_all_my_data_and_none_of_anyone_elses(patient_api, patient, other_patient, linked):
    CheckInFactory(patient=patient, note="mine")
    CheckInFactory(patient=other_patient, note="theirs")
    FlareFactory(patient=patient)
    StretchSessionFactory(patient=patient)
    screening_actions.record_screening(patient, "hip-pattern-v1", answers())
    response = patient_api.get("/api/v1/me/export/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    body = response.json()
    assert body["profile"]["username"] == patient.username
    assert [c["note"] for c in body["checkins"]] == ["mine"]
    assert len(body["flares"]) == 1 and len(body["stretch_sessions"]) == 1 and len(body["screenings"]) == 1
    assert len(body["clinicians"]) == 1 and "theirs" not in response.content.decode()


def rows_of(user):
    """Rows in every table of every app that point at ``user`` through a foreign key."""
    counts = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.many_to_one and field.related_model is type(user) and field.concrete:
                found = model._default_manager.filter(**{field.name: user.pk}).count()
                if found:
                    counts[f"{model._meta.label}.{field.name}"] = found
    return counts


def test_deleting_my_account_needs_my_password_and_leaves_no_row(
    patient_api, patient, clinician, clinician_api, linked
):
    CheckInFactory(patient=patient)
    FlareFactory(patient=patient)
    StretchSessionFactory(patient=patient)
    screening_actions.record_screening(patient, "hip-pattern-v1", answers(cancer_history=True))
    clinician_api.post(patient_url(patient, "notes/"), {"text": "note"}, format="json")
    clinician_api.get(patient_url(patient, "trends/"))
    make_share_code(patient)
    assert patient_api.delete("/api/v1/me/", {"password": "wrong"}, format="json").status_code == 400
    assert patient_api.delete("/api/v1/me/", {}, format="json").status_code == 400
    assert CheckIn.objects.filter(patient=patient).exists()
    user_id = patient.pk
    assert patient_api.delete("/api/v1/me/", {"password": TEST_PASSWORD}, format="json").status_code == 204
    patient.pk = user_id
    assert rows_of(patient) == {}
    assert clinician_api.get(patient_url(patient, "trends/")).status_code == 404
    assert patient_api.get("/api/v1/me/").status_code == 401


def test_a_clinician_cannot_delete_their_account_through_the_api(clinician_api):
    assert clinician_api.delete("/api/v1/me/", {"password": TEST_PASSWORD}, format="json").status_code == 403


def test_a_doctor_checked_red_flag_stays_on_the_list_marked_until_reviewed(clinician_api, linked, patient):
    screening_actions.record_screening(patient, "hip-pattern-v1", answers(cancer_history=True))
    day = patient.local_today()
    screening_actions.record_doctor_checked(patient, day)
    assert not screening_status.stretches_paused(patient)
    row = clinician_api.get("/api/v1/clinician/patients/").json()["results"][0]
    assert row["flags"][0] == "red_flag" and row["red_flag_checked_on"] == day.isoformat()
    assert clinician_api.post(patient_url(patient, "review/")).status_code == 200
    row = clinician_api.get("/api/v1/clinician/patients/").json()["results"][0]
    assert "red_flag" not in row["flags"] and row["red_flag_checked_on"] is None
