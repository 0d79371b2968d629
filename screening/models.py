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

    def unsettled(self):
        """Red-flag responses that nothing has settled yet: at most one per patient.

        A red flag is settled by a clinician's review or by any later response:
        a later clear screening settles it, and a later red flag takes its place
        as the one that needs settling. One SQL filter, so a list of many
        patients can flag them with ``Exists(...unsettled().filter(patient=OuterRef("pk")))``.
        """
        later = ScreeningResponse.objects.filter(
            patient=OuterRef("patient"), created_at__gt=OuterRef("created_at")
        )
        red_flags = self.exclude(urgency=ScreeningResponse.Urgency.NONE)
        return red_flags.filter(reviewed_at__isnull=True).exclude(Exists(later))


class HipComponent(models.TextChoices):
    LIKELY = scoring.LIKELY, "Likely"
    POSSIBLE = scoring.POSSIBLE, "Possible"
    UNLIKELY = scoring.UNLIKELY, "Unlikely"


class Urgency(models.TextChoices):
    EMERGENCY = questionnaire.EMERGENCY, "Emergency department now"
    URGENT = questionnaire.URGENT, "Doctor today"
    NONE = questionnaire.NO_URGENCY, "None"


class ScreeningResponse(models.Model):
    """One completed screening: the answers as given and the result computed from them.

    The result is stored in columns rather than recomputed on read, so that what
    the patient was told, what the clinician sees and what an export contains stay
    the same answer even if the scoring wording is improved later.
    """

    HipComponent = HipComponent
    LeadingRegion = LeadingRegion
    Urgency = Urgency

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
    def guidance(self):
        return scoring.GUIDANCE.get(self.urgency)

    def red_flag_findings(self):
        """The red flags in plain words, in the order they were asked."""
        return [self.questionnaire.by_id[flag_id].finding for flag_id in self.red_flags]
