from collections.abc import Mapping

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from checkins import actions, trends
from checkins.api.serializers import CheckInRangeSerializer, CheckInSerializer, FlareSerializer
from checkins.api.trend_serializers import TrendsQuerySerializer, TrendsSerializer
from checkins.models import CheckIn, Flare
from vida.api import PatientAPIMixin


@extend_schema(
    parameters=[
        OpenApiParameter("from", str, description="First local date, YYYY-MM-DD, inclusive"),
        OpenApiParameter("to", str, description="Last local date, YYYY-MM-DD, inclusive"),
    ]
)
class CheckInListCreate(PatientAPIMixin, generics.ListCreateAPIView):
    serializer_class = CheckInSerializer

    def get_queryset(self):
        checkins = CheckIn.objects.for_patient(self.request.user).order_by("-date")
        if self.request.method == "GET":
            bounds = CheckInRangeSerializer(data=self.request.query_params)
            bounds.is_valid(raise_exception=True)
            if "from" in bounds.validated_data:
                checkins = checkins.filter(date__gte=bounds.validated_data["from"])
            if "to" in bounds.validated_data:
                checkins = checkins.filter(date__lte=bounds.validated_data["to"])
        return checkins

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = {"date": request.user.local_today(), **serializer.validated_data}
        try:
            serializer.instance = actions.create_checkin(request.user, values)
        except actions.CheckInExists as conflict:
            existing = self.get_serializer(conflict.checkin).data
            return Response(
                {
                    "detail": "You already checked in for this date. PUT or PATCH its URL to change it.",
                    "date": existing["date"],
                    "url": existing["url"],
                },
                status=status.HTTP_409_CONFLICT,
                headers={"Location": existing["url"]},
            )
        # The validated serializer renders the new row: building a second one costs
        # about a tenth of this request (bench/README.md).
        data = serializer.data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})


class CheckInDetail(PatientAPIMixin, generics.GenericAPIView):
    """One local day. PUT creates or replaces it; PATCH changes the fields given."""

    serializer_class = CheckInSerializer

    def get_queryset(self):
        return CheckIn.objects.for_patient(self.request.user)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), date=self.kwargs["day"])

    def get(self, request, day):
        return Response(self.get_serializer(self.get_object()).data)

    def put(self, request, day):
        return self._write(request, day, partial=False)

    def patch(self, request, day):
        self.get_object()  # a day that was never logged is a 404, not an implicit create
        return self._write(request, day, partial=True)

    def delete(self, request, day):
        actions.delete_checkin(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _write(self, request, day, *, partial):
        body = request.data
        if isinstance(body, Mapping):
            if "date" in body and str(body["date"]) != day.isoformat():
                return Response(
                    {"date": ["The date in the body must match the date in the URL."]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            body = {**body, "date": day.isoformat()}
        serializer = self.get_serializer(data=body, partial=partial)
        serializer.is_valid(raise_exception=True)
        checkin, created = actions.save_checkin(request.user, day, serializer.validated_data, partial=partial)
        return Response(
            self.get_serializer(checkin).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class FlareListCreate(PatientAPIMixin, generics.ListCreateAPIView):
    serializer_class = FlareSerializer

    def get_queryset(self):
        return Flare.objects.for_patient(self.request.user).order_by("-occurred_at")

    def perform_create(self, serializer):
        serializer.instance = actions.log_flare(self.request.user, serializer.validated_data)


class Trends(PatientAPIMixin, APIView):
    """My daily series, the trend summary, flags, which region leads and the sitting link."""

    @extend_schema(parameters=[TrendsQuerySerializer], responses=TrendsSerializer)
    def get(self, request):
        # A plain dict, so an empty ?days= is refused rather than taken as absent.
        query = TrendsQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        return Response(trends.patient_trends(request.user, query.validated_data["days"]).as_api())
