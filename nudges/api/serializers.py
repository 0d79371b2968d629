from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import timezone_field
from nudges.models import Channel, Kind, Nudge, kinds_for

TIME_FORMAT = "%H:%M"


@extend_schema_field(
    {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "example": "19:00"}
)
class ClockTimeField(serializers.TimeField):
    """A local time of day as people write it, HH:MM (seconds accepted and dropped).

    Documented as a pattern: OpenAPI's "time" format would ask for seconds and an offset.
    """


def time_field(help_text):
    return ClockTimeField(
        format=TIME_FORMAT,
        input_formats=[TIME_FORMAT, "%H:%M:%S"],
        help_text=help_text,
        error_messages={"invalid": _("Use a 24-hour time from 00:00 to 23:59, such as 07:30.")},
    )


class ChoiceListField(serializers.MultipleChoiceField):
    """A JSON list of choices. A string or an object is refused, not read character by character or key by key."""

    def to_internal_value(self, data):
        if not isinstance(data, list | tuple):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class ReminderSettingsSerializer(serializers.Serializer):
    """A person's reminder settings. PUT replaces them whole: every field is required.

    A patient's kinds are checkin_reminder, stretch_nudge and reengagement; a
    clinician's clinician_digest and red_flag_alert (their reminder time is when
    the morning digest arrives). The person is ``context["user"]``.
    """

    kinds = ChoiceListField(
        choices=Kind.choices,
        help_text=(
            "The kinds of nudge that are on; the others are off. Patients: checkin_reminder, "
            "stretch_nudge, reengagement. Clinicians: clinician_digest, red_flag_alert."
        ),
        error_messages={"invalid_choice": _('"{input}" is not a kind of reminder.')},
    )
    channels = ChoiceListField(
        choices=Channel.choices,
        help_text="Where nudges arrive: by email, in the app, both or (an empty list) neither.",
        error_messages={"invalid_choice": _('"{input}" is not a channel: use email or in_app.')},
    )
    reminder_time = time_field("Local time of day for reminders, HH:MM (24-hour).")
    timezone = timezone_field(help_text="IANA time zone for reminders; the profile's unless set.")
    quiet_hours_start = time_field("No nudges from this local time ... (HH:MM)")
    quiet_hours_end = time_field("... until this one (HH:MM). Equal to the start: no quiet hours.")

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)

    def validate(self, attrs):
        attrs["reminder_time"] = attrs["reminder_time"].replace(second=0, microsecond=0)
        attrs["quiet_hours_start"] = attrs["quiet_hours_start"].replace(second=0, microsecond=0)
        attrs["quiet_hours_end"] = attrs["quiet_hours_end"].replace(second=0, microsecond=0)
        allowed = kinds_for(self.context.get("user") or self.context["request"].user)
        others = sorted(set(attrs["kinds"]) - set(allowed))
        if others:
            raise serializers.ValidationError(
                {"kinds": [f'"{others[0]}" is not for this account: use {", ".join(allowed)}.']}
            )
        attrs["kinds"] = sorted(attrs["kinds"])
        attrs["channels"] = sorted(attrs["channels"])
        return attrs

    def to_representation(self, preferences):
        return {
            "kinds": preferences.kinds(kinds_for(preferences.user)),
            "channels": preferences.channels(),
            "reminder_time": preferences.reminder_time.strftime(TIME_FORMAT),
            "timezone": preferences.zone_name,
            "quiet_hours_start": preferences.quiet_hours_start.strftime(TIME_FORMAT),
            "quiet_hours_end": preferences.quiet_hours_end.strftime(TIME_FORMAT),
        }


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    title = serializers.CharField(source="presented.title", read_only=True)
    text = serializers.CharField(source="presented.text", read_only=True)
    url = serializers.CharField(
        source="presented.url", read_only=True, help_text="Site path the notice leads to."
    )
    read = serializers.BooleanField(
        read_only=True, help_text='PATCH {"read": true|false} marks it read or unread.'
    )

    class Meta:
        model = Nudge
        fields = ["id", "kind", "title", "text", "url", "local_date", "created_at", "read", "read_at"]
        read_only_fields = ["id", "local_date", "created_at", "read_at"]


class NotificationReadSerializer(serializers.Serializer):
    read = serializers.BooleanField()


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many notices were unread and are now read.")
