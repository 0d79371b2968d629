"""The reminders form: the API's field names and serializer, values shaped for the template."""

import datetime as dt

from accounts.timezones import timezone_names
from nudges.api.serializers import ReminderSettingsSerializer
from nudges.models import Channel, NudgePreferences, in_quiet_hours, kinds_for
from vida.forms import error_summary

FIELDS = ["kinds", "channels", "reminder_time", "timezone", "quiet_hours_start", "quiet_hours_end"]
LABELS = {
    "kinds": "Nudges",
    "channels": "Where they arrive",
    "reminder_time": "Reminder time",
    "timezone": "Time zone for reminders",
    "quiet_hours_start": "Quiet from",
    "quiet_hours_end": "Quiet until",
}
KIND_HINTS = {
    "checkin_reminder": "At your reminder time, if you have not checked in that day.",
    "stretch_nudge": "When you have not finished a stretch for 3 days.",
    "reengagement": "After 3 days without a check-in; then less and less often.",
    "clinician_digest": "Each morning at your digest time: your patients with a flag, by name and flag.",
    "red_flag_alert": "As soon as a linked patient's screening raises a red flag (by email once your quiet hours end).",
}


def posted_values(post):
    """The form as the API's body: checkbox groups as lists (none ticked: an empty list)."""
    values = {name: post.get(name, "") for name in FIELDS if name not in ("kinds", "channels")}
    values["kinds"] = post.getlist("kinds")
    values["channels"] = post.getlist("channels")
    return values


def current_values(user):
    return ReminderSettingsSerializer(NudgePreferences.for_user(user), context={"user": user}).data


def form_context(user, values, errors):
    return {
        "values": values,
        "errors": errors,
        "summary": error_summary(errors, LABELS),
        "kinds": [
            {
                "value": kind.value,
                "label": kind.label,
                "hint": KIND_HINTS[kind],
                "checked": kind in values["kinds"],
            }
            for kind in kinds_for(user)
        ],
        "quiet_conflict": quiet_conflict(values),
        "time_label": "Digest time" if user.is_clinician else "Reminder time",
        "time_hint": (
            "Your local time. The morning digest of flagged patients comes then."
            if user.is_clinician
            else "Your local time. The check-in reminder comes then, only if you have not checked in yet that day."
        ),
        "channels": [
            {
                "value": Channel.EMAIL,
                "label": f"By email ({user.email})" if user.email else "By email",
                "checked": Channel.EMAIL in values["channels"],
            },
            {
                "value": Channel.IN_APP,
                "label": "In the app, on Clinic" if user.is_clinician else "In the app, on Today",
                "checked": Channel.IN_APP in values["channels"],
            },
        ],
        "timezones": timezone_names(),
    }


def quiet_conflict(values):
    """A note when the saved reminder time falls inside the quiet hours: nothing arrives then."""
    try:
        at, start, end = (
            dt.time.fromisoformat(values[name])
            for name in ("reminder_time", "quiet_hours_start", "quiet_hours_end")
        )
    except (KeyError, TypeError, ValueError):
        return None
    if not in_quiet_hours(at, start, end):
        return None
    return (
        f"{at:%H:%M} is inside your quiet hours ({start:%H:%M}-{end:%H:%M}), so nothing will arrive then. "
        "Choose a time outside them, or change the quiet hours."
    )
