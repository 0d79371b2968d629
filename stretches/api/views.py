from django.db.models import prefetch_related_objects
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from stretches import actions, recommend
from stretches.access import session_for
from stretches.api.serializers import (
    RecommendationSerializer,
    ReliefSerializer,
    SessionProgressSerializer,
    StretchSessionSerializer,
    StretchVideoSerializer,
    VideoFilterSerializer,
)
from stretches.models import StretchSession, StretchVideo
from vida.api import PatientAPIMixin
from vida.permissions import Audience


@extend_schema(
    parameters=[
        OpenApiParameter("region", str, enum=StretchVideo.Region.values),
        OpenApiParameter("intensity", str, enum=StretchVideo.Intensity.values),
        OpenApiParameter("max_seconds", int, description="Longest length wanted, in seconds"),
    ]
)
class VideoList(generics.ListAPIView):
    """The stretch library. Any signed-in person may browse it; staff also see unpublished videos."""

    serializer_class = StretchVideoSerializer
    audience = Audience.SIGNED_IN

    def get_queryset(self):
        videos = StretchVideo.objects.visible_to(self.request.user).prefetch_related("steps")
        filters = VideoFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return filters.filter(videos).order_by("title")


class VideoDetail(generics.RetrieveAPIView):
    serializer_class = StretchVideoSerializer
    audience = Audience.SIGNED_IN
    lookup_field = "slug"

    def get_queryset(self):
        return StretchVideo.objects.visible_to(self.request.user).prefetch_related("steps")


class Recommended(PatientAPIMixin, APIView):
    """Today's focus, in plain words, with one or two videos (none while paused)."""

    @extend_schema(responses=RecommendationSerializer)
    def get(self, request):
        recommendation = recommend.today_recommendation(request.user)
        prefetch_related_objects(recommendation["videos"], "steps")
        return Response(RecommendationSerializer(recommendation).data)


class Relief(PatientAPIMixin, generics.ListAPIView):
    """Which stretches have eased this patient most: mean drop in pain from before to after."""

    serializer_class = ReliefSerializer
    pagination_class = None

    def get_queryset(self):
        return recommend.relief_by_video(self.request.user)


class SessionListCreate(PatientAPIMixin, generics.ListCreateAPIView):
    serializer_class = StretchSessionSerializer

    def get_queryset(self):
        sessions = StretchSession.objects.for_patient(self.request.user).select_related("video")
        return sessions.order_by("-started_at")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        session = actions.start_session(request.user, values.pop("video"), values)
        location = reverse("api:stretch-session-detail", kwargs={"session_id": session.pk})
        return Response(
            self.get_serializer(session).data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )


class SessionDetail(PatientAPIMixin, generics.GenericAPIView):
    """One of the patient's own sessions; PATCH reports progress and ratings."""

    serializer_class = StretchSessionSerializer

    def get(self, request, session_id):
        return Response(self.get_serializer(session_for(request.user, session_id)).data)

    @extend_schema(request=SessionProgressSerializer, responses=StretchSessionSerializer)
    def patch(self, request, session_id):
        session = session_for(request.user, session_id)
        report = SessionProgressSerializer(data=request.data, context={"session": session})
        report.is_valid(raise_exception=True)
        values = dict(report.validated_data)
        watched = values.pop("watched_seconds", None)
        session = actions.record_progress(session, watched_seconds=watched, pains=values)
        return Response(self.get_serializer(session).data)
