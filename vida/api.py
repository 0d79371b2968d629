"""Small pieces every app's API shares."""

from django.utils import timezone

from vida.permissions import Audience


class PersonAPIMixin:
    """An endpoint about the requester's own account, for patients and clinicians alike (reminders, notices).

    Times are read and written in the person's own zone.
    """

    audience = Audience.PATIENT_OR_CLINICIAN

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        timezone.activate(request.user.zone)


class PatientAPIMixin(PersonAPIMixin):
    """An endpoint about the requesting patient's own record.

    Patients only; the serializers get the patient in their context.
    """

    audience = Audience.PATIENT

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "patient": self.request.user}


class ClinicianAPIMixin:
    """An endpoint for a clinician about their linked patients (vida.access.access_patient)."""

    audience = Audience.CLINICIAN
