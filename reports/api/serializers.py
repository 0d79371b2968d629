from rest_framework import serializers

from reports import build

DAYS_MESSAGE = "Give days as 30, 90 or 365: the number of days the report covers, ending today."


class ReportQuerySerializer(serializers.Serializer):
    """``?days=`` of both report endpoints: 30, 90 or 365, default 90."""

    days = serializers.ChoiceField(
        choices=build.REPORT_DAYS,
        required=False,
        default=build.DEFAULT_DAYS,
        help_text="Days the report covers, ending on the patient's local today.",
        error_messages={"invalid_choice": DAYS_MESSAGE},
    )
