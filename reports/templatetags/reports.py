"""``{% report_downloads %}``: the patient's links to their visit-ready report, for any page."""

from django import template
from django.urls import reverse

from reports.build import DEFAULT_DAYS, REPORT_DAYS

register = template.Library()


@register.inclusion_tag("reports/_downloads.html", takes_context=True)
def report_downloads(context):
    """One link per period; nothing for someone who keeps no record (a clinician's settings page)."""
    user = context["request"].user
    if not (user.is_authenticated and user.is_patient):
        return {"links": []}
    url = reverse("api:my-report")
    return {"links": [(f"{url}?days={days}", days, days == DEFAULT_DAYS) for days in REPORT_DAYS]}
