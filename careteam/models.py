"""Sharing a record with a clinician: share codes, links, private notes and the access log."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone

from vida.models import PatientRecordQuerySet

# Share codes: 8 characters a person can read out or type on a phone, from an
# alphabet without look-alikes (no 0/O, 1/I/L, 5/S, 2/Z), so about 40 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 8
CODE_LIFETIME_DAYS = 7


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class ShareCode(models.Model):
    """A single-use code a patient gives a clinician; redeeming it links the two."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_codes"
    )
    code = models.CharField(max_length=CODE_LENGTH, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="sharecode_expires_after_made"
            ),
            # Used and by whom go together (the clinician's account may be gone later: SET_NULL).
            models.CheckConstraint(
                condition=Q(used_at__isnull=False) | Q(used_by__isnull=True),
                name="sharecode_used_by_only_when_used",
            ),
        ]

    def __str__(self):
        return f"share code of {self.patient_id}"


class CareLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(unlinked_at__isnull=True)


class CareLink(models.Model):
    """A clinician may read a patient's record while this link is active (not unlinked)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_links")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient_links"
    )
    linked_at = models.DateTimeField(default=timezone.now)
    unlinked_at = models.DateTimeField(null=True, blank=True)

    objects = CareLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            # At most one active link per pair; unlinked ones stay as history. Its
            # index also serves "is this clinician linked to this patient?".
            models.UniqueConstraint(
                fields=["clinician", "patient"],
                condition=Q(unlinked_at__isnull=True),
                name="carelink_one_active_per_pair",
            ),
        ]
        indexes = [
            # "Who can see my data" (the patient's linked clinicians).
            models.Index(
                fields=["patient"], condition=Q(unlinked_at__isnull=True), name="carelink_active_by_patient"
            ),
        ]

    def __str__(self):
        return f"link {self.clinician_id} -> {self.patient_id}"


class ClinicianNote(models.Model):
    """A clinician's private note about a patient: only its author reads it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes_written"
    )
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # "My notes on this patient, newest first".
            models.Index(fields=["author", "patient", "-created_at"], name="note_author_patient_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(GreaterThan(Length("text"), 0), LessThanOrEqual(Length("text"), 5000)),
                name="note_text_1_5000",
            ),
        ]

    def __str__(self):
        return f"note {self.created_at:%Y-%m-%d}"


class Read(models.TextChoices):
    """What a clinician read, in the words the patient's access log uses."""

    LIST = "list", "your summary in the clinic list"
    RECORD = "record", "your record page"
    TRENDS = "trends", "your trends"
    NOTES = "notes", "their notes about you"
    EXPORT_CSV = "export_csv", "an export of your record (CSV)"
    EXPORT_FHIR = "export_fhir", "an export of your record (FHIR)"
    REPORT = "report", "your visit report (PDF)"
    REVIEW = "review", "your screening, to review a red flag"
    DIGEST = "digest", "your flags, in their morning email"


class AccessLogEntry(models.Model):
    """One read of a patient's data by a clinician. Append-only: nothing updates or deletes entries
    (they go with the patient's account)."""

    What = Read

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log")
    # Kept if the clinician's account is later removed: the patient still sees who read what.
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    clinician_name = models.CharField(max_length=150)
    what = models.CharField(max_length=16, choices=Read.choices)
    at = models.DateTimeField(default=timezone.now)

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # "Who read my data, newest first".
            models.Index(fields=["patient", "-at"], name="accesslog_patient_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(what__in=Read.values), name="accesslog_what_valid"),
        ]

    def __str__(self):
        return f"{self.clinician_name} read {self.what} at {self.at:%Y-%m-%d %H:%M}"
