"""What the rest of Vida asks the screening app.

A red flag stays unsettled until a later screening is clear or a clinician marks
it reviewed. The rule lives in ``ScreeningResponseQuerySet.unsettled`` so that the
clinician's patient list can apply it in SQL too; here it is one indexed query.
"""

from django.urls import reverse

from screening.models import ScreeningResponse
from screening.scoring import NOT_AN_EMERGENCY_SERVICE


def unsettled_red_flag(patient):
    """The patient's latest response if it raised a red flag that nobody has settled, else None."""
    return ScreeningResponse.objects.unsettled().filter(patient=patient).first()


def stretches_paused(patient) -> bool:
    """True while the patient has a red flag that no clear screening or clinician review has settled."""
    return unsettled_red_flag(patient) is not None


def latest_hip_component(patient) -> str | None:
    """The latest screening's ``likely``/``possible``/``unlikely``, or None before the first screening."""
    return (
        ScreeningResponse.objects.for_patient(patient)
        .order_by("-created_at")
        .values_list("hip_component", flat=True)
        .first()
    )


def red_flag_banner(patient) -> dict | None:
    """Context for the banner on /today/ while a red flag is unsettled, or None."""
    response = unsettled_red_flag(patient)
    if response is None:
        return None
    return {
        "urgency": response.urgency,
        "title": response.guidance.title,
        "advice": response.guidance.advice,
        "findings": response.red_flag_findings(),
        "screened_at": response.created_at,
        "result_url": reverse("screening-result", kwargs={"response_id": response.pk}),
        "retake_url": reverse("screening"),
        "not_an_emergency_service": NOT_AN_EMERGENCY_SERVICE,
    }
