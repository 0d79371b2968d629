from django.urls import reverse
from rest_framework import serializers

from screening.models import ScreeningResponse
from screening.questionnaire import CURRENT, QUESTIONNAIRES


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    hint = serializers.CharField()
    type = serializers.CharField(source="kind", help_text="boolean (true/false) or choice (one of choices)")
    role = serializers.CharField(help_text="red_flag, hip_pattern or leading_region")
    choices = ChoiceSerializer(many=True)


class SectionSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    intro = serializers.CharField()
    questions = QuestionSerializer(many=True)


class QuestionnaireSerializer(serializers.Serializer):
    """The questionnaire, red-flag questions first, in the order they should be asked."""

    version = serializers.CharField()
    title = serializers.CharField()
    sections = SectionSerializer(many=True)
    questions = QuestionSerializer(
        many=True, help_text="Every question in the order asked (the sections' in one list)."
    )


class AnswersSerializer(serializers.Serializer):
    """``{"version": ..., "answers": {question id: answer}}``, every question answered.

    Errors name the question: ``{"answers": {"front_hip": ["..."]}}``.
    """

    version = serializers.ChoiceField(
        choices=list(QUESTIONNAIRES),
        error_messages={
            "invalid_choice": f"Unknown questionnaire version. The current one is {CURRENT.version}.",
        },
    )
    answers = serializers.DictField(
        error_messages={"not_a_dict": "Send the answers as an object of question id to answer."}
    )

    def validate(self, attrs):
        errors = QUESTIONNAIRES[attrs["version"]].answer_errors(attrs["answers"])
        if errors:
            by_question = {question_id: [message] for question_id, message in errors.items()}
            raise serializers.ValidationError({"answers": by_question})
        return attrs


class GuidanceSerializer(serializers.Serializer):
    title = serializers.CharField()
    advice = serializers.CharField()


class ScreeningResponseSerializer(serializers.ModelSerializer):
    """A stored response and its result. ``guidance`` is null when no red flag was raised.

    ``reviewed_at`` is a clinician's review; ``doctor_checked_on`` the day the
    patient reports a doctor checked an urgent flag. ``pause_lifted_at`` and
    ``pause_lifted_how`` (``clinician_review``, ``doctor_checked`` or
    ``clear_screening``) say when and how a red flag stopped pausing stretches;
    both are null while it pauses, and for a clear screening.
    """

    red_flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    explanation = serializers.ListField(child=serializers.CharField(), read_only=True)
    answers = serializers.DictField(read_only=True)
    guidance = GuidanceSerializer(allow_null=True, read_only=True)
    pause_lifted_how = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = ScreeningResponse
        fields = [
            "id",
            "version",
            "answers",
            "hip_pattern_score",
            "hip_component",
            "leading_region",
            "red_flags",
            "urgency",
            "guidance",
            "explanation",
            "created_at",
            "reviewed_at",
            "doctor_checked_on",
            "pause_lifted_at",
            "pause_lifted_how",
            "url",
        ]
        read_only_fields = fields

    def get_pause_lifted_how(self, response) -> str | None:
        return response.pause_lifted_how or None

    def get_url(self, response) -> str:
        return reverse("api:screening-response-detail", kwargs={"response_id": response.pk})


class DoctorCheckedSerializer(serializers.Serializer):
    """``{"checked_on": "YYYY-MM-DD"}``: the day a doctor checked the urgent answers that pause stretches.

    Only the date's form is checked here; whether it can be recorded (an urgent
    flag pausing now, the day not in the future nor before the screening) is
    decided by ``screening.actions.record_doctor_checked``.
    """

    checked_on = serializers.DateField(
        input_formats=["iso-8601"],
        error_messages={
            "required": "Give the day a doctor checked it, as YYYY-MM-DD.",
            "null": "Give the day a doctor checked it, as YYYY-MM-DD.",
            "invalid": "Give the date as YYYY-MM-DD, for example 2026-03-14.",
            "datetime": "Give a date without a time, as YYYY-MM-DD.",
        },
    )
