"""The Numeric Rating Scale every pain figure in Vida uses: whole numbers 0 to 10.

0 is no pain, 10 the worst imaginable. Check-ins, flares and the before/after
ratings of a stretch session all rate pain on it, so its validators, its
database constraint and its API field are defined here once.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from rest_framework import serializers

PAIN_MIN = 0
PAIN_MAX = 10

PAIN_VALIDATORS = [MinValueValidator(PAIN_MIN), MaxValueValidator(PAIN_MAX)]

PAIN_MESSAGE = "Rate it with a whole number from 0 (no pain) to 10 (worst imaginable)."


def pain_range(field):
    """A check constraint holding ``field`` to the scale (NULL passes, for optional ratings)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": PAIN_MIN, f"{field}__lte": PAIN_MAX}),
        name=f"%(class)s_{field}_0_10",
    )


def pain_field(**kwargs):
    """The API field for one rating; every way of getting it wrong gets the same plain message."""
    return serializers.IntegerField(
        min_value=PAIN_MIN,
        max_value=PAIN_MAX,
        error_messages={
            key: PAIN_MESSAGE
            for key in ("required", "null", "invalid", "min_value", "max_value", "max_string_length")
        },
        **kwargs,
    )
