import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils import timezone

from vida.models import PatientRecordQuerySet
from vida.pain import PAIN_VALIDATORS, pain_range
from vida.regions import LeadingRegion

# A check-in's fields as the API and the /today/ form name them, in the order people read them.
CHECKIN_FIELDS = [
    "date",
    "back_pain",
    "hip_pain",
    "sitting_hours",
    "worse_after_sitting",
    "eased_by_walking",
    "first_region",
    "note",
]


class CheckIn(models.Model):
    """One patient's day: lower back and hip / front of thigh, rated separately."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins")
    date = models.DateField(help_text="The patient's local date.")
    back_pain = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    hip_pain = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    sitting_hours = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    worse_after_sitting = models.BooleanField(null=True, blank=True)
    eased_by_walking = models.BooleanField(null=True, blank=True)
    first_region = models.CharField(max_length=8, choices=LeadingRegion.choices, blank=True)
    note = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            # One row per patient per local date; also the index behind the
            # "my check-ins, newest first" list and every trend window.
            models.UniqueConstraint(fields=["patient", "date"], name="checkin_one_per_patient_per_day"),
            pain_range("back_pain"),
            pain_range("hip_pain"),
            models.CheckConstraint(
                condition=models.Q(sitting_hours__isnull=True)
                | (
                    models.Q(sitting_hours__gte=0, sitting_hours__lte=24)
                    & Exact(Mod(models.F("sitting_hours") * 2, 1), 0)
                ),
                name="checkin_sitting_hours_half_hours_0_24",
            ),
            models.CheckConstraint(
                condition=models.Q(first_region__in=["", *LeadingRegion.values]),
                name="checkin_first_region_valid",
            ),
        ]

    def __str__(self):
        return f"check-in {self.date}"


class FlareRegion(models.TextChoices):
    BACK = "back", "Lower back"
    HIP = "hip", "Hip or front of thigh"
    BOTH = "both", "Both"


class Flare(models.Model):
    """A moment the pain spiked; any number per day."""

    Region = FlareRegion

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flares")
    occurred_at = models.DateTimeField(default=timezone.now)
    region = models.CharField(max_length=8, choices=Region.choices)
    intensity = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    trigger = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            # "My flares, newest first" and the flare marks on the history chart.
            models.Index(fields=["patient", "-occurred_at"], name="flare_patient_recent"),
        ]
        constraints = [
            # Never in the future: a flare happened before it was logged (the
            # rules clamp a slightly-ahead phone clock to the server's now).
            models.CheckConstraint(
                condition=models.Q(occurred_at__lte=models.F("created_at")), name="flare_not_in_future"
            ),
            pain_range("intensity"),
            models.CheckConstraint(
                condition=models.Q(region__in=FlareRegion.values), name="flare_region_valid"
            ),
        ]

    def __str__(self):
        return f"flare {self.occurred_at:%Y-%m-%d %H:%M}"
