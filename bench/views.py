"""The baseline endpoints that `make bench` measures the product's endpoints against.

Mounted only when ``settings.VIDA_BENCH_ENDPOINTS`` is on (bench/urls.py), which
bench/common.py sets for its gunicorn; never in production.
"""

import functools

from django.contrib.auth import get_user_model
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from checkins import trends
from checkins.models import Flare
from vida.permissions import Audience

# bench/checkin.py creates this patient; every bare insert is a flare of theirs.
BARE_PATIENT_USERNAME = "bench-bare"


class BareFlareSerializer(serializers.Serializer):
    region = serializers.ChoiceField(choices=Flare.Region.choices)
    intensity = serializers.IntegerField(min_value=0, max_value=10)


@functools.cache
def bare_patient_id():
    """Looked up once per worker process (the warm-up pays for it), so a measured request runs one INSERT."""
    return get_user_model().objects.values_list("pk", flat=True).get(username=BARE_PATIENT_USERNAME)


class BareInsert(APIView):
    """The floor for any write endpoint of this app on this stack: the same middleware,
    DRF's JSON parsing and rendering, a minimal serializer, and exactly one INSERT
    (besides the SELECT 1 that CONN_HEALTH_CHECKS sends on every request's first
    query). No authentication, no transaction block."""

    authentication_classes = []
    audience = Audience.PUBLIC

    def post(self, request):
        serializer = BareFlareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        flare = Flare.objects.create(patient_id=bare_patient_id(), **serializer.validated_data)
        return Response({"id": flare.id}, status=status.HTTP_201_CREATED)


class PlainTrends(APIView):
    """The trends bench's baseline: the same answer as GET /api/v1/trends/, computed once and kept.

    Same authentication, permission and JSON rendering as the real endpoint, so
    the difference between the two is what the figures themselves cost.
    """

    audience = Audience.PATIENT
    answers = {}

    def get(self, request):
        days = int(request.query_params.get("days", trends.TREND_DAYS_DEFAULT))
        key = (request.user.pk, days)
        if key not in self.answers:
            self.answers[key] = trends.patient_trends(request.user, days).as_api()
        return Response(self.answers[key])
