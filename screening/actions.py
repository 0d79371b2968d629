"""Every write to screening responses goes through here, from the API and the pages alike.

A red flag pauses stretch suggestions (``ScreeningResponseQuerySet.unsettled``).
Three things lift that pause: a clinician's review (``mark_reviewed``), a later
clear screening (``record_screening``) and, for urgent flags only, the patient's
report that a doctor has checked them (``record_doctor_checked``). Whichever
comes first writes down who lifted the pause, how and when (``_lift_pause``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from screening import scoring
from screening.models import ScreeningResponse
from screening.questionnaire import QUESTIONNAIRES

PauseLift = ScreeningResponse.PauseLift


def long_date(day):
    """ "14 March 2026", as the pages write dates."""
    return f"{day.day} {day:%B %Y}"


def _lift_pause(responses, *, by, how, at, **changes):
    """Record on whichever of ``responses`` still pauses stretches that ``by`` lifted it; 1 if one did.

    A conditional UPDATE on the pause rule itself: a response that no longer
    pauses (lifted already, or replaced by a later screening) is left as it is,
    so the first lift stands and two lifts racing record one.
    """
    return (
        ScreeningResponse.objects.unsettled()
        .filter(pk__in=responses.values("pk"))
        .update(pause_lifted_at=at, pause_lifted_by=by, pause_lifted_how=how, **changes)
    )


@transaction.atomic
def record_screening(patient, version, answers):
    """Score ``answers`` (already accepted by ``answer_errors``) and store them with the result.

    Retaking the screening adds a row; earlier responses are kept as history. A
    clear result lifts the pause of an earlier red flag; a new red flag takes
    the earlier one's place as the one that pauses.
    """
    questionnaire = QUESTIONNAIRES[version]
    result = scoring.score(answers, questionnaire)
    now = timezone.now()
    if result.urgency == ScreeningResponse.Urgency.NONE:
        earlier = ScreeningResponse.objects.for_patient(patient)
        _lift_pause(earlier, by=patient, how=PauseLift.CLEAR_SCREENING, at=now)
    return ScreeningResponse.objects.create(
        patient=patient,
        version=version,
        answers=dict(answers),
        hip_pattern_score=result.hip_pattern_score,
        hip_component=result.hip_component,
        leading_region=result.leading_region,
        red_flags=list(result.red_flags),
        urgency=result.urgency,
        explanation=list(result.explanation),
        created_at=now,
    )


@transaction.atomic
def mark_reviewed(response, clinician):
    """Record that ``clinician`` has reviewed the red flags in ``response``.

    The caller has already checked that the clinician is linked to this patient
    (the care-team access helper does that). Returns True if this call recorded
    the review, False if it had been reviewed already: the first review stands,
    and a double click or a retried request changes nothing. A review of the
    response that pauses stretches lifts the pause; one after a doctor's check
    completes the record without changing how the pause was lifted.
    """
    if not clinician.is_clinician:
        raise PermissionDenied("Only a clinician can review a screening.")
    if not response.has_red_flag:
        raise ValueError("This screening raised no red flag, so there is nothing to review.")
    now = timezone.now()
    this_one = ScreeningResponse.objects.filter(pk=response.pk)
    # Before the review is written, while the rule still sees the pause.
    _lift_pause(this_one, by=clinician, how=PauseLift.CLINICIAN_REVIEW, at=now)
    # A conditional UPDATE claims the review: of two clinicians reviewing at
    # once, exactly one changes the row.
    claimed = this_one.filter(reviewed_at__isnull=True).update(reviewed_by=clinician, reviewed_at=now)
    response.refresh_from_db(
        fields=["reviewed_by", "reviewed_at", "pause_lifted_at", "pause_lifted_by", "pause_lifted_how"]
    )
    return claimed == 1


def doctor_check_refusal(patient, pausing, checked_on):
    """Why ``checked_on`` cannot be recorded against ``pausing`` (the patient's pausing response or None), or None.

    Urgent flags only: some never change with time (a history of cancer), so a
    doctor's check is an honest way out of the pause. Emergency signs need an
    emergency department, and only a clinician's review or a clear screening
    lifts them. The day is the patient's own calendar date: not in the future,
    and not before the screening it answers.
    """
    if pausing is None:
        latest = ScreeningResponse.objects.latest_for(patient)
        if latest is None:
            return "You have not taken the screening yet, so there is nothing for a doctor to have checked."
        if not latest.has_red_flag:
            return "Your latest screening raised no red flag, so stretch suggestions are not paused."
        return (
            "Stretch suggestions are not paused by your latest screening any more; nothing needs recording."
        )
    if pausing.urgency != ScreeningResponse.Urgency.URGENT:
        return (
            "Your answers need an emergency department, not only a doctor's check, so this cannot lift "
            "the pause. It lifts when your clinician reviews them or a later screening is clear."
        )
    today = patient.local_today()
    if checked_on > today:
        return f"This date is in the future; give the day a doctor checked it, today ({long_date(today)}) or earlier."
    screened_on = pausing.screened_on
    if checked_on < screened_on:
        return (
            f"This date is before your screening on {long_date(screened_on)}; give the day a doctor checked "
            "these answers, on or after it."
        )
    return None


@transaction.atomic
def record_doctor_checked(patient, checked_on, *, response_id=None):
    """Record that a doctor checked the patient's urgent red flag on ``checked_on``; lifts the pause.

    It applies to the response that pauses stretches now (``response_id``, when
    given, must be that one: a page posts the id of the result it shows).
    Raises ValidationError naming ``checked_on`` and changes nothing when it
    does not apply (see ``doctor_check_refusal``). A clinician's review stays
    possible, and needed: until then the clinician's list shows the flag,
    "patient reports checked on DATE".
    """
    pausing = ScreeningResponse.objects.unsettled().filter(patient=patient).select_related("patient").first()
    if pausing is not None and response_id is not None and pausing.pk != response_id:
        pausing = None
    refusal = doctor_check_refusal(patient, pausing, checked_on)
    if refusal:
        raise ValidationError({"checked_on": [refusal]})
    lifted = _lift_pause(
        ScreeningResponse.objects.filter(pk=pausing.pk, urgency=ScreeningResponse.Urgency.URGENT),
        by=patient,
        how=PauseLift.DOCTOR_CHECKED,
        at=timezone.now(),
        doctor_checked_on=checked_on,
    )
    if not lifted:  # a clinician's review or a new screening got there first
        raise ValidationError({"checked_on": [doctor_check_refusal(patient, None, checked_on)]})
    pausing.refresh_from_db()
    return pausing
