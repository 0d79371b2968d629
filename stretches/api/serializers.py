import math

from rest_framework import serializers

from stretches.actions import PAIN_FIELDS
from stretches.models import END_TOLERANCE_SECONDS, StretchSession, StretchStep, StretchVideo
from stretches.recommend import FOCUSES
from vida.pain import pain_field


class StretchStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = StretchStep
        fields = ["text", "hold_seconds"]


class StretchVideoSerializer(serializers.ModelSerializer):
    """A library entry. Media URLs point at the signed-in-only media view."""

    video_url = serializers.SerializerMethodField(help_text="The H.264 MP4.")
    webm_url = serializers.SerializerMethodField(help_text="The VP9/VP8 WebM, when there is one.")
    poster_url = serializers.SerializerMethodField()
    captions_url = serializers.SerializerMethodField(help_text="WebVTT captions.")
    steps = StretchStepSerializer(many=True, read_only=True)

    class Meta:
        model = StretchVideo
        fields = [
            "slug",
            "title",
            "description",
            "region",
            "intensity",
            "duration_seconds",
            "video_url",
            "webm_url",
            "poster_url",
            "captions_url",
            "steps",
            "cautions",
        ]

    def get_video_url(self, video) -> str:
        return video.mp4_url

    def get_webm_url(self, video) -> str | None:
        return video.webm_url

    def get_poster_url(self, video) -> str | None:
        return video.poster_url

    def get_captions_url(self, video) -> str:
        return video.captions_url


class VideoFilterSerializer(serializers.Serializer):
    """The library filters; the /stretches/ page's GET form uses the same names."""

    region = serializers.ChoiceField(
        choices=StretchVideo.Region.choices,
        required=False,
        error_messages={"invalid_choice": "Choose one of hip_flexors, lumbar or both."},
    )
    intensity = serializers.ChoiceField(
        choices=StretchVideo.Intensity.choices,
        required=False,
        error_messages={"invalid_choice": "Choose gentle or moderate."},
    )
    max_seconds = serializers.IntegerField(
        min_value=1,
        max_value=24 * 3600,
        required=False,
        error_messages={
            "invalid": "Give the longest length you want in whole seconds, for example 120.",
            "min_value": "Give a length of at least 1 second.",
            "max_value": "Give a length of at most a day.",
        },
    )

    def filter(self, videos):
        values = self.validated_data
        if "region" in values:
            videos = videos.filter(region=values["region"])
        if "intensity" in values:
            videos = videos.filter(intensity=values["intensity"])
        if "max_seconds" in values:
            videos = videos.filter(duration_seconds__lte=values["max_seconds"])
        return videos


def optional_pain():
    return pain_field(required=False, allow_null=True)


class StretchSessionSerializer(serializers.ModelSerializer):
    """A viewing. Starting one takes the video's slug and, optionally, ratings."""

    video = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=StretchVideo.objects.published(),
        error_messages={"does_not_exist": "There is no published stretch with this slug."},
    )
    back_pain_before = optional_pain()
    hip_pain_before = optional_pain()
    back_pain_after = optional_pain()
    hip_pain_after = optional_pain()

    class Meta:
        model = StretchSession
        fields = ["id", "video", "started_at", "watched_seconds", "completed", *PAIN_FIELDS]
        read_only_fields = ["id", "started_at", "watched_seconds", "completed"]


class SessionProgressSerializer(serializers.Serializer):
    """A progress report from the player and/or ratings, for PATCH.

    ``watched_seconds`` is how far into the video the patient has got. A value
    below the stored one is accepted and ignored (the player may seek back,
    reports may arrive out of order); negative or past the end is refused.
    """

    watched_seconds = serializers.FloatField(
        required=False,
        min_value=0,
        error_messages={
            "invalid": "Give the seconds watched as a number.",
            "min_value": "Seconds watched cannot be negative.",
        },
    )
    back_pain_before = optional_pain()
    hip_pain_before = optional_pain()
    back_pain_after = optional_pain()
    hip_pain_after = optional_pain()

    def validate_watched_seconds(self, value):
        if not math.isfinite(value):
            raise serializers.ValidationError("Give the seconds watched as a number.")
        duration = self.context["session"].video.duration_seconds
        if value > duration + END_TOLERANCE_SECONDS:
            raise serializers.ValidationError(
                f"This video is {duration:.1f} seconds long; seconds watched cannot be more than that."
            )
        return value


class ReliefSerializer(serializers.ModelSerializer):
    """How much one video has eased this patient, from sessions rated before and after."""

    video = serializers.CharField(source="slug")
    sessions = serializers.IntegerField(source="relief_sessions", help_text="All sessions of this video.")
    rated_sessions = serializers.IntegerField(help_text="Sessions with a before and an after rating.")
    back_pain_drop = serializers.SerializerMethodField(help_text="Mean fall in back pain, points on 0-10.")
    hip_pain_drop = serializers.SerializerMethodField(help_text="Mean fall in hip pain, points on 0-10.")

    class Meta:
        model = StretchVideo
        fields = ["video", "title", "sessions", "rated_sessions", "back_pain_drop", "hip_pain_drop"]

    def get_back_pain_drop(self, video) -> float | None:
        return None if video.back_drop is None else round(video.back_drop, 1)

    def get_hip_pain_drop(self, video) -> float | None:
        return None if video.hip_drop is None else round(video.hip_drop, 1)


class RecommendationSerializer(serializers.Serializer):
    """Today's stretch. ``videos`` is empty for ``screen_first`` (no screening yet) and ``paused`` (a red flag)."""

    focus = serializers.ChoiceField(choices=FOCUSES)
    reason = serializers.CharField()
    videos = StretchVideoSerializer(many=True)
