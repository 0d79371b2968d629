import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from screening import questionnaire, scoring
from vida.models import PatientRecordQuerySet
from vida.regions import LeadingRegion


class ScreeningResponseQuerySet(PatientRecordQuerySet):
    def latest_for(self, patient):
        """The patient's most recent response, or None (uses ``screening_patient_recent``)."""
        return self.for_patient(patient).order_by("-created_at").first()

    def unreviewed(self):
        """Red flags on a patient's latest response that no clinician has reviewed: at most one per patient.

        This is the clinician list's ``red_flag``. Any later response replaces the
        one before it: a later clear screening settles the flag, and a later red
        flag takes its place as the one to review. A patient's report that a
        doctor has checked an urgent flag does not settle it here (the list shows
        "patient reports checked on DATE" until a clinician reviews it).
        One SQL filter, so a list of many patients can flag them with
        ``Exists(...unreviewed().filter(patient=OuterRef("pk")))``.
        """
        later = ScreeningResponse.objects.filter(
            patient=OuterRef("patient"), created_at__gt=OuterRef("created_at")
        )
        red_flags = self.exclude(urgency=ScreeningResponse.Urgency.NONE)
        return red_flags.filter(reviewed_at__isnull=True).exclude(Exists(later))

    def unsettled(self):
        """Red flags that pause stretch suggestions: at most one per patient.

        An unreviewed red flag (see ``unreviewed``) pauses, unless the patient has
        recorded that a doctor checked it, which only urgent flags allow. So a
        pause lifts by a clinician's review, a later clear screening, or, for an
        urgent flag, a doctor's check. The same single SQL filter as ``unreviewed``.
        """
        return self.unreviewed().filter(doctor_checked_on__isnull=True)


class HipComponent(models.TextChoices):
    LIKELY = scoring.LIKELY, "Likely"
    POSSIBLE = scoring.POSSIBLE, "Possible"
    UNLIKELY = scoring.UNLIKELY, "Unlikely"


class Urgency(models.TextChoices):
    EMERGENCY = questionnaire.EMERGENCY, "Emergency department now"
    URGENT = questionnaire.URGENT, "Doctor today"
    NONE = questionnaire.NO_URGENCY, "None"


class PauseLift(models.TextChoices):
    """How the pause that a red flag put on stretch suggestions was lifted."""

    CLINICIAN_REVIEW = "clinician_review", "A clinician reviewed it"
    DOCTOR_CHECKED = "doctor_checked", "The patient reported a doctor had checked it"
    CLEAR_SCREENING = "clear_screening", "A later screening was clear"


class ScreeningResponse(models.Model):
    """One completed screening: the answers as given and the result computed from them.

    The result is stored in columns rather than recomputed on read, so that what
    the patient was told, what the clinician sees and what an export contains stay
    the same answer even if the scoring wording is improved later.
    """

    HipComponent = HipComponent
    LeadingRegion = LeadingRegion
    Urgency = Urgency
    PauseLift = PauseLift

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="screenings")
    version = models.CharField(max_length=32)
    answers = models.JSONField(help_text="Question id to answer, as given.")
    hip_pattern_score = models.PositiveSmallIntegerField()
    hip_component = models.CharField(max_length=8, choices=HipComponent.choices)
    leading_region = models.CharField(max_length=8, choices=LeadingRegion.choices)
    red_flags = models.JSONField(default=list, help_text="Ids of the red-flag questions answered yes.")
    urgency = models.CharField(max_length=9, choices=Urgency.choices)
    explanation = models.JSONField(default=list, help_text="Plain-words sentences behind the result.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # A linked clinician settles a red flag by reviewing it (the clinician pages
    # call screening.actions.mark_reviewed). SET_NULL keeps the fact of the
    # review if that clinician's account is later removed.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The patient's own report that a doctor has checked an urgent red flag
    # (POST screening/doctor-checked/): the day of the check, in their calendar.
    # It lifts the pause but is not a clinician's review.
    doctor_checked_on = models.DateField(null=True, blank=True)
    # The record of the pause lifting, written once by whichever of
    # screening.actions' lifts came first: who, how and when. The rule itself
    # (ScreeningResponseQuerySet.unsettled) reads the facts above.
    pause_lifted_at = models.DateTimeField(null=True, blank=True)
    pause_lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pause_lifted_how = models.CharField(max_length=16, choices=PauseLift.choices, blank=True)

    objects = ScreeningResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # "The latest response of a patient" (stretches_paused, the /today/
            # banner, GET responses/latest/) and their history, newest first.
            models.Index(fields=["patient", "-created_at"], name="screening_patient_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hip_pattern_score__gte=0, hip_pattern_score__lte=3),
                name="screening_hip_pattern_score_0_3",
            ),
            # The verdict always agrees with the score it came from.
            models.CheckConstraint(
                condition=models.Q(hip_pattern_score__gte=scoring.LIKELY_FROM, hip_component=scoring.LIKELY)
                | models.Q(
                    hip_pattern_score__gte=scoring.POSSIBLE_FROM,
                    hip_pattern_score__lt=scoring.LIKELY_FROM,
                    hip_component=scoring.POSSIBLE,
                )
                | models.Q(hip_pattern_score__lt=scoring.POSSIBLE_FROM, hip_component=scoring.UNLIKELY),
                name="screening_hip_component_matches_score",
            ),
            models.CheckConstraint(
                condition=models.Q(leading_region__in=LeadingRegion.values),
                name="screening_leading_region_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(urgency__in=Urgency.values),
                name="screening_urgency_valid",
            ),
            # Only a red flag is ever reviewed; a clear screening has nothing to settle.
            models.CheckConstraint(
                condition=models.Q(reviewed_at__isnull=True) | ~models.Q(urgency=Urgency.NONE),
                name="screening_review_only_red_flags",
            ),
            # Only an urgent flag can be lifted by a doctor's check; an emergency
            # one waits for a clinician or a clear screening.
            models.CheckConstraint(
                condition=models.Q(doctor_checked_on__isnull=True) | models.Q(urgency=Urgency.URGENT),
                name="screening_doctor_checked_only_urgent",
            ),
            # A pause lifted says how, and only a red flag had a pause to lift.
            models.CheckConstraint(
                condition=models.Q(pause_lifted_at__isnull=True, pause_lifted_how="")
                | (
                    models.Q(pause_lifted_at__isnull=False, pause_lifted_how__in=PauseLift.values)
                    & ~models.Q(urgency=Urgency.NONE)
                ),
                name="screening_pause_lifted_how_valid",
            ),
            # A doctor's check always lifts the pause (it is refused otherwise).
            models.CheckConstraint(
                condition=models.Q(doctor_checked_on__isnull=True)
                | models.Q(pause_lifted_how=PauseLift.DOCTOR_CHECKED),
                name="screening_doctor_checked_lifts_pause",
            ),
        ]

    def __str__(self):
        return f"screening {self.created_at:%Y-%m-%d %H:%M} ({self.hip_component}, urgency {self.urgency})"

    @property
    def questionnaire(self):
        return questionnaire.QUESTIONNAIRES[self.version]

    @property
    def has_red_flag(self):
        return self.urgency != self.Urgency.NONE

    @property
    def screened_on(self):
        """The local date of the screening in the patient's own calendar."""
        return timezone.localtime(self.created_at, self.patient.zone).date()

    @property
    def hip_verdict(self):
        """The hip component in plain words: "your hips are likely part of this"."""
        return scoring.VERDICT_WORDS[self.hip_component]

    @property
    def guidance(self):
        return scoring.GUIDANCE.get(self.urgency)

    def red_flag_findings(self):
        """The red flags in plain words, in the order they were asked."""
        return [self.questionnaire.by_id[flag_id].finding for flag_id in self.red_flags]
