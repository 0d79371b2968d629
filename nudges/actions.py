"""Every write a person makes to their nudges: preferences, unsubscribing, reading notices."""

from django.db import transaction
from django.utils import timezone

from nudges.models import Channel, Nudge, NudgePreferences, kinds_for


@transaction.atomic
def save_preferences(user, values):
    """Replace the person's reminder settings with validated ``values`` (the API's field names).

    ``kinds`` and ``channels`` list what is on, among the kinds of the person's
    role (the other role's columns are left as they are). A reminder time zone equal to the profile's is stored as
    "follow the profile", so changing the profile's zone later moves the reminders too.
    """
    preferences, _ = NudgePreferences.objects.select_for_update().get_or_create(
        user=user, defaults={"reminder_time": NudgePreferences.default_reminder_time(user.role)}
    )
    for kind in kinds_for(user):
        setattr(preferences, kind, kind in values["kinds"])
    for channel in Channel.values:
        setattr(preferences, channel, channel in values["channels"])
    preferences.reminder_time = values["reminder_time"]
    preferences.quiet_hours_start = values["quiet_hours_start"]
    preferences.quiet_hours_end = values["quiet_hours_end"]
    preferences.timezone = None if values["timezone"] == user.timezone else values["timezone"]
    preferences.save()
    return preferences


def unsubscribe(user, kind):
    """Turn one kind of nudge off (the one-click link in its emails)."""
    preferences, _ = NudgePreferences.objects.get_or_create(
        user=user, defaults={"reminder_time": NudgePreferences.default_reminder_time(user.role)}
    )
    if getattr(preferences, kind):
        NudgePreferences.objects.filter(pk=preferences.pk).update(**{kind: False}, updated_at=timezone.now())


def mark_read(nudge, read=True):
    nudge.read_at = (nudge.read_at or timezone.now()) if read else None
    Nudge.objects.filter(pk=nudge.pk).update(read_at=nudge.read_at)
    return nudge


def mark_all_read(user):
    return Nudge.objects.notifications_for(user).filter(read_at__isnull=True).update(read_at=timezone.now())
