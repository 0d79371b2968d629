"""The one access layer: every API view says whom it serves, and querysets start from the user."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from careteam.models import AccessLogEntry
from checkins.models import CheckIn
from tests.careteam_helpers import link
from tests.factories import CheckInFactory, PatientFactory
from vida.permissions import Audience, DeclaredAudience

pytestmark = pytest.mark.django_db


def api_views(patterns=None, prefix=""):
    """(route, view class) of every DRF view in the URL conf."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from api_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view_class = getattr(entry.callback, "cls", None)
            if view_class is not None and issubclass(view_class, APIView):
                yield prefix + str(entry.pattern), view_class


def test_every_api_view_declares_whom_it_serves():
    undeclared = [
        route
        for route, view in api_views()
        if route.startswith("api/v1/") and not isinstance(getattr(view, "audience", None), Audience)
    ]
    assert undeclared == []


def test_a_view_that_declares_no_audience_is_refused_to_everyone(patient):
    class Forgetful(APIView):
        def get(self, request):
            raise AssertionError("never reached")

    request = APIRequestFactory().get("/")
    request.user = patient
    assert DeclaredAudience().has_permission(request, Forgetful()) is False
    response = Forgetful.as_view()(request)
    assert response.status_code in (401, 403)


def test_for_user_gives_a_patient_their_rows_and_a_clinician_their_linked_patients_rows(
    patient, other_patient, clinician
):
    mine = CheckInFactory(patient=patient)
    theirs = CheckInFactory(patient=other_patient)
    unlinked = CheckInFactory(patient=PatientFactory())
    link(clinician, patient)
    link(clinician, other_patient)
    assert list(CheckIn.objects.for_user(patient)) == [mine]
    assert set(CheckIn.objects.for_user(clinician)) == {mine, theirs}
    assert unlinked not in CheckIn.objects.for_user(clinician)
    assert not CheckIn.objects.for_user(None).exists()
    assert (
        not AccessLogEntry.objects.for_user(clinician).exclude(patient__in=[patient, other_patient]).exists()
    )
