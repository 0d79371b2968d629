"""The report as an HTTP answer, shared by the patient's endpoint and the clinician's."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from reports import build


def pdf_response(pdf, filename):
    """``pdf`` (bytes) as a download named ``filename``."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    # Health data: no browser or proxy keeps a copy.
    response["Cache-Control"] = "no-store"
    return response


def report_response(patient, days, *, made_for=None):
    """The report on ``patient`` over the last ``days`` days, as a PDF download.

    ``made_for`` is the clinician downloading it, named on the report; the
    caller has already checked that they may (and logged the read).
    """
    report = build.gather(patient, days, made_for=made_for)
    return pdf_response(build.render_pdf(report), report.filename())
