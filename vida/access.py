"""The one access layer: who may see which patient's record.

- A patient sees their own record; a clinician sees the records of patients
  actively linked to them (``careteam.CareLink``); nobody else sees any.
- Every patient-record queryset starts from ``for_user(user)`` (on
  ``vida.models.PatientRecordQuerySet``), built on ``visible_patients`` here.
- A clinician reaches one patient only through ``access_patient``, which checks
  the link and writes the read into the patient's access log in the same step.
- Anything else is a 404: the answer never reveals that a record exists.
"""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from careteam.models import AccessLogEntry, CareLink


def linked_to(clinician):
    """An EXISTS, on a queryset of users, true for the patients actively linked to ``clinician``."""
    return Exists(CareLink.objects.active().filter(clinician=clinician, patient=OuterRef("pk")))


def visible_patients(user):
    """The patients whose records ``user`` may read, as a queryset of users."""
    patients = User.objects.filter(role=User.Role.PATIENT, is_active=True)
    if user is None or not user.is_authenticated:
        return patients.none()
    if user.is_patient:
        return patients.filter(pk=user.pk)
    if user.is_clinician:
        return patients.filter(linked_to(user))
    return patients.none()


def access_patient(user, public_id, read):
    """The linked patient with this public id, after logging that ``user`` reads ``read`` of theirs.

    ``read`` is a ``careteam.models.Read``. Raises Http404 for anyone who is not
    a clinician actively linked to that patient, and for ids that name nobody.
    """

    if user is None or not getattr(user, "is_clinician", False):
        raise Http404("No such patient.")
    patient = visible_patients(user).filter(public_id=public_id).first()
    if patient is None:
        raise Http404("No such patient.")
    log_reads(user, [patient], read)
    return patient


def log_reads(clinician, patients, read):
    """One access-log entry per patient, in one INSERT."""
    now = timezone.now()
    name = str(clinician)
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(patient=patient, clinician=clinician, clinician_name=name, what=read, at=now)
        for patient in patients
    )
