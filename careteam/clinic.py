"""The clinic list: every linked patient with the trend figures and flags, ranked worst first in SQL.

It reuses the trends code as is (``checkins.trends``): one query for the time
zones in use, one to count and one for the page, whatever the number of
patients; then one INSERT logs the page's patients in their access logs.
"""

from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Subquery
from rest_framework.exceptions import ValidationError

from careteam.models import Read
from checkins import trends
from screening.models import ScreeningResponse
from vida.access import log_reads, visible_patients

PAGE_SIZE = 50

# The day the patient reports a doctor checked their unreviewed (urgent) red flag, if they have:
# the list shows "patient reports checked on DATE" until a clinician reviews it.
DOCTOR_CHECKED_ON = Subquery(
    ScreeningResponse.objects.unreviewed().filter(patient=OuterRef("pk")).values("doctor_checked_on")[:1]
)

# Worst first: a red flag, then worsening, then silence; within those the
# higher back pain this week, then by name.
RANKING = (
    "-red_flag",
    "-worsening",
    "-no_recent_checkin",
    F("back_7d_mean").desc(nulls_last=True),
    "display_name",
    "username",
)


def flag_filter(raw):
    """The ``?flag=`` value, None for none; a ValidationError naming ``flag`` for anything unknown."""
    if raw in (None, ""):
        return None
    if raw not in trends.FLAGS:
        raise ValidationError({"flag": [f"Choose one of {', '.join(trends.FLAGS)}."]})
    return raw


def ranked_patients(clinician, flag=None):
    """The clinician's linked patients annotated with the trends, worst first (unevaluated)."""
    patients = visible_patients(clinician)
    rows = trends.annotated_patients(trends.LocalDates.for_patients(patients)).filter(pk__in=patients)
    if flag:
        rows = rows.filter(**{flag: True})
    return rows.annotate(red_flag_checked_on=DOCTOR_CHECKED_ON).order_by(*RANKING)


def patient_page(clinician, flag=None, number=1):
    """One page of ``ranked_patients``; every patient on it gets a "clinic list" entry in their access log."""
    page = Paginator(ranked_patients(clinician, flag), PAGE_SIZE).get_page(number)
    log_reads(clinician, page.object_list, Read.LIST)
    return page


def page_url(request, number):
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
