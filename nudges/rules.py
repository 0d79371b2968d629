"""Who is due which nudge now: one SQL query per kind, time zones and daylight saving included.

How a dispatch pass finds them, on PostgreSQL and SQLite alike:

1. one query for the distinct time zones in use (a person's reminder zone, else
   their profile's);
2. in Python, each zone's local clock now: zoneinfo does the daylight-saving maths;
3. per kind, one query whose WHERE is an OR over those zones of "lives by this
   zone, is inside their send window there, and the kind's rule holds on this
   zone's local day", every date and time in it a constant from step 2.

The send window: at or after the person's reminder time and outside their quiet
hours. "At or after", so a pass that runs late still finds the day's nudges; the
next local day starts afresh. Preferences come from NudgePreferences through a
LEFT JOIN, with the model's defaults for people who never changed them.

The rules (one function each, listed in RULES):

- check-in reminder: no check-in yet this local day, for people who are active,
  that is who checked in on one of the two days before or joined in the last three;
- stretch nudge: an active person (checked in during the last three local days)
  who has answered the screening, has no unsettled red flag (stretches are
  paused then), and completed no stretch session in the last 3 days; at most
  one every 3 days;
- re-engagement: once there has been no check-in for three local days (today
  included) the daily reminders stop and one welcome-back message goes out;
  then another 7 days later and a last one 14 days after that, then nothing
  until the person checks in again.

At most one nudge of a kind per person per local day is the database's promise
(Nudge's unique constraint); the "not nudged yet" conditions here only keep a
pass from trying again.

For clinicians:

- morning digest: at their reminder time (08:00 unless changed), when at least
  one actively linked patient has a flag that asks for attention (DIGEST_FLAGS,
  computed by checkins.trends' own SQL); once a local day;
- red-flag alert: one per (linked clinician, screening with a red flag taken
  while they were linked), recorded at once whatever the hour (the email waits
  out quiet hours), once per screening (``Nudge.reference`` holds its id).
"""

import datetime as dt
import operator
import zoneinfo
from dataclasses import dataclass
from functools import reduce

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, UUIDField, Value
from django.db.models.functions import Coalesce

from accounts.models import Role, User
from checkins import trends
from checkins.models import CheckIn
from nudges.models import Channel, Kind, Nudge, NudgePreferences
from screening.models import ScreeningResponse
from stretches.models import StretchSession

# Checked in on one of this many local days, today included: active. Past it,
# the daily reminders stop and the re-engagement messages start.
ACTIVE_DAYS = 3
# No completed stretch session for this long brings a stretch nudge, at most one per this many days.
STRETCH_GAP_DAYS = 3
# Days to wait after each re-engagement message before the next; then stop.
REENGAGEMENT_BACKOFF_DAYS = (7, 14)

PREFERENCE_COLUMNS = [*Kind.values, *Channel.values, "reminder_time", "quiet_hours_start", "quiet_hours_end"]


@dataclass(frozen=True)
class Clock:
    """One time zone's local time at the moment of the pass."""

    zone: zoneinfo.ZoneInfo
    now: dt.datetime  # aware, in ``zone``

    @property
    def today(self):
        return self.now.date()

    @property
    def time(self):
        """Local time to the minute: reminder times and quiet hours are whole minutes."""
        return self.now.time().replace(second=0, microsecond=0)

    def day_start(self, day):
        """The instant local ``day`` begins (midnight, or the first instant after a gap at midnight)."""
        return dt.datetime.combine(day, dt.time(0), tzinfo=self.zone)

    def days_ago(self, n):
        return self.today - dt.timedelta(days=n)


@dataclass(frozen=True)
class DueNudge:
    recipient_id: int
    kind: str
    local_date: dt.date
    email: bool
    in_app: bool
    reference: object = None


def local_clocks(now, zone_names):
    """``{zone name: Clock}`` for the zones given; names zoneinfo does not know are left out."""
    clocks = {}
    for name in zone_names:
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue  # validated on every write; nothing to send by a zone that no longer exists
        clocks[name] = Clock(zone, now.astimezone(zone))
    return clocks


def _preference(name, role):
    field = NudgePreferences._meta.get_field(name)
    default = NudgePreferences.default_reminder_time(role) if name == "reminder_time" else field.default
    return Coalesce(F(f"nudge_preferences__{name}"), Value(default, output_field=field.__class__()))


def _people(role, kind):
    """Active people of ``role`` who want ``kind`` and can receive it somewhere.

    Their effective preferences are aliased ``pref_<column>``; ``nudge_zone``,
    ``pref_email`` and ``pref_in_app`` are selected for building the nudges.
    """
    return (
        User.objects.filter(role=role, is_active=True)
        .alias(
            **{
                f"pref_{name}": _preference(name, role)
                for name in PREFERENCE_COLUMNS
                if name not in Channel.values
            }
        )
        .annotate(
            nudge_zone=Coalesce(F("nudge_preferences__timezone"), F("timezone")),
            pref_email=_preference(Channel.EMAIL, role),
            pref_in_app=_preference(Channel.IN_APP, role),
        )
        .filter(**{f"pref_{kind}": True})
        .filter(Q(pref_in_app=True) | (Q(pref_email=True) & ~Q(email="")))
    )


def zones_in_use():
    """The time zones nudges are reckoned by: one query."""
    people = User.objects.filter(role__in=[Role.PATIENT, Role.CLINICIAN], is_active=True)
    zones = people.annotate(nudge_zone=Coalesce(F("nudge_preferences__timezone"), F("timezone")))
    return set(zones.order_by().values_list("nudge_zone", flat=True).distinct())


def in_quiet_hours(local_time):
    """SQL twin of models.in_quiet_hours, for a local time that is a constant of the query."""
    end = F("pref_quiet_hours_end")
    same_day = Q(
        pref_quiet_hours_start__lt=end,
        pref_quiet_hours_start__lte=local_time,
        pref_quiet_hours_end__gt=local_time,
    )
    over_midnight = Q(pref_quiet_hours_start__gt=end) & (
        Q(pref_quiet_hours_start__lte=local_time) | Q(pref_quiet_hours_end__gt=local_time)
    )
    return same_day | over_midnight


def _at_send_time(people, clocks, condition):
    """``people`` inside their send window now whose ``condition(clock)`` holds, over every zone.

    Each zone's branch tests the zone first, so the database evaluates the rest
    (subqueries included) only for the people who live by that zone.
    """
    branches = [
        Q(nudge_zone=name)
        & Q(pref_reminder_time__lte=clock.time)
        & ~in_quiet_hours(clock.time)
        & condition(clock)
        for name, clock in clocks.items()
    ]
    return people.filter(reduce(operator.or_, branches)) if branches else people.none()


def _checked_in_since(day):
    return Exists(CheckIn.objects.filter(patient=OuterRef("pk"), date__gte=day))


def _nudged(kind, **dates):
    return Exists(
        Nudge.objects.filter(
            recipient=OuterRef("pk"),
            kind=kind,
            reference__isnull=True,
            **{f"local_date__{k}": v for k, v in dates.items()},
        )
    )


def _active(clock):
    """Checked in on one of the last ACTIVE_DAYS local days, or joined within them."""
    first_day = clock.days_ago(ACTIVE_DAYS - 1)
    return Q(date_joined__gte=clock.day_start(first_day)) | _checked_in_since(first_day)


def due_checkin_reminders(now, clocks):
    def rule(clock):
        # ">= today", not "= today": a profile zone ahead of the reminder zone may
        # already date today's check-in tomorrow.
        return (
            ~_checked_in_since(clock.today)
            & _active(clock)
            & ~_nudged(Kind.CHECKIN_REMINDER, gte=clock.today)
        )

    return _at_send_time(_people(Role.PATIENT, Kind.CHECKIN_REMINDER), clocks, rule)


def due_stretch_nudges(now, clocks):
    gap_start = now - dt.timedelta(days=STRETCH_GAP_DAYS)
    patients = (
        _people(Role.PATIENT, Kind.STRETCH_NUDGE)
        .filter(date_joined__lte=gap_start)
        .exclude(
            Exists(
                StretchSession.objects.filter(
                    patient=OuterRef("pk"), completed=True, started_at__gte=gap_start
                )
            )
        )
        # Never a stretch before the first screening, nor while a red flag is unsettled.
        .filter(Exists(ScreeningResponse.objects.filter(patient=OuterRef("pk"))))
        .exclude(Exists(ScreeningResponse.objects.unsettled().filter(patient=OuterRef("pk"))))
    )

    def rule(clock):
        return _checked_in_since(clock.days_ago(ACTIVE_DAYS - 1)) & ~_nudged(
            Kind.STRETCH_NUDGE, gt=clock.days_ago(STRETCH_GAP_DAYS)
        )

    return _at_send_time(patients, clocks, rule)


def due_reengagements(now, clocks):
    last_checkin = CheckIn.objects.filter(patient=OuterRef("pk")).order_by("-date").values("date")[:1]
    since_return = Nudge.objects.filter(
        recipient=OuterRef("pk"),
        kind=Kind.REENGAGEMENT,
        reference__isnull=True,
        local_date__gt=Coalesce(OuterRef("last_checkin"), Value(dt.date.min)),
    )
    patients = _people(Role.PATIENT, Kind.REENGAGEMENT).alias(
        last_checkin=Subquery(last_checkin),
        reengaged=Coalesce(
            Subquery(since_return.order_by().values("recipient").annotate(n=Count("pk")).values("n")), 0
        ),
        last_reengaged=Subquery(since_return.order_by("-local_date").values("local_date")[:1]),
    )

    def rule(clock):
        first_day = clock.days_ago(ACTIVE_DAYS - 1)
        lapsed = Q(date_joined__lt=clock.day_start(first_day)) & ~_checked_in_since(first_day)
        steps = [Q(reengaged=0)] + [
            Q(reengaged=n, last_reengaged__lte=clock.days_ago(days))
            for n, days in enumerate(REENGAGEMENT_BACKOFF_DAYS, start=1)
        ]
        return lapsed & reduce(operator.or_, steps)

    return _at_send_time(patients, clocks, rule)


# The flags that put a patient in the clinician's morning digest: the ones that
# ask for attention (an improving patient is good news for the clinic page).
DIGEST_FLAGS = ("red_flag", "worsening", "no_recent_checkin")
# A red flag raised longer ago than this is not alerted any more (it waits on the
# clinic list): enough to outlast any quiet hours, short enough that switching
# alerts on never floods a clinician with old news.
ALERT_WINDOW = dt.timedelta(days=1)
RED_FLAG_URGENCIES = [
    urgency for urgency in ScreeningResponse.Urgency.values if urgency != ScreeningResponse.Urgency.NONE
]


def due_clinician_digests(now, clocks):
    """Clinicians at their digest time with at least one linked patient flagged (DIGEST_FLAGS).

    The flags are checkins.trends' own SQL, over every patient's local dates.
    """
    patient_dates = trends.LocalDates.for_patients(
        User.objects.filter(role=Role.PATIENT, is_active=True), now
    )
    flags = trends.flag_annotations(patient_dates)
    flagged = (
        User.objects.filter(
            role=Role.PATIENT,
            is_active=True,
            care_links__clinician=OuterRef("pk"),
            care_links__unlinked_at__isnull=True,
        )
        .annotate(**{name: flags[name] for name in DIGEST_FLAGS})
        .filter(reduce(operator.or_, (Q(**{name: True}) for name in DIGEST_FLAGS)))
    )

    def rule(clock):
        return Exists(flagged) & ~_nudged(Kind.CLINICIAN_DIGEST, gte=clock.today)

    return _at_send_time(_people(Role.CLINICIAN, Kind.CLINICIAN_DIGEST), clocks, rule)


def due_red_flag_alerts(now, clocks):
    """One row per (linked clinician, red-flag screening) not alerted yet: ``nudge_reference`` is the screening.

    Only screenings taken while the link was active and within ALERT_WINDOW,
    still unreviewed. Recorded at once, whatever the hour, so the in-app notice is
    there straight away; the email waits out the clinician's quiet hours
    (nudges.delivery.verdict).
    """
    screening = "patient_links__patient__screenings"
    alerts = (
        _people(Role.CLINICIAN, Kind.RED_FLAG_ALERT)
        .filter(
            Q(patient_links__unlinked_at__isnull=True),
            # Positive conditions only: on a multi-valued relation a negated one
            # would become "no screening of theirs is clear" instead of "this one is not".
            Q(**{f"{screening}__urgency__in": RED_FLAG_URGENCIES}),
            Q(**{f"{screening}__reviewed_at__isnull": True}),
            Q(**{f"{screening}__created_at__gte": now - ALERT_WINDOW}),
            Q(**{f"{screening}__created_at__gte": F("patient_links__linked_at")}),
        )
        .annotate(nudge_reference=F(f"{screening}__id"))
    )
    alerted = Nudge.objects.filter(
        recipient=OuterRef("pk"), kind=Kind.RED_FLAG_ALERT, reference=OuterRef("nudge_reference")
    )
    return alerts.exclude(Exists(alerted)).filter(nudge_zone__in=list(clocks))


# Kind -> rule: a function (now, clocks) -> queryset of recipients, with
# ``nudge_reference`` annotated for the kinds sent once per record.
RULES = {
    Kind.CHECKIN_REMINDER: due_checkin_reminders,
    Kind.STRETCH_NUDGE: due_stretch_nudges,
    Kind.REENGAGEMENT: due_reengagements,
    Kind.CLINICIAN_DIGEST: due_clinician_digests,
    Kind.RED_FLAG_ALERT: due_red_flag_alerts,
}


def due_nudges(now):
    """Every nudge due at ``now`` that has not been made yet, as DueNudge rows (1 + one query per kind)."""
    due = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A subplan per zone makes these queries look costly to the planner, and it
            # would spend seconds JIT-compiling what runs in a fraction of a second.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        clocks = local_clocks(now, zones_in_use())
        for kind, rule in RULES.items():
            recipients = rule(now, clocks)
            if "nudge_reference" not in recipients.query.annotations:
                recipients = recipients.annotate(nudge_reference=Value(None, output_field=UUIDField()))
            rows = recipients.values_list(
                "pk", "nudge_zone", "pref_email", "pref_in_app", "email", "nudge_reference"
            )
            for pk, zone, by_email, in_app, address, reference in rows:
                due.append(
                    DueNudge(
                        pk, kind, clocks[zone].today, bool(by_email and address), bool(in_app), reference
                    )
                )
    return due
