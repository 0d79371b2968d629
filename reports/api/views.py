from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from reports.api.serializers import ReportQuerySerializer
from reports.responses import report_response
from vida.api import PatientAPIMixin

REPORT_SCHEMA = extend_schema(
    parameters=[ReportQuerySerializer],
    responses={
        (200, "application/pdf"): OpenApiResponse(
            OpenApiTypes.BINARY, description="The visit-ready report, as a PDF download."
        ),
        400: OpenApiResponse(description='"days" is not 30, 90 or 365: {"days": ["..."]}.'),
    },
)


class ReportAPIView(APIView):
    """What the report endpoints share: ``?days=`` checked, and a PDF whatever the Accept header.

    A subclass's ``get`` calls ``self.days(request)`` and answers with
    ``reports.responses.report_response``. Errors stay JSON. The clinician's
    endpoint is the same with the access check (which logs the read) between:
    ``days = self.days(request)``, then the patient from the care team's
    access helper, then ``report_response(patient, days, made_for=request.user)``.
    """

    def perform_content_negotiation(self, request, force=False):
        # The answer is a PDF, not a rendering of data: a client that asks for
        # application/pdf must not get 406 from the JSON renderers.
        return super().perform_content_negotiation(request, force=True)

    def days(self, request):
        # A plain dict, so an empty ?days= is refused rather than taken as absent.
        query = ReportQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        return query.validated_data["days"]


class MyReport(PatientAPIMixin, ReportAPIView):
    """My visit-ready report over the last 30, 90 or 365 days, as a PDF."""

    @REPORT_SCHEMA
    def get(self, request):
        return report_response(request.user, self.days(request))
