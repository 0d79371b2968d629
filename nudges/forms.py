"""The reminders form: the API's field names and serializer, values shaped for the template."""

from accounts.timezones import timezone_names
from nudges.api.serializers import ReminderSettingsSerializer
from nudges.models import Channel, NudgePreferences, kinds_for
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
    "red_flag_alert": "As soon as a linked patient's screening raises a red flag (outside your quiet hours).",
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
