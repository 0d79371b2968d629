"""Helpers for the nudges tests: people who are due at a chosen instant, and the outbox as sets."""

import datetime as dt
import zoneinfo

from accounts.models import User
from nudges import dispatch, rules
from nudges.models import Nudge, NudgePreferences
from tests.factories import PatientFactory


def at(zone, *args):
    """An aware instant given as a local wall-clock time in ``zone``."""
    return dt.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


def patient_in(zone, joined=None, **preferences):
    """A patient living by ``zone``; ``preferences`` saved as NudgePreferences if given."""
    patient = PatientFactory(timezone=zone)
    if joined is not None:
        patient.date_joined = joined
        patient.save(update_fields=["date_joined"])
    if preferences:
        NudgePreferences.objects.create(user=patient, **preferences)
    return patient


def due(now):
    """``{(username, kind, local_date)}`` due at ``now``, nothing recorded."""
    rows = rules.due_nudges(now)
    names = dict(User.objects.filter(pk__in=[r.recipient_id for r in rows]).values_list("pk", "username"))
    return {(names[row.recipient_id], str(row.kind), row.local_date) for row in rows}


def record(now):
    """Run the recording half of a dispatch pass at ``now``; returns the rows it wrote."""
    before = set(Nudge.objects.values_list("pk", flat=True))
    dispatch.record_due_nudges(now)
    return list(Nudge.objects.exclude(pk__in=before).select_related("recipient"))


def outbox():
    return {(n.recipient.username, n.kind, n.local_date) for n in Nudge.objects.select_related("recipient")}
