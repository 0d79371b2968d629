from rest_framework import serializers

from careteam.models import CODE_LENGTH, AccessLogEntry, ClinicianNote, ShareCode
from checkins import trends
from checkins.api.trend_serializers import SummarySerializer


class ShareCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ShareCode
        fields = ["code", "expires_at"]


class RedeemSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=32,
        help_text=f"The patient's share code: {CODE_LENGTH} letters and digits (spaces and dashes are ignored).",
    )


class LinkedPatientSerializer(serializers.Serializer):
    """A patient as a linked clinician sees them in lists."""

    id = serializers.UUIDField(source="public_id")
    display_name = serializers.SerializerMethodField()

    def get_display_name(self, patient) -> str:
        return str(patient)


class LinkSerializer(serializers.Serializer):
    patient = LinkedPatientSerializer()
    linked_at = serializers.DateTimeField()


class LinkedClinicianSerializer(serializers.Serializer):
    """Someone who can see my data."""

    id = serializers.UUIDField(source="clinician.public_id")
    display_name = serializers.SerializerMethodField()
    linked_at = serializers.DateTimeField()

    def get_display_name(self, link) -> str:
        return str(link.clinician)


class AccessLogSerializer(serializers.ModelSerializer):
    who = serializers.CharField(source="clinician_name")
    what = serializers.CharField(help_text="What was read: " + ", ".join(AccessLogEntry.What.values))
    what_label = serializers.CharField(source="get_what_display")

    class Meta:
        model = AccessLogEntry
        fields = ["who", "what", "what_label", "at"]


class PatientRowSerializer(LinkedPatientSerializer):
    """One row of the clinic list: the trend summary and the flags, worst first."""

    summary = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()
    red_flag_checked_on = serializers.DateField(
        allow_null=True,
        help_text="The day the patient reports a doctor checked their red flag, until a clinician reviews it.",
    )

    def get_summary(self, row) -> SummarySerializer:
        return trends.summary_of(row)

    def get_flags(self, row) -> list[str]:
        return trends.flags_of(row)


class NoteSerializer(serializers.ModelSerializer):
    text = serializers.CharField(
        max_length=5000,
        error_messages={
            "blank": "Write something in the note first.",
            "max_length": "Keep a note to 5,000 characters or fewer.",
            "required": "Write something in the note first.",
        },
    )

    class Meta:
        model = ClinicianNote
        fields = ["id", "text", "created_at"]
        read_only_fields = ["id", "created_at"]


class ReviewSerializer(serializers.Serializer):
    screening = serializers.UUIDField(source="pk")
    urgency = serializers.CharField()
    red_flags = serializers.ListField(child=serializers.CharField())
    reviewed_at = serializers.DateTimeField()
