"""Every write to screening responses goes through here, from the API and the pages alike."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from screening import scoring
from screening.models import ScreeningResponse
from screening.questionnaire import QUESTIONNAIRES


def record_screening(patient, version, answers):
    """Score ``answers`` (already accepted by ``answer_errors``) and store them with the result.

    Retaking the screening adds a row; earlier responses are kept as history.
    """
    questionnaire = QUESTIONNAIRES[version]
    result = scoring.score(answers, questionnaire)
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
    )


def mark_reviewed(response, clinician):
    """Record that ``clinician`` has reviewed the red flags in ``response``.

    The caller has already checked that the clinician is linked to this patient
    (the care-team access helper does that). Returns True if this call recorded
    the review, False if it had been reviewed already: the first review stands,
    and a double click or a retried request changes nothing.
    """
    if not clinician.is_clinician:
        raise PermissionDenied("Only a clinician can review a screening.")
    if not response.has_red_flag:
        raise ValueError("This screening raised no red flag, so there is nothing to review.")
    now = timezone.now()
    # A conditional UPDATE claims the review: of two clinicians reviewing at
    # once, exactly one changes the row.
    claimed = ScreeningResponse.objects.filter(pk=response.pk, reviewed_at__isnull=True).update(
        reviewed_by=clinician, reviewed_at=now
    )
    response.refresh_from_db(fields=["reviewed_by", "reviewed_at"])
    return claimed == 1
