"""The nudges app's parts of pages other apps render: the reminders form on /settings/, notices on /today/."""

from django import template

from nudges import forms
from nudges.notices import today_notices

register = template.Library()


@register.inclusion_tag("nudges/_settings_reminders.html", takes_context=True)
def reminder_settings(context):
    user = context["request"].user
    if not (user.is_patient or user.is_clinician):
        return {"show": False}
    values = forms.current_values(user)
    return {
        "show": True,
        "reminders": forms.form_context(user, values, {}),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("nudges/_today_notices.html", takes_context=True)
def today_notice_list(context):
    request = context["request"]
    return {
        "notices": today_notices(request.user),
        "path": request.path,
        "csrf_token": context.get("csrf_token"),
    }
