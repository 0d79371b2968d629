"""``{% report_downloads %}``: links to the visit-ready report, one per period, for any page.

On a patient's own pages, ``{% report_downloads %}`` links their report (and
shows nothing to anyone else, such as a clinician on /settings/). A clinician's
page about a patient passes that patient's report URL:
``{% report_downloads url=report_url %}``; the endpoint decides access.
"""

from django import template
from django.urls import reverse

from reports.build import DEFAULT_DAYS, REPORT_DAYS

register = template.Library()


@register.inclusion_tag("reports/_downloads.html", takes_context=True)
def report_downloads(context, url=None):
    for_patient = url is None
    if for_patient:
        user = context["request"].user
        if not (user.is_authenticated and user.is_patient):
            return {"links": []}
        url = reverse("api:my-report")
    return {
        "for_patient": for_patient,
        "links": [(f"{url}?days={days}", days, days == DEFAULT_DAYS) for days in REPORT_DAYS],
    }
