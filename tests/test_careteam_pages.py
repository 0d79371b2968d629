"""The care-team pages through Django's test client: /clinic/, a patient's record, the sharing settings."""

import pytest
from django.test import Client

from careteam.models import AccessLogEntry, CareLink, ClinicianNote, ShareCode
from checkins.models import CheckIn
from screening import actions as screening_actions
from screening import status as screening_status
from tests.careteam_helpers import link
from tests.factories import TEST_PASSWORD, CheckInFactory, ClinicianFactory, PatientFactory, days_ago
from tests.screening_answers import answers
from tests.security_helpers import sign_in

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def doctor(clinician):
    return signed_in(clinician)


@pytest.fixture
def me(patient):
    return signed_in(patient)


def record_url(patient, rest=""):
    return f"/clinic/patients/{patient.public_id}/{rest}"


def test_a_clinician_lands_on_the_clinic(doctor):
    response = doctor.get("/")
    assert response.status_code == 302 and response["Location"] == "/clinic/"
    html = doctor.get("/clinic/").content.decode()
    assert '<a href="/clinic/" aria-current="page">Clinic</a>' in html
    assert 'name="code"' in html


def test_patients_and_others_get_no_clinic(me, client):
    assert me.get("/clinic/").status_code == 404
    assert client.get("/clinic/").status_code == 302  # to log in


def test_the_list_shows_each_flag_in_words_worst_first(doctor, clinician):
    worse = PatientFactory(display_name="Worse")
    link(clinician, worse)
    for n in range(13, -1, -1):
        CheckInFactory(patient=worse, date=days_ago(worse, n), back_pain=3 if n >= 7 else 6)
    flagged = PatientFactory(display_name="Flagged")
    link(clinician, flagged)
    CheckInFactory(patient=flagged)
    screening_actions.record_screening(flagged, "hip-pattern-v1", answers(trauma=True))
    silent = PatientFactory(display_name="Silent")
    link(clinician, silent)
    html = doctor.get("/clinic/").content.decode()
    assert html.index("Flagged") < html.index("Worse") < html.index("Silent")
    for words in ("red flag", "worsening", "no recent check-in"):
        assert f">{words}</li>" in html
    filtered = doctor.get("/clinic/?flag=worsening").content.decode()
    assert "Worse" in filtered and "Flagged" not in filtered


def test_redeeming_a_code_on_the_page_links_and_opens_the_record(doctor, patient):
    code = ShareCode.objects.create(patient=patient, code="K7QH3MXA", expires_at="2099-01-01T00:00Z").code
    response = doctor.post("/clinic/links/", {"code": code[:4] + "-" + code[4:]})
    assert response.status_code == 302 and response["Location"] == record_url(patient)
    assert CareLink.objects.active().filter(patient=patient).exists()


def test_a_bad_code_on_the_page_says_why_and_keeps_what_was_typed(doctor):
    response = doctor.post("/clinic/links/", {"code": "ABCD3467"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "No share code like this exists" in html and 'value="ABCD3467"' in html


def test_a_patient_cannot_post_a_code(me, other_patient):
    share = ShareCode.objects.create(patient=other_patient, code="K7QH3MXB", expires_at="2099-01-01T00:00Z")
    assert me.post("/clinic/links/", {"code": share.code}).status_code == 404
    share.refresh_from_db()
    assert share.used_at is None


def test_the_record_page_is_only_for_a_linked_clinician(doctor, clinician, patient, me):
    assert doctor.get(record_url(patient)).status_code == 404
    assert signed_in(ClinicianFactory()).get(record_url(patient)).status_code == 404
    assert me.get(record_url(patient)).status_code == 404
    link(clinician, patient)
    CheckInFactory(patient=patient)
    response = doctor.get(record_url(patient))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="history-chart"' in html and "Screening history" in html and "Your private notes" in html
    assert AccessLogEntry.objects.filter(patient=patient, what="record").count() == 1


def test_notes_on_the_page(doctor, clinician, patient):
    link(clinician, patient)
    assert doctor.post(record_url(patient, "notes/"), {"text": ""}).status_code == 400
    response = doctor.post(record_url(patient, "notes/"), {"text": "x" * 5001})
    assert response.status_code == 400 and "5,000" in response.content.decode()
    assert (
        doctor.post(record_url(patient, "notes/"), {"text": "Hip leads; keep hip work."}).status_code == 302
    )
    assert "Hip leads; keep hip work." in doctor.get(record_url(patient)).content.decode()
    assert ClinicianNote.objects.count() == 1


def test_marking_a_red_flag_reviewed_lifts_the_pause_and_the_patient_is_told(doctor, clinician, patient, me):
    link(clinician, patient)
    response = screening_actions.record_screening(patient, "hip-pattern-v1", answers(saddle_numbness=True))
    assert "Mark red flag reviewed" in doctor.get(record_url(patient)).content.decode()
    assert doctor.post(record_url(patient, "review/")).status_code == 302
    assert not screening_status.stretches_paused(patient)
    result = me.get(f"/screening/{response.pk}/").content.decode()
    assert "Your clinician reviewed this on" in result


def test_clinic_query_count_does_not_grow_with_patients(doctor, clinician, django_assert_max_num_queries):
    def add(n, zone):
        for _ in range(n):
            patient = PatientFactory(timezone=zone)
            link(clinician, patient)
            CheckInFactory(patient=patient)

    add(3, "Europe/London")
    # The session, the user, their authenticator; the zones, the count, the page, the access-log
    # INSERT; the notices; the idle-timeout session save (a savepoint, an UPDATE, its release).
    with django_assert_max_num_queries(11) as few:
        assert doctor.get("/clinic/").status_code == 200
    add(30, "Asia/Tokyo")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert doctor.get("/clinic/").status_code == 200


# --- the patient's sharing settings --------------------------------------------------------------------------


def test_making_a_code_in_settings_shows_it(me, patient):
    response = me.post("/settings/share-code/", follow=True)
    code = ShareCode.objects.get(patient=patient).code
    assert code in response.content.decode()


def test_settings_list_linked_clinicians_and_unlink_them(me, patient, clinician):
    link(clinician, patient)
    html = me.get("/settings/").content.decode()
    assert str(clinician) in html and f"/settings/clinicians/{clinician.public_id}/unlink/" in html
    me.post(f"/settings/clinicians/{clinician.public_id}/unlink/")
    assert not CareLink.objects.active().exists()


def test_settings_group_repeated_reads_of_one_day(me, patient, clinician):
    link(clinician, patient)
    doctor = signed_in(clinician)
    for _ in range(3):
        doctor.get(f"/api/v1/clinician/patients/{patient.public_id}/trends/")
    html = me.get("/settings/").content.decode()
    assert f"{clinician} read your trends (3 times)" in html


def test_deleting_my_account_in_settings(me, patient):
    CheckInFactory(patient=patient)
    response = me.post("/settings/delete/", {"password": "not it"})
    assert response.status_code == 400 and "nothing was deleted" in response.content.decode()
    assert CheckIn.objects.filter(patient=patient).exists()
    response = me.post("/settings/delete/", {"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert not CheckIn.objects.exists()
    assert me.get("/today/").status_code == 302  # signed out


def test_the_list_says_when_a_patient_reports_a_doctor_checked_the_flag(doctor, clinician, patient):
    link(clinician, patient)
    screening_actions.record_screening(patient, "hip-pattern-v1", answers(weight_loss=True))
    screening_actions.record_doctor_checked(patient, patient.local_today())
    html = doctor.get("/clinic/").content.decode()
    assert "patient reports checked on" in html
    assert (
        f'<time datetime="{patient.local_today().isoformat()}">{patient.local_today():%-d %b %Y}</time>'
        in html
    )
    assert ">red flag</li>" in html
