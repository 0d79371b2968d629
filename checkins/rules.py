"""Domain rules for check-ins and flares, shared by the API, the pages and the seeders."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

# A day can be logged or corrected up to this many days after it: late enough to
# catch up after a bad week, soon enough that memory of the day is still fair.
CHECKIN_WINDOW_DAYS = 14

# A flare remembered later (say, for a clinic visit) can be logged within the
# longest range the trends show.
FLARE_WINDOW_DAYS = 365

# Phones and laptops disagree about the time by a few seconds; a flare stamped a
# little ahead of the server is stored at the server's now rather than refused.
CLOCK_SKEW = dt.timedelta(minutes=2)


def checkin_window(patient):
    """The first and last local dates a patient may write a check-in for."""
    today = patient.local_today()
    return today - dt.timedelta(days=CHECKIN_WINDOW_DAYS), today


def validate_checkin_date(patient, day):
    earliest, today = checkin_window(patient)
    if day > today:
        raise ValidationError("This date is in the future; you can log today or earlier.", code="future")
    if day < earliest:
        raise ValidationError(
            f"This date is more than {CHECKIN_WINDOW_DAYS} days ago; you can log from "
            f"{earliest:%d %b %Y} onwards.",
            code="too_old",
        )
    return day


def validate_sitting_hours(value):
    if value is not None and (value * 2) % 1 != 0:
        raise ValidationError(
            "Give sitting time in whole or half hours, for example 6 or 6.5.", code="half_hours"
        )
    return value


def normalise_flare_time(patient, occurred_at):
    """Flares are never in the future, and go back at most a year (the longest trends window)."""
    now = timezone.now()
    if occurred_at > now + CLOCK_SKEW:
        raise ValidationError("This time is in the future.", code="future")
    earliest = now - dt.timedelta(days=FLARE_WINDOW_DAYS)
    if occurred_at < earliest:
        raise ValidationError(f"Flares can be logged up to {FLARE_WINDOW_DAYS} days back.", code="too_old")
    return min(occurred_at, now)
