import uuid
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from accounts.timezones import validate_timezone


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINICIAN = "clinician", "Clinician"
    STAFF = "staff", "Staff"


class User(AbstractUser):
    """Everyone who signs in: patients, clinicians and staff.

    The integer primary key stays inside the database; ``public_id`` is the
    identifier that appears in URLs and the API.
    """

    Role = Role

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    display_name = models.CharField(max_length=80, blank=True)
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="IANA time zone: decides which local date a check-in belongs to.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="user_role_valid",
            ),
        ]

    @property
    def is_patient(self):
        return self.role == self.Role.PATIENT

    @property
    def is_clinician(self):
        return self.role == self.Role.CLINICIAN

    @property
    def needs_second_factor(self):
        """Clinicians (who read other people's health records) and staff sign in with a second factor."""
        return self.role in (Role.CLINICIAN, Role.STAFF) or self.is_staff or self.is_superuser

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def local_now(self):
        return timezone.now().astimezone(self.zone)

    def local_today(self):
        """The patient's calendar date now, which is not the server's."""
        return self.local_now().date()

    def __str__(self):
        return self.display_name or self.username
