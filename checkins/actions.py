"""Every write to check-ins and flares goes through here, from the API and the pages alike."""

from contextlib import nullcontext

from django.db import IntegrityError, connection, transaction

from checkins.models import CheckIn, Flare

# What a check-in's optional fields are when a full replacement (PUT, the form)
# leaves them out.
OPTIONAL_DEFAULTS = {
    "sitting_hours": None,
    "worse_after_sitting": None,
    "eased_by_walking": None,
    "first_region": "",
    "note": "",
}


class CheckInExists(Exception):
    def __init__(self, checkin):
        super().__init__(f"A check-in for {checkin.date} already exists.")
        self.checkin = checkin


def create_checkin(patient, values):
    """Insert a new day, or raise CheckInExists if the patient already has that date.

    The unique constraint decides, so two requests racing for the same day end
    as one row and one CheckInExists, whatever the timing.
    """
    # Outside a transaction the single INSERT commits by itself, so no BEGIN and
    # COMMIT round trips; inside one (a caller's atomic block), a savepoint keeps
    # a conflict from spoiling the caller's transaction.
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            return CheckIn.objects.create(patient=patient, **{**OPTIONAL_DEFAULTS, **values})
    except IntegrityError:
        existing = CheckIn.objects.filter(patient=patient, date=values["date"]).first()
        if existing is None:
            raise
        raise CheckInExists(existing) from None


def save_checkin(patient, day, values, *, partial=False):
    """Create the day or replace it (``partial`` updates only the given fields).

    Returns ``(checkin, created)``. Concurrent saves of one day serialise on the
    row lock or the unique constraint; neither ever makes a second row.
    """
    fields = dict(values) if partial else {**OPTIONAL_DEFAULTS, **values}
    fields.pop("date", None)
    return CheckIn.objects.update_or_create(patient=patient, date=day, defaults=fields)


def delete_checkin(checkin):
    checkin.delete()


def log_flare(patient, values):
    return Flare.objects.create(patient=patient, **values)
