from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from screening import actions
from screening.api.serializers import (
    AnswersSerializer,
    DoctorCheckedSerializer,
    QuestionnaireSerializer,
    ScreeningResponseSerializer,
)
from screening.models import ScreeningResponse
from screening.questionnaire import CURRENT
from vida.api import PatientAPIMixin
from vida.permissions import Audience


class QuestionnaireView(generics.GenericAPIView):
    """The current questionnaire. Any signed-in person may read it: it holds no one's data."""

    serializer_class = QuestionnaireSerializer
    audience = Audience.SIGNED_IN

    def get(self, request):
        return Response(self.get_serializer(CURRENT).data)


class ResponseListCreate(PatientAPIMixin, generics.ListCreateAPIView):
    """My screenings, newest first; POST answers to take the screening again."""

    serializer_class = ScreeningResponseSerializer

    def get_queryset(self):
        return ScreeningResponse.objects.for_patient(self.request.user).order_by("-created_at")

    @extend_schema(
        description=(
            "Take the screening: every question of the version answered. A bad answer is a 400 "
            "naming its question, and nothing is stored."
        ),
        request=AnswersSerializer,
        responses={201: ScreeningResponseSerializer},
    )
    def post(self, request):
        answers = AnswersSerializer(data=request.data)
        answers.is_valid(raise_exception=True)
        response = actions.record_screening(request.user, **answers.validated_data)
        data = self.get_serializer(response).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})


class LatestResponse(PatientAPIMixin, generics.RetrieveAPIView):
    """My most recent screening; 404 before the first."""

    serializer_class = ScreeningResponseSerializer

    def get_object(self):
        latest = ScreeningResponse.objects.latest_for(self.request.user)
        if latest is None:
            raise Http404("No screening yet.")
        return latest


class ResponseDetail(PatientAPIMixin, generics.RetrieveAPIView):
    """One of my screenings; anyone else's is a 404."""

    serializer_class = ScreeningResponseSerializer

    def get_object(self):
        mine = ScreeningResponse.objects.for_patient(self.request.user)
        return get_object_or_404(mine, pk=self.kwargs["response_id"])


class DoctorChecked(PatientAPIMixin, generics.GenericAPIView):
    """Record that a doctor has checked the urgent red flags of my latest screening."""

    serializer_class = ScreeningResponseSerializer

    @extend_schema(
        description=(
            "For an urgent red flag that pauses stretch suggestions: the day (`checked_on`, "
            "YYYY-MM-DD, in my own calendar) a doctor checked it, not in the future and not before "
            "the screening. It lifts the pause; a clinician's review is still to come. Emergency "
            "flags, no red flag, or a bad date are a 400 naming `checked_on`, and nothing changes."
        ),
        request=DoctorCheckedSerializer,
        responses={200: ScreeningResponseSerializer},
    )
    def post(self, request):
        given = DoctorCheckedSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            response = actions.record_doctor_checked(request.user, given.validated_data["checked_on"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(self.get_serializer(response).data)
