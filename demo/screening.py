"""The demo patient's screening: clear of red flags, with the hip patterns that the demo series shows."""

import datetime as dt

from django.db import transaction

from demo.checkins import DEMO_DAYS
from screening import actions
from screening.models import ScreeningResponse
from screening.questionnaire import CURRENT, HIP_PATTERN, RED_FLAG

# Worse after sitting, the front of the hip involved, eased by walking, hip first:
# the story the demo check-ins tell.
HIP_FIRST = "hip"


@transaction.atomic
def seed_screening(patient, days=DEMO_DAYS):
    """Replace the patient's screenings with one clear screening taken on the first demo day.

    Without it the demo patient would meet ``screen_first`` and no stretch on /today/.
    """
    ScreeningResponse.objects.filter(patient=patient).delete()
    answers = {question.id: False for question in CURRENT.of_role(RED_FLAG)}
    answers |= {question.id: True for question in CURRENT.of_role(HIP_PATTERN)}
    answers["leading_region"] = HIP_FIRST
    response = actions.record_screening(patient, CURRENT.version, answers)
    first_day = patient.local_today() - dt.timedelta(days=days - 1)
    taken = dt.datetime.combine(first_day, dt.time(18, 0), tzinfo=patient.zone)
    ScreeningResponse.objects.filter(pk=response.pk).update(created_at=taken)
    return response
