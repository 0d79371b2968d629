"""The in-app side of nudges: what a notice says, and which ones /today/ shows."""

import datetime as dt
from dataclasses import asdict

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from checkins.models import CheckIn
from nudges.models import Kind, Nudge

# /today/ shows the unread notices of the last few days, newest first.
TODAY_NOTICE_DAYS = 3
TODAY_NOTICE_LIMIT = 3


def today_notices(patient):
    """Unread notices for /today/. A check-in reminder drops out once its day has a check-in."""
    since = timezone.now() - dt.timedelta(days=TODAY_NOTICE_DAYS)
    day_checked_in = Exists(CheckIn.objects.filter(patient=patient, date=OuterRef("local_date")))
    notices = (
        Nudge.objects.notifications_for(patient)
        .filter(read_at__isnull=True, created_at__gte=since)
        .exclude(Q(kind=Kind.CHECKIN_REMINDER) & day_checked_in)[:TODAY_NOTICE_LIMIT]
    )
    return [{"id": nudge.pk, "kind": nudge.kind, **asdict(nudge.presented)} for nudge in notices]
