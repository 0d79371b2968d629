"""Reminder preferences, and the nudges themselves: one outbox row per nudge, written before sending.

The row is the promise: a database constraint allows one nudge of a kind per
person per local day, so a second scheduler, a retried task or a worker killed
mid-batch can never make a second one. The same row is the in-app notice.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.functional import cached_property

from accounts.timezones import validate_timezone


class Kind(models.TextChoices):
    CHECKIN_REMINDER = "checkin_reminder", "Daily check-in reminder"
    STRETCH_NUDGE = "stretch_nudge", "Stretch nudge"
    REENGAGEMENT = "reengagement", "Welcome-back message"
    # For clinicians (see nudges/rules.py).
    CLINICIAN_DIGEST = "clinician_digest", "Morning digest of flagged patients"
    RED_FLAG_ALERT = "red_flag_alert", "Red-flag alert"


PATIENT_KINDS = [Kind.CHECKIN_REMINDER, Kind.STRETCH_NUDGE, Kind.REENGAGEMENT]
CLINICIAN_KINDS = [Kind.CLINICIAN_DIGEST, Kind.RED_FLAG_ALERT]


def kinds_for(user):
    """The kinds of nudge a person can get: a patient's three, or a clinician's two."""
    return CLINICIAN_KINDS if user.is_clinician else PATIENT_KINDS


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    IN_APP = "in_app", "In the app"


class NudgePreferences(models.Model):
    """How one person wants to be nudged. A person without a row has the defaults.

    One on/off column per kind and per channel, named as the kind or channel
    is, so the due-selection queries filter on plain columns.
    """

    DEFAULT_REMINDER_TIME = dt.time(19, 0)
    # A clinician's reminder time is when their digest arrives: in the morning, before clinic.
    CLINICIAN_REMINDER_TIME = dt.time(8, 0)
    DEFAULT_QUIET_HOURS = (dt.time(21, 30), dt.time(8, 0))

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="nudge_preferences"
    )
    checkin_reminder = models.BooleanField(default=True)
    stretch_nudge = models.BooleanField(default=True)
    reengagement = models.BooleanField(default=True)
    clinician_digest = models.BooleanField(default=True)
    red_flag_alert = models.BooleanField(default=True)
    email = models.BooleanField("by email", default=True)
    in_app = models.BooleanField("in the app", default=True)
    reminder_time = models.TimeField(default=DEFAULT_REMINDER_TIME, help_text="Local time of day.")
    timezone = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        validators=[validate_timezone],
        help_text="IANA time zone for reminders; empty follows the profile's time zone.",
    )
    # Equal start and end: no quiet hours. A start after the end spans midnight.
    quiet_hours_start = models.TimeField(default=DEFAULT_QUIET_HOURS[0])
    quiet_hours_end = models.TimeField(default=DEFAULT_QUIET_HOURS[1])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "nudge preferences"
        verbose_name_plural = "nudge preferences"

    def __str__(self):
        return f"nudge preferences of {self.user}"

    @classmethod
    def default_reminder_time(cls, role):
        from accounts.models import Role

        return cls.CLINICIAN_REMINDER_TIME if role == Role.CLINICIAN else cls.DEFAULT_REMINDER_TIME

    @classmethod
    def for_user(cls, user):
        """The person's saved preferences, or the defaults (unsaved) if they never changed them."""
        try:
            return user.nudge_preferences
        except cls.DoesNotExist:
            return cls(user=user, reminder_time=cls.default_reminder_time(user.role))

    @property
    def zone_name(self):
        return self.timezone or self.user.timezone

    def wants(self, kind):
        return getattr(self, kind)

    def kinds(self, among):
        return [kind for kind in among if getattr(self, kind)]

    def channels(self):
        return [channel for channel in Channel.values if getattr(self, channel)]

    def is_quiet(self, local_time):
        """True inside quiet hours. The SQL twin is rules.in_quiet_hours; tests hold them equal."""
        return in_quiet_hours(local_time, self.quiet_hours_start, self.quiet_hours_end)


def in_quiet_hours(local_time, start, end):
    if start < end:
        return start <= local_time < end
    if start > end:  # spans midnight, e.g. 21:30-08:00
        return local_time >= start or local_time < end
    return False


class Status(models.TextChoices):
    PENDING = "pending", "Email waiting to be sent"
    SENDING = "sending", "Email claimed by a worker"
    SENT = "sent", "Emailed"
    IN_APP_ONLY = "in_app_only", "In the app only"
    EXPIRED = "expired", "Not emailed: no longer wanted when a worker got to it"
    FAILED = "failed", "Email failed"


class NudgeQuerySet(models.QuerySet):
    def for_recipient(self, user):
        return self.filter(recipient=user)

    def notifications_for(self, user):
        """The person's in-app notices, newest first (uses ``nudge_in_app_recent``).

        A red-flag alert names its patient and links to their record while the
        person may still see that patient (``for_user``): both come along here
        (``alert_patient_id``, ``alert_patient_name``), so a list of notices is one query.
        """
        from screening.models import ScreeningResponse

        about = ScreeningResponse.objects.for_user(user).filter(pk=OuterRef("reference"))
        name = Coalesce(NullIf("patient__display_name", Value("")), "patient__username")  # as str(User)
        return (
            self.for_recipient(user)
            .filter(in_app=True)
            .annotate(
                alert_patient_id=Subquery(about.values("patient__public_id")[:1]),
                alert_patient_name=Subquery(about.annotate(name=name).values("name")[:1]),
            )
            .order_by("-created_at")
        )


class Nudge(models.Model):
    """One nudge to one person: the outbox row for its email and its in-app notice.

    Lifecycle of the email: ``pending`` (written by the dispatch pass) ->
    ``sending`` (claimed by one worker with a conditional UPDATE and a fresh
    ``claim`` token) -> ``sent``, or ``failed`` (a permanent mail error, or
    transient ones past the last attempt), or ``expired`` (still unsent when the
    person's day ended or their quiet hours began, or they turned that kind or
    email off meanwhile). A claim whose worker died is
    handed back to ``pending`` once ``VIDA_NUDGE_CLAIM_SECONDS`` have passed.
    Nudges without email are ``in_app_only`` from the start.
    """

    Kind = Kind
    Status = Status

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    local_date = models.DateField(help_text="The recipient's local day the nudge is for.")
    # For kinds sent once per record rather than once per day: the red-flag alert
    # carries the ScreeningResponse id here, so a clinician is alerted once per
    # response (constraint nudge_once_per_reference). Null for the daily kinds
    # (constraint nudge_once_per_kind_per_local_day).
    reference = models.UUIDField(null=True, blank=True, editable=False)
    email = models.BooleanField("by email")
    in_app = models.BooleanField("in the app")
    status = models.CharField(max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True, help_text="Last handed to the workers.")
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NudgeQuerySet.as_manager()

    class Meta:
        constraints = [
            # At most one of each kind per person per local day. Also the index behind
            # "already nudged today?" and the back-off look-ups in nudges/rules.py.
            models.UniqueConstraint(
                fields=["recipient", "kind", "local_date"],
                condition=Q(reference__isnull=True),
                name="nudge_once_per_kind_per_local_day",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "reference"],
                condition=Q(reference__isnull=False),
                name="nudge_once_per_reference",
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="nudge_kind_valid"),
            # Only the red-flag alert is once per record, so no daily kind can step
            # around nudge_once_per_kind_per_local_day by carrying a reference.
            models.CheckConstraint(
                condition=Q(kind=Kind.RED_FLAG_ALERT, reference__isnull=False)
                | (~Q(kind=Kind.RED_FLAG_ALERT) & Q(reference__isnull=True)),
                name="nudge_reference_only_for_alerts",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="nudge_status_valid"),
            models.CheckConstraint(condition=Q(email=True) | Q(in_app=True), name="nudge_has_a_channel"),
            # Only an emailed nudge has an email status; the others are in_app_only.
            models.CheckConstraint(
                condition=Q(email=True, status__in=[s for s in Status.values if s != Status.IN_APP_ONLY])
                | Q(email=False, status=Status.IN_APP_ONLY),
                name="nudge_status_matches_channels",
            ),
        ]
        indexes = [
            # The dispatch pass: pending emails not handed to a worker lately
            # (enqueued_at IS NULL OR enqueued_at < now - requeue delay).
            models.Index(fields=["enqueued_at"], condition=Q(status=Status.PENDING), name="nudge_pending"),
            # The dispatch pass: claims older than VIDA_NUDGE_CLAIM_SECONDS (a dead worker's).
            models.Index(fields=["claimed_at"], condition=Q(status=Status.SENDING), name="nudge_sending"),
            # GET /api/v1/me/notifications/ and the notices on /today/, newest first.
            models.Index(
                fields=["recipient", "-created_at"], condition=Q(in_app=True), name="nudge_in_app_recent"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient} on {self.local_date}"

    @cached_property
    def presented(self):
        """Its title, text, link and link label (``nudges.content.present``), worked out once."""
        from nudges.content import present  # content reads this module's kinds

        return present(self)

    @property
    def read(self):
        return self.read_at is not None
