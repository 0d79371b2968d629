"""What the rest of Vida asks the screening app.

A red flag pauses stretch suggestions until a clinician reviews it, a later
screening is clear or, for an urgent flag, the patient records that a doctor has
checked it. The rule lives in ``ScreeningResponseQuerySet.unsettled`` so that
lists can apply it in SQL too; here it is one indexed query. Every page that
offers stretches shows the same notice, built by ``red_flag_banner``.
"""

from django.urls import reverse

from screening.models import ScreeningResponse
from screening.scoring import NOT_AN_EMERGENCY_SERVICE


def unsettled_red_flag(patient):
    """The patient's response whose red flag pauses stretches now, else None."""
    return ScreeningResponse.objects.unsettled().filter(patient=patient).first()


def stretches_paused(patient) -> bool:
    """True while a red flag pauses the patient's stretch suggestions (the one pause rule)."""
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
    """Context for the pause notice (screening/_pause_notice.html) while stretches are paused, or None.

    /today/, /stretches/ and every player page lead with it.
    """
    return pause_notice(unsettled_red_flag(patient))


def pause_notice(response) -> dict | None:
    """``red_flag_banner`` for the pausing ``response`` already looked up (None: no notice)."""
    if response is None:
        return None
    result_url = reverse("screening-result", kwargs={"response_id": response.pk})
    return {
        "urgency": response.urgency,
        "title": response.guidance.title,
        "advice": response.guidance.advice,
        "findings": response.red_flag_findings(),
        "screened_at": response.created_at,
        "result_url": result_url,
        # Only an urgent flag can be lifted by the patient's report of a doctor's check.
        "doctor_checked_url": f"{result_url}#doctor-checked"
        if response.urgency == response.Urgency.URGENT
        else None,
        "retake_url": reverse("screening"),
        "not_an_emergency_service": NOT_AN_EMERGENCY_SERVICE,
    }
