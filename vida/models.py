"""Model pieces the apps share."""

from django.db import models


class PatientRecordQuerySet(models.QuerySet):
    """Rows that belong to one patient.

    A read on someone's behalf starts from ``for_user(user)`` (vida.access decides
    whose rows those are); ``for_patient`` is for code that already holds a
    patient it may read, such as the trends of a patient ``access_patient`` returned.
    """

    def for_user(self, user):
        from vida.access import visible_patients  # vida.access reads the care team's models

        return self.filter(patient__in=visible_patients(user))

    def for_patient(self, patient):
        return self.filter(patient=patient)
