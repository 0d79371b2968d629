"""An urgent red flag's honest way out: the patient records that a doctor has checked it.

POST /api/v1/screening/doctor-checked/ and the form on the result page go through
one action. It lifts the pause on stretch suggestions, but the flag stays
unreviewed for the clinician until they review it. Emergency flags never lift
this way, and every refusal changes nothing.
"""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError
from django.db.models import Exists, OuterRef

from accounts.models import User
from screening import actions
from screening.models import ScreeningResponse
from screening.status import red_flag_banner, stretches_paused
from tests.factories import PatientFactory
from tests.screening_answers import EMERGENCY_FLAGS, RED_FLAGS, answers

pytestmark = pytest.mark.django_db

DOCTOR_CHECKED = "/api/v1/screening/doctor-checked/"
URGENT_FLAGS = [flag for flag in RED_FLAGS if flag not in EMERGENCY_FLAGS]
# Every column a refused request must leave as it was.
STATE = ["reviewed_at", "doctor_checked_on", "pause_lifted_at", "pause_lifted_by_id", "pause_lifted_how"]


def screen(patient, **given):
    return actions.record_screening(patient, "hip-pattern-v1", answers(**given))


def state(patient):
    return list(ScreeningResponse.objects.for_patient(patient).order_by("created_at").values_list(*STATE))


def checked(api, checked_on):
    return api.post(DOCTOR_CHECKED, {"checked_on": checked_on}, format="json")


def unreviewed(patient):
    return ScreeningResponse.objects.unreviewed().filter(patient=patient).first()


# --- accepted for every urgent flag ----------------------------------------------------


@pytest.mark.parametrize("flag", URGENT_FLAGS)
def test_a_doctors_check_lifts_the_pause_of_each_urgent_flag(patient, patient_api, flag):
    response = screen(patient, **{flag: True})
    today = patient.local_today()
    assert stretches_paused(patient)

    reply = checked(patient_api, today.isoformat())

    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert body["id"] == str(response.pk)
    assert body["doctor_checked_on"] == today.isoformat()
    assert body["pause_lifted_how"] == "doctor_checked"
    assert body["pause_lifted_at"] is not None
    assert body["reviewed_at"] is None
    response.refresh_from_db()
    assert (response.doctor_checked_on, response.pause_lifted_by, response.pause_lifted_how) == (
        today,
        patient,
        "doctor_checked",
    )
    assert not stretches_paused(patient)
    assert red_flag_banner(patient) is None
    # Still a red flag for the clinician, marked as checked by a doctor, until they review it.
    assert unreviewed(patient) == response


def test_the_day_of_the_screening_is_accepted(patient, patient_api):
    response = screen(patient, cancer_history=True)
    assert checked(patient_api, response.screened_on.isoformat()).status_code == 200


def test_a_clinician_still_reviews_after_a_doctors_check(patient, patient_api, clinician):
    response = screen(patient, cancer_history=True)
    checked(patient_api, patient.local_today().isoformat())

    assert actions.mark_reviewed(response, clinician) is True

    response.refresh_from_db()
    assert response.reviewed_by == clinician
    assert response.pause_lifted_how == "doctor_checked"  # the first lift stands
    assert unreviewed(patient) is None


# --- refused, and nothing changes -------------------------------------------------------


@pytest.mark.parametrize("flag", EMERGENCY_FLAGS)
def test_each_emergency_flag_is_refused(patient, patient_api, flag):
    screen(patient, **{flag: True})
    before = state(patient)

    reply = checked(patient_api, patient.local_today().isoformat())

    assert reply.status_code == 400
    assert "emergency department" in reply.json()["checked_on"][0]
    assert state(patient) == before
    assert stretches_paused(patient)


def test_an_emergency_and_an_urgent_flag_together_are_refused(patient, patient_api):
    screen(patient, saddle_numbness=True, cancer_history=True)
    before = state(patient)
    assert checked(patient_api, patient.local_today().isoformat()).status_code == 400
    assert state(patient) == before


@pytest.mark.parametrize(
    "value",
    ["14/03/2026", "2026-02-30", "yesterday", "", None, 20260314, "2026-03-14T10:00:00"],
)
def test_a_malformed_date_is_400_naming_checked_on(patient, patient_api, value):
    screen(patient, weight_loss=True)
    before = state(patient)
    reply = checked(patient_api, value)
    assert reply.status_code == 400
    assert list(reply.json()) == ["checked_on"]
    assert state(patient) == before
    assert stretches_paused(patient)


def test_a_missing_date_is_400_naming_checked_on(patient, patient_api):
    screen(patient, weight_loss=True)
    reply = patient_api.post(DOCTOR_CHECKED, {}, format="json")
    assert reply.status_code == 400
    assert list(reply.json()) == ["checked_on"]
    assert stretches_paused(patient)


def test_the_future_is_the_patients_own_tomorrow(patient_api, patient):
    # 20:00 in London is already the next morning in Auckland.
    patient.timezone = "Pacific/Auckland"
    patient.save()
    with time_machine.travel(dt.datetime(2026, 3, 10, 20, 0, tzinfo=dt.UTC)):
        screen(patient, night_pain=True)
        before = state(patient)
        future = checked(patient_api, "2026-03-12")
        assert future.status_code == 400
        assert "in the future" in future.json()["checked_on"][0]
        assert state(patient) == before
        assert checked(patient_api, "2026-03-11").status_code == 200


def test_a_day_before_the_screening_is_refused(patient, patient_api):
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)):
        screen(patient, trauma=True)
    before = state(patient)
    reply = checked(patient_api, "2026-03-09")
    assert reply.status_code == 400
    assert "before your screening on 10 March 2026" in reply.json()["checked_on"][0]
    assert state(patient) == before


def test_no_screening_or_no_red_flag_is_refused(patient, patient_api):
    today = patient.local_today().isoformat()
    reply = checked(patient_api, today)
    assert reply.status_code == 400
    assert "not taken the screening" in reply.json()["checked_on"][0]

    screen(patient, sitting_worse=True)
    before = state(patient)
    reply = checked(patient_api, today)
    assert reply.status_code == 400
    assert "raised no red flag" in reply.json()["checked_on"][0]
    assert state(patient) == before


def test_a_second_report_changes_nothing(patient, patient_api):
    screen(patient, fever_unwell=True)
    today = patient.local_today()
    assert checked(patient_api, today.isoformat()).status_code == 200
    before = state(patient)
    assert checked(patient_api, today.isoformat()).status_code == 400
    assert state(patient) == before


def test_an_urgent_flag_reviewed_already_has_nothing_to_lift(patient, patient_api, clinician):
    actions.mark_reviewed(screen(patient, fever_unwell=True), clinician)
    before = state(patient)
    assert checked(patient_api, patient.local_today().isoformat()).status_code == 400
    assert state(patient) == before


def test_anonymous_and_clinicians_are_refused(patient, anon_api, clinician_api):
    screen(patient, cancer_history=True)
    before = state(patient)
    today = patient.local_today().isoformat()
    assert checked(anon_api, today).status_code in (401, 403)
    assert checked(clinician_api, today).status_code == 403
    assert state(patient) == before


def test_it_only_ever_touches_my_own_screening(patient, other_patient, other_api):
    screen(patient, cancer_history=True)
    before = state(patient)
    assert checked(other_api, other_patient.local_today().isoformat()).status_code == 400
    assert state(patient) == before


def test_the_database_refuses_a_doctors_check_on_an_emergency_flag(patient):
    response = screen(patient, bladder_bowel=True)
    with pytest.raises(IntegrityError):
        ScreeningResponse.objects.filter(pk=response.pk).update(
            doctor_checked_on=patient.local_today(), pause_lifted_how="doctor_checked"
        )


# --- how every pause lifted is written down ---------------------------------------------


def test_a_clinician_review_records_who_lifted_the_pause(patient, clinician):
    response = screen(patient, leg_weakness=True)
    actions.mark_reviewed(response, clinician)
    response.refresh_from_db()
    assert (response.pause_lifted_how, response.pause_lifted_by) == ("clinician_review", clinician)
    assert response.pause_lifted_at == response.reviewed_at


def test_a_later_clear_screening_records_the_lift_on_the_red_flag(patient):
    flagged = screen(patient, bilateral_sciatica=True)
    clear = screen(patient)
    flagged.refresh_from_db()
    assert (flagged.pause_lifted_how, flagged.pause_lifted_by) == ("clear_screening", patient)
    assert flagged.pause_lifted_at == clear.created_at
    assert clear.pause_lifted_at is None


def test_a_later_red_flag_takes_the_pause_over_without_lifting_it(patient):
    first = screen(patient, trauma=True)
    screen(patient, bladder_bowel=True)
    first.refresh_from_db()
    assert first.pause_lifted_at is None
    assert red_flag_banner(patient)["urgency"] == "emergency"


def test_reviewing_an_older_flag_records_no_lift(patient, clinician):
    older = screen(patient, trauma=True)
    screen(patient, trauma=True)
    actions.mark_reviewed(older, clinician)
    older.refresh_from_db()
    assert older.reviewed_by == clinician and older.pause_lifted_at is None


def test_the_unreviewed_and_unsettled_rules_tell_flagged_and_paused_apart_in_one_query(
    patient, other_patient, patient_api, django_assert_num_queries
):
    screen(patient, cancer_history=True)
    checked(patient_api, patient.local_today().isoformat())
    screen(other_patient, bladder_bowel=True)
    PatientFactory(username="quinn")

    def patient_of(queryset):
        return Exists(queryset.filter(patient=OuterRef("pk")))

    with django_assert_num_queries(1):
        rows = (
            User.objects.filter(role="patient")
            .annotate(
                red_flag=patient_of(ScreeningResponse.objects.unreviewed()),
                paused=patient_of(ScreeningResponse.objects.unsettled()),
            )
            .values_list("username", "red_flag", "paused")
        )
        flags = {name: (red_flag, paused) for name, red_flag, paused in rows}
    assert flags == {"pat": (True, False), "olive": (True, True), "quinn": (False, False)}


# --- the page form --------------------------------------------------------------------


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


def test_the_result_page_offers_the_form_for_an_urgent_flag(patient, patient_client):
    response = screen(patient, cancer_history=True)
    html = patient_client.get(f"/screening/{response.pk}/").content.decode()
    assert 'id="doctor-checked"' in html
    assert 'type="date" id="checked_on" name="checked_on"' in html
    today = patient.local_today().isoformat()
    assert f'min="{response.screened_on.isoformat()}" max="{today}"' in html
    # The pause notice on /today/ links to it.
    assert (
        f'href="/screening/{response.pk}/#doctor-checked"' in patient_client.get("/today/").content.decode()
    )


def test_no_form_for_an_emergency_flag(patient, patient_client):
    response = screen(patient, leg_weakness=True)
    html = patient_client.get(f"/screening/{response.pk}/").content.decode()
    assert 'name="checked_on"' not in html
    assert "#doctor-checked" not in patient_client.get("/today/").content.decode()


def test_the_form_lifts_the_pause_and_the_page_says_so(patient, patient_client):
    response = screen(patient, weight_loss=True)
    today = patient.local_today()

    reply = patient_client.post(f"/screening/{response.pk}/", {"checked_on": today.isoformat()}, follow=True)

    html = reply.content.decode()
    assert reply.redirect_chain == [(f"/screening/{response.pk}/", 302)]
    assert "Stretch suggestions are back on." in html
    assert "The pause on stretch suggestions is lifted." in html
    assert 'name="checked_on"' not in html
    response.refresh_from_db()
    assert response.doctor_checked_on == today
    assert not stretches_paused(patient)


@pytest.mark.parametrize("value", ["", "not-a-date", "2999-01-01"])
def test_a_bad_date_on_the_form_is_explained_and_changes_nothing(patient, patient_client, value):
    response = screen(patient, weight_loss=True)
    before = state(patient)
    reply = patient_client.post(f"/screening/{response.pk}/", {"checked_on": value})
    assert reply.status_code == 400
    html = reply.content.decode()
    assert 'id="checked_on-error"' in html and 'aria-invalid="true"' in html
    assert state(patient) == before


def test_the_form_on_an_older_result_does_not_lift_a_newer_flag(patient, patient_client):
    older = screen(patient, weight_loss=True)
    screen(patient, night_pain=True)
    before = state(patient)
    reply = patient_client.post(f"/screening/{older.pk}/", {"checked_on": patient.local_today().isoformat()})
    assert reply.status_code == 400
    assert state(patient) == before
