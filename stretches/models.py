import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, F, FilteredRelation, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from vida.models import PatientRecordQuerySet
from vida.pain import PAIN_VALIDATORS, pain_range

# A viewing counts as done once this share of the video has been watched: the
# closing seconds are usually "relax and breathe", which people often skip.
COMPLETED_SHARE = 0.9

# Browsers report the end of a video a fraction past the duration ffprobe read
# from the container; this much over is taken as "at the end", not refused.
END_TOLERANCE_SECONDS = 1.0

# The longest hold a step may ask for; longer holds are a different exercise.
MAX_HOLD_SECONDS = 600


def format_length(seconds):
    """A length as people say it: "45 s", "1 min 30 s"."""
    minutes, seconds = divmod(round(seconds), 60)
    if not minutes:
        return f"{seconds} s"
    return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"


def media_path(instance, filename):
    """Files live under one folder per video, named by kind, so a glance at
    MEDIA_ROOT shows which file belongs to which stretch."""
    return f"stretches/{instance.slug}/{filename}"


class StretchVideoQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """Staff preview unpublished videos; everyone else sees the published library."""
        return self if user.is_staff else self.published()

    def with_relief_for(self, patient):
        """Annotate each video with this patient's relief from it, computed in SQL.

        ``relief_sessions`` counts the patient's sessions of the video,
        ``rated_sessions`` those with a before and an after rating for at least
        one region; ``back_drop`` and ``hip_drop`` are the mean fall in pain
        (before minus after) over the sessions rated for that region, None when
        there are none. ``relief`` sums the two, for ranking.
        """
        mine = "my_sessions"

        def rated(region):
            before, after = f"{mine}__{region}_pain_before", f"{mine}__{region}_pain_after"
            return Q(**{f"{before}__isnull": False, f"{after}__isnull": False})

        def drop(region):
            before, after = F(f"{mine}__{region}_pain_before"), F(f"{mine}__{region}_pain_after")
            return Avg(before - after, output_field=models.FloatField())

        return self.annotate(
            my_sessions=FilteredRelation("sessions", condition=Q(sessions__patient=patient)),
            relief_sessions=Count(mine),
            rated_sessions=Count(mine, filter=rated("back") | rated("hip")),
            # NULL minus anything is NULL and AVG skips NULLs, so a session only
            # counts for a region that has both of its ratings.
            back_drop=drop("back"),
            hip_drop=drop("hip"),
            relief=Coalesce(F("back_drop"), 0.0) + Coalesce(F("hip_drop"), 0.0),
        )


class StretchRegion(models.TextChoices):
    HIP_FLEXORS = "hip_flexors", "Hip flexors"
    LUMBAR = "lumbar", "Lower back"
    BOTH = "both", "Hips and lower back"


class Intensity(models.TextChoices):
    GENTLE = "gentle", "Gentle"
    MODERATE = "moderate", "Moderate"


class StretchVideo(models.Model):
    """One guided stretch in the library: the video, its captions and its steps."""

    Region = StretchRegion
    Intensity = Intensity

    title = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Part of the page address: /stretches/<slug>/."
    )
    description = models.TextField(blank=True)
    region = models.CharField(max_length=16, choices=Region.choices)
    intensity = models.CharField(max_length=16, choices=Intensity.choices, default=Intensity.GENTLE)
    duration_seconds = models.FloatField(
        editable=False, help_text="Read from the video file when it is uploaded."
    )
    video_mp4 = models.FileField(
        "MP4 video (H.264)",
        upload_to=media_path,
        max_length=255,
        validators=[FileExtensionValidator(["mp4", "m4v"])],
    )
    video_webm = models.FileField(
        "WebM video (VP9 or VP8)",
        upload_to=media_path,
        max_length=255,
        blank=True,
        validators=[FileExtensionValidator(["webm"])],
        help_text="Optional: smaller for the same quality in browsers that play it.",
    )
    captions = models.FileField(
        "Captions (WebVTT)",
        upload_to=media_path,
        max_length=255,
        validators=[FileExtensionValidator(["vtt"])],
    )
    poster = models.FileField(
        upload_to=media_path,
        max_length=255,
        blank=True,
        editable=False,
        help_text="A frame of the video, made when the video is uploaded.",
    )
    cautions = models.TextField(blank=True, help_text="When to stop or skip this stretch, in plain words.")
    published = models.BooleanField(default=False, help_text="Only published videos are shown to patients.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StretchVideoQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            # The library and the recommendation: published videos filtered by
            # region and intensity, up to a length (?region=&intensity=&max_seconds=).
            models.Index(
                fields=["region", "intensity", "duration_seconds"],
                condition=Q(published=True),
                name="stretchvideo_published_filter",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__in=StretchRegion.values), name="stretchvideo_region_valid"
            ),
            models.CheckConstraint(
                condition=Q(intensity__in=Intensity.values), name="stretchvideo_intensity_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__gt=0), name="stretchvideo_duration_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("stretches:player", kwargs={"slug": self.slug})

    # The files a browser may fetch, by the name that appears in their URL.
    MEDIA_KINDS = {
        "video.mp4": ("video_mp4", "video/mp4"),
        "video.webm": ("video_webm", "video/webm"),
        "captions.vtt": ("captions", "text/vtt; charset=utf-8"),
        "poster.jpg": ("poster", "image/jpeg"),
    }

    def media_file(self, kind):
        """``(FieldFile, content type)`` for a kind in MEDIA_KINDS, or None if the video has no such file."""
        field_name, content_type = self.MEDIA_KINDS[kind]
        field_file = getattr(self, field_name)
        return (field_file, content_type) if field_file else None

    def media_url(self, kind):
        """Where a signed-in browser fetches a file, or None if there is none.

        The version parameter changes whenever the video is saved, so a
        replaced file is never answered from a browser's cache of the old one.
        """
        if not self.media_file(kind):
            return None
        path = reverse("stretches:media", kwargs={"slug": self.slug, "kind": kind})
        return f"{path}?v={int(self.updated_at.timestamp())}"

    @property
    def mp4_url(self):
        return self.media_url("video.mp4")

    @property
    def webm_url(self):
        return self.media_url("video.webm")

    @property
    def captions_url(self):
        return self.media_url("captions.vtt")

    @property
    def poster_url(self):
        return self.media_url("poster.jpg")

    @property
    def length_label(self):
        return format_length(self.duration_seconds)

    def completes_at(self):
        return self.duration_seconds * COMPLETED_SHARE


class StretchStep(models.Model):
    """One instruction of a stretch, with how long to hold it (0: no hold, just do it)."""

    video = models.ForeignKey(StretchVideo, on_delete=models.CASCADE, related_name="steps")
    # Only a sort key: two steps sharing a number keep the order they were added
    # in, which lets staff renumber steps in the admin without tripping over a
    # uniqueness check halfway through.
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    hold_seconds = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_HOLD_SECONDS)]
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hold_seconds__gte=0, hold_seconds__lte=MAX_HOLD_SECONDS),
                name="stretchstep_hold_0_600",
            ),
        ]

    def __str__(self):
        return self.text


class StretchSession(models.Model):
    """One viewing of a stretch by a patient, with optional pain before and after."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stretch_sessions"
    )
    # PROTECT: a patient's record must not lose sessions because staff tidied
    # the library; unpublish a video instead of deleting it.
    video = models.ForeignKey(StretchVideo, on_delete=models.PROTECT, related_name="sessions")
    started_at = models.DateTimeField(default=timezone.now)
    watched_seconds = models.FloatField(default=0)
    completed = models.BooleanField(default=False)
    back_pain_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_VALIDATORS)
    hip_pain_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_VALIDATORS)
    back_pain_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_VALIDATORS)
    hip_pain_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_VALIDATORS)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            # "My sessions, newest first", the resume lookup on the player page,
            # the relief per video and "completed sessions in the last 7 days".
            models.Index(fields=["patient", "-started_at"], name="stretchsession_patient_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(watched_seconds__gte=0), name="stretchsession_watched_not_negative"
            ),
            pain_range("back_pain_before"),
            pain_range("hip_pain_before"),
            pain_range("back_pain_after"),
            pain_range("hip_pain_after"),
        ]

    def __str__(self):
        return f"{self.video} on {self.started_at:%Y-%m-%d}"
