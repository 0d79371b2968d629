"""The care team's API: a patient's /me/ sharing endpoints and a clinician's /clinician/ endpoints.

Every clinician endpoint about one patient goes through ``vida.access.access_patient``,
which checks the link and writes the read into the patient's access log.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, renderers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from careteam import actions, clinic, exports
from careteam.api.serializers import (
    AccessLogSerializer,
    LinkedClinicianSerializer,
    LinkSerializer,
    NoteSerializer,
    PatientRowSerializer,
    RedeemSerializer,
    ReviewSerializer,
    ShareCodeSerializer,
)
from careteam.models import AccessLogEntry, CareLink, ClinicianNote, Read
from checkins import trends
from checkins.api.trend_serializers import TrendsQuerySerializer, TrendsSerializer
from reports.api.views import REPORT_SCHEMA, ReportAPIView
from reports.responses import report_response
from vida.access import access_patient
from vida.api import ClinicianAPIMixin, PatientAPIMixin

# --- the patient's side: /api/v1/me/... ------------------------------------------------------------


class ShareCodes(PatientAPIMixin, APIView):
    """Make a share code: 8 characters, single use, valid for 7 days."""

    @extend_schema(request=None, responses={201: ShareCodeSerializer})
    def post(self, request):
        code = actions.make_share_code(request.user)
        return Response(ShareCodeSerializer(code).data, status=status.HTTP_201_CREATED)


class MyClinicians(PatientAPIMixin, generics.ListAPIView):
    """The clinicians who can see my data now."""

    serializer_class = LinkedClinicianSerializer
    pagination_class = None

    def get_queryset(self):
        links = CareLink.objects.active().filter(patient=self.request.user).select_related("clinician")
        return links.order_by("linked_at")


class MyClinician(PatientAPIMixin, APIView):
    """Unlink a clinician: their access ends at once."""

    @extend_schema(responses={204: None, 404: OpenApiResponse(description="Not linked")})
    def delete(self, request, clinician_id):
        if not actions.unlink(request.user, clinician_id):
            raise Http404("This clinician is not linked to you.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyAccessLog(PatientAPIMixin, generics.ListAPIView):
    """Every read of my data by a clinician, newest first."""

    serializer_class = AccessLogSerializer

    def get_queryset(self):
        return AccessLogEntry.objects.for_user(self.request.user).order_by("-at", "-id")


class MyExport(PatientAPIMixin, APIView):
    """All my data as JSON, as a download."""

    @extend_schema(responses={200: OpenApiResponse(description="Everything Vida holds about me")})
    def get(self, request):
        response = Response(exports.everything(request.user))
        response["Content-Disposition"] = 'attachment; filename="vida-my-data.json"'
        return response


# --- the clinician's side: /api/v1/clinician/... -------------------------------------------------------


class Links(ClinicianAPIMixin, APIView):
    """Redeem a patient's share code: 201 with the new link, 400 with the reason it cannot be used."""

    @extend_schema(
        request=RedeemSerializer,
        responses={
            201: LinkSerializer,
            400: OpenApiResponse(description="Unknown, malformed, used or expired code"),
            409: OpenApiResponse(description="Already linked to this patient"),
        },
    )
    def post(self, request):
        body = RedeemSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            link = actions.redeem_code(request.user, body.validated_data["code"])
        except actions.CodeRefused as refused:
            return Response({"code": [str(refused)]}, status=status.HTTP_400_BAD_REQUEST)
        except actions.AlreadyLinked as already:
            return Response(
                {"detail": str(already), **LinkSerializer(already.link).data}, status=status.HTTP_409_CONFLICT
            )
        return Response(LinkSerializer(link).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter("flag", str, enum=list(trends.FLAGS), description="Only patients with this flag"),
        OpenApiParameter("page", int),
    ]
)
class Patients(ClinicianAPIMixin, generics.ListAPIView):
    """My linked patients with their trend summary and flags, worst first (50 a page)."""

    serializer_class = PatientRowSerializer

    def list(self, request):
        flag = clinic.flag_filter(request.query_params.get("flag"))
        page = clinic.patient_page(request.user, flag=flag, number=request.query_params.get("page", 1))
        serialized = self.get_serializer(page.object_list, many=True).data
        return Response(
            {
                "count": page.paginator.count,
                "next": clinic.page_url(request, page.next_page_number()) if page.has_next() else None,
                "previous": clinic.page_url(request, page.previous_page_number())
                if page.has_previous()
                else None,
                "results": serialized,
            }
        )


class PatientTrends(ClinicianAPIMixin, APIView):
    """One linked patient's trends, the same shape as GET /api/v1/trends/."""

    @extend_schema(parameters=[TrendsQuerySerializer], responses=TrendsSerializer)
    def get(self, request, patient_id):
        query = TrendsQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        patient = access_patient(request.user, patient_id, Read.TRENDS)
        return Response(trends.patient_trends(patient, query.validated_data["days"]).as_api())


class Review(ClinicianAPIMixin, APIView):
    """Mark the patient's red flag reviewed: their stretch suggestions resume."""

    @extend_schema(
        request=None,
        responses={200: ReviewSerializer, 400: OpenApiResponse(description="No red flag waits for review")},
    )
    def post(self, request, patient_id):
        patient = access_patient(request.user, patient_id, Read.REVIEW)
        response = actions.review_red_flag(request.user, patient)
        if response is None:
            return Response(
                {"detail": "This patient has no red flag waiting for review."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(ReviewSerializer(response).data)


class Notes(ClinicianAPIMixin, generics.ListCreateAPIView):
    """My private notes about this patient, newest first; only I read them."""

    serializer_class = NoteSerializer

    def get_queryset(self):
        patient = access_patient(self.request.user, self.kwargs["patient_id"], Read.NOTES)
        return ClinicianNote.objects.filter(author=self.request.user, patient=patient).order_by("-created_at")

    def create(self, request, patient_id):
        patient = access_patient(request.user, patient_id, Read.NOTES)
        note = self.get_serializer(data=request.data)
        note.is_valid(raise_exception=True)
        saved = actions.add_note(request.user, patient, note.validated_data["text"])
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode("utf-8")
        return renderers.JSONRenderer().render(data)  # an error body on the CSV endpoint


class FHIRRenderer(renderers.JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


class Export(ClinicianAPIMixin, APIView):
    """The patient's record as CSV (check-ins, ``?format=csv``, the default) or a FHIR R4 Bundle (``?format=fhir``)."""

    renderer_classes = [CSVRenderer, FHIRRenderer]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:  # DRF's answer to an unknown ?format=
            raise exceptions.ValidationError({"format": ["Choose csv or fhir."]}) from None

    def handle_exception(self, exc):
        """Errors are JSON, as on every endpoint, whichever format was asked for."""
        response = super().handle_exception(exc)
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["csv", "fhir"], description="Default csv")],
        responses={(200, "text/csv"): str, (200, "application/fhir+json"): dict},
    )
    def get(self, request, patient_id):
        if request.accepted_renderer.format == "fhir":
            patient = access_patient(request.user, patient_id, Read.EXPORT_FHIR)
            body, extension = exports.fhir_bundle(patient), "json"
        else:
            patient = access_patient(request.user, patient_id, Read.EXPORT_CSV)
            body, extension = exports.checkins_csv(patient), "csv"
        response = Response(body)
        response["Content-Disposition"] = f'attachment; filename="vida-{patient.public_id}.{extension}"'
        return response


class PatientReport(ClinicianAPIMixin, ReportAPIView):
    """A linked patient's visit-ready report over the last 30, 90 or 365 days, as a PDF (logged like any read)."""

    @REPORT_SCHEMA
    def get(self, request, patient_id):
        days = self.days(request)
        patient = access_patient(request.user, patient_id, Read.REPORT)
        return report_response(patient, days, made_for=request.user)
