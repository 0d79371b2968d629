"""GET /api/v1/trends/: the query parameter, and the shape of the answer for the OpenAPI schema.

The answer itself is built as plain data by ``checkins.trends.report``; these
serializers describe it (and validate ``days``), so the schema stays the reference.
"""

from rest_framework import serializers

from checkins import trends

DAYS_MESSAGE = (
    f"Give days as a whole number from {trends.TREND_DAYS_MIN} to {trends.TREND_DAYS_MAX}, "
    f"for example {trends.TREND_DAYS_DEFAULT}."
)


class TrendsQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(
        required=False,
        default=trends.TREND_DAYS_DEFAULT,
        min_value=trends.TREND_DAYS_MIN,
        max_value=trends.TREND_DAYS_MAX,
        error_messages={
            key: DAYS_MESSAGE for key in ("invalid", "min_value", "max_value", "max_string_length")
        },
    )


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    back_pain = serializers.IntegerField(allow_null=True, help_text="Null on a day without a check-in.")
    hip_pain = serializers.IntegerField(allow_null=True)
    sitting_hours = serializers.FloatField(allow_null=True)
    flares = serializers.IntegerField(help_text="Flares that local day.")
    sessions_completed = serializers.IntegerField(help_text="Stretch sessions completed that local day.")


def mean_field(help_text):
    return serializers.FloatField(allow_null=True, help_text=f"{help_text} Null without data.")


class SummarySerializer(serializers.Serializer):
    back_7d_mean = mean_field("Mean back pain over the last 7 local days.")
    hip_7d_mean = mean_field("Mean hip pain over the last 7 local days.")
    back_prev_7d_mean = mean_field("Mean back pain over the 7 days before those.")
    hip_prev_7d_mean = mean_field("Mean hip pain over the 7 days before those.")
    back_baseline_mean = mean_field("Mean back pain over the first 7 days from the earliest check-in.")
    hip_baseline_mean = mean_field("Mean hip pain over the first 7 days from the earliest check-in.")
    checkins_14d = serializers.IntegerField()
    sessions_completed_7d = serializers.IntegerField()
    last_checkin = serializers.DateField(allow_null=True)


class LeadingRegionSerializer(serializers.Serializer):
    label = serializers.ChoiceField(
        choices=["hip_leads", "back_leads", "together", "independent", "insufficient_data"]
    )
    correlations = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text='Correlation of day-to-day changes at lags "-1" (back first), "0", "1" (hip first).',
    )
    days_used = serializers.IntegerField(help_text="Days with a check-in on the day before too.")
    days_needed = serializers.IntegerField()


class SittingLinkSerializer(serializers.Serializer):
    label = serializers.ChoiceField(
        choices=["higher_after_sitting", "lower_after_sitting", "no_clear_link", "insufficient_data"]
    )
    cut_hours = serializers.FloatField(allow_null=True, help_text="The patient's median sitting time.")
    long_days = serializers.IntegerField(help_text="Days above the median with a check-in the next day.")
    other_days = serializers.IntegerField()
    days_needed_each = serializers.IntegerField()
    back_after_long = serializers.FloatField(allow_null=True)
    back_after_other = serializers.FloatField(allow_null=True)
    difference = serializers.FloatField(
        allow_null=True, help_text="Back pain the next day, long minus other."
    )


class TrendsSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    series = DaySerializer(many=True, help_text="Every local date of the window, oldest first.")
    summary = SummarySerializer()
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=list(trends.FLAGS)), help_text="Worst first."
    )
    leading_region = LeadingRegionSerializer()
    sitting_link = SittingLinkSerializer()
