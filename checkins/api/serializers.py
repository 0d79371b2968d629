import copy
import functools

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework import serializers

from checkins import rules
from checkins.models import Flare
from vida.pain import pain_field
from vida.regions import LeadingRegion


@functools.cache
def checkins_url():
    """``/api/v1/checkins/``, resolved once: a day's URL is this plus ``YYYY-MM-DD/``."""
    return reverse("api:checkin-list")


def as_drf_error(func, *args):
    """Run a domain rule and report its Django ValidationError the DRF way."""
    try:
        return func(*args)
    except DjangoValidationError as error:
        raise serializers.ValidationError(list(error.messages)) from None


class CheckInSerializer(serializers.Serializer):
    """A day's check-in. ``patient`` comes from the context, never from the body.

    This is the hot path of the API (`make bench`), so two costs are avoided:
    a ModelSerializer would rebuild its fields from the model on each request,
    and DRF deep-copies declared fields by re-running each field's __init__. The
    fields here are flat and never change after construction, so a shallow copy
    per serializer (which bind() then fills in) is as safe and much cheaper.
    """

    def get_fields(self):
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}

    date = serializers.DateField(required=False)
    back_pain = pain_field()
    hip_pain = pain_field()
    sitting_hours = serializers.DecimalField(
        max_digits=3,
        decimal_places=1,
        min_value=0,
        max_value=24,
        required=False,
        allow_null=True,
        coerce_to_string=False,
        error_messages={
            "min_value": "Sitting time is between 0 and 24 hours.",
            "max_value": "Sitting time is between 0 and 24 hours.",
            "max_whole_digits": "Sitting time is between 0 and 24 hours.",
            "max_digits": "Sitting time is between 0 and 24 hours.",
            "max_decimal_places": "Give sitting time in whole or half hours, for example 6 or 6.5.",
            "invalid": "Give sitting time as a number of hours, for example 6 or 6.5.",
        },
    )
    worse_after_sitting = serializers.BooleanField(required=False, allow_null=True)
    eased_by_walking = serializers.BooleanField(required=False, allow_null=True)
    first_region = serializers.ChoiceField(
        choices=LeadingRegion.choices,
        required=False,
        allow_blank=True,
        allow_null=True,
        error_messages={"invalid_choice": "Choose one of hip, back, together or unsure."},
    )
    note = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        allow_null=True,
        error_messages={"max_length": "Keep the note to 2,000 characters or fewer."},
    )
    url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def get_url(self, checkin) -> str:
        return f"{checkins_url()}{checkin.date.isoformat()}/"

    def validate_date(self, value):
        return as_drf_error(rules.validate_checkin_date, self.context["patient"], value)

    # Not answered is stored as "" whether a client leaves the field out, sends "" or sends null.
    def validate_first_region(self, value):
        return value or ""

    def validate_note(self, value):
        return value or ""

    def validate_sitting_hours(self, value):
        return as_drf_error(rules.validate_sitting_hours, value)


class CheckInRangeSerializer(serializers.Serializer):
    """The list filters ``from`` and ``to`` (inclusive local dates)."""

    from_ = serializers.DateField(required=False)
    to = serializers.DateField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs):
        if "from" in attrs and "to" in attrs and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"from": ["'from' must be on or before 'to'."]})
        return attrs


class FlareSerializer(serializers.ModelSerializer):
    intensity = pain_field()
    region = serializers.ChoiceField(
        choices=Flare.Region.choices, error_messages={"invalid_choice": "Choose one of back, hip or both."}
    )
    occurred_at = serializers.DateTimeField(required=False)
    trigger = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        error_messages={"max_length": "Keep the note to 2,000 characters or fewer."},
    )

    class Meta:
        model = Flare
        fields = ["id", "occurred_at", "region", "intensity", "trigger", "note", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_occurred_at(self, value):
        return as_drf_error(rules.normalise_flare_time, self.context["patient"], value)
