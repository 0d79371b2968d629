"""Red flags pause stretches until a later clear screening or a clinician's review settles them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef

from accounts.models import User
from screening import actions
from screening.models import ScreeningResponse
from screening.status import latest_hip_component, red_flag_banner, stretches_paused
from tests.factories import ClinicianFactory
from tests.screening_answers import answers

pytestmark = pytest.mark.django_db


def screen(patient, **given):
    """``patient`` takes the screening with no red flag and no hip pattern, changed by ``given``."""
    return actions.record_screening(patient, "hip-pattern-v1", answers(**given))


def test_nothing_is_paused_before_any_screening(patient):
    assert stretches_paused(patient) is False
    assert red_flag_banner(patient) is None


def test_a_clear_screening_pauses_nothing(patient):
    screen(patient, sitting_worse=True, front_hip=True)
    assert stretches_paused(patient) is False
    assert red_flag_banner(patient) is None


def test_a_red_flag_pauses_stretches_and_raises_the_banner(patient, django_assert_num_queries):
    response = screen(patient, bilateral_sciatica=True, weight_loss=True)

    with django_assert_num_queries(1):
        assert stretches_paused(patient) is True
    with django_assert_num_queries(1):
        banner = red_flag_banner(patient)
    assert banner["urgency"] == "emergency"
    assert banner["title"] == "Go to an emergency department now"
    assert banner["findings"] == ["sciatica in both legs", "weight loss you cannot explain"]
    assert banner["result_url"] == f"/screening/{response.pk}/"
    assert banner["retake_url"] == "/screening/"
    assert "not an emergency service" in banner["not_an_emergency_service"]


def test_an_urgent_flag_banner_says_see_a_doctor_today(patient):
    screen(patient, fever_unwell=True)
    assert red_flag_banner(patient)["title"] == "Get checked by a doctor today"


def test_a_later_clear_screening_settles_the_red_flag(patient):
    screen(patient, saddle_numbness=True)
    screen(patient)
    assert stretches_paused(patient) is False
    assert red_flag_banner(patient) is None


def test_a_red_flag_after_a_clear_screening_pauses_again(patient):
    screen(patient)
    screen(patient, night_pain=True)
    assert stretches_paused(patient) is True


def test_a_clinician_review_settles_the_red_flag(patient, clinician):
    response = screen(patient, leg_weakness=True)

    assert actions.mark_reviewed(response, clinician) is True

    response.refresh_from_db()
    assert response.reviewed_by == clinician
    assert response.reviewed_at is not None
    assert stretches_paused(patient) is False
    assert red_flag_banner(patient) is None


def test_a_new_red_flag_after_a_review_needs_its_own_review(patient, clinician):
    actions.mark_reviewed(screen(patient, trauma=True), clinician)
    screen(patient, trauma=True)
    assert stretches_paused(patient) is True


def test_reviewing_an_older_flag_does_not_settle_a_newer_one(patient, clinician):
    older = screen(patient, cancer_history=True)
    screen(patient, bladder_bowel=True)
    actions.mark_reviewed(older, clinician)
    assert red_flag_banner(patient)["urgency"] == "emergency"


def test_one_patients_red_flag_pauses_no_one_else(patient, other_patient):
    screen(patient, bladder_bowel=True)
    assert stretches_paused(other_patient) is False


def test_the_first_review_stands(patient, clinician):
    response = screen(patient, leg_weakness=True)
    actions.mark_reviewed(response, clinician)
    first_reviewed_at = response.reviewed_at

    assert actions.mark_reviewed(response, ClinicianFactory(username="dr.late")) is False
    response.refresh_from_db()
    assert response.reviewed_by == clinician
    assert response.reviewed_at == first_reviewed_at


def test_only_red_flags_are_reviewed(patient, clinician):
    with pytest.raises(ValueError):
        actions.mark_reviewed(screen(patient), clinician)


def test_only_clinicians_review(patient, other_patient):
    response = screen(patient, leg_weakness=True)
    with pytest.raises(PermissionDenied):
        actions.mark_reviewed(response, other_patient)
    response.refresh_from_db()
    assert response.reviewed_at is None
    assert stretches_paused(patient) is True


def test_the_clinician_list_can_flag_every_patient_in_one_query(
    patient, other_patient, clinician, django_assert_num_queries
):
    settled_by_review = screen(patient, trauma=True)
    actions.mark_reviewed(settled_by_review, clinician)
    screen(other_patient, trauma=True)
    screen(other_patient, bladder_bowel=True)

    with django_assert_num_queries(1):
        flagged = dict(
            User.objects.filter(role="patient")
            .annotate(red_flag=Exists(ScreeningResponse.objects.unsettled().filter(patient=OuterRef("pk"))))
            .values_list("username", "red_flag")
        )
    assert flagged == {"pat": False, "olive": True}
    assert flagged["olive"] == stretches_paused(other_patient)


def test_latest_hip_component_is_the_newest_screenings(patient):
    assert latest_hip_component(patient) is None
    screen(patient, front_hip=True, sitting_worse=True)
    assert latest_hip_component(patient) == "likely"
    screen(patient, front_hip=True)
    assert latest_hip_component(patient) == "possible"
