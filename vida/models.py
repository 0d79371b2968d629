"""Model pieces the apps share."""

from django.db import models


class PatientRecordQuerySet(models.QuerySet):
    """Rows that belong to one patient: every read of them starts from the patient."""

    def for_patient(self, patient):
        return self.filter(patient=patient)
