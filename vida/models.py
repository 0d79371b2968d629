"""Model pieces the apps share."""

from django.db import models


class PatientRecordQuerySet(models.QuerySet):
    """Rows that belong to one patient.

    A read on someone's behalf starts from ``for_user(user)`` (vida.access decides
    whose rows those are); ``for_patient`` is for code that already holds a
    patient it may read, such as the trends of a patient ``access_patient`` returned.
    """

    def for_user(self, user):
        from vida.access import linked_to

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_patient:
            return self.filter(patient=user)
        if user.is_clinician:
            return self.filter(linked_to(user, patient_ref="patient"))
        return self.none()

    def for_patient(self, patient):
        return self.filter(patient=patient)
