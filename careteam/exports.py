"""A patient's record in the forms it leaves Vida: CSV and a FHIR R4 Bundle (for clinicians),
and everything as JSON (for the patient).

FHIR (DESIGN.md): one ``Observation`` per region per check-in, LOINC 72514-3
(pain severity 0-10, reported) with ``valueInteger``, ``bodySite`` SNOMED CT
37822005 (lower back structure) or 29836001 (hip region structure),
``effectiveDateTime`` the local date, ``subject`` the patient; each screening as
a ``QuestionnaireResponse``. Ids are derived from the patient's public id, so
exporting twice gives the same resources.
"""

import csv
import io
import uuid

from django.db.models import F
from django.utils import timezone

from accounts.api.serializers import ProfileSerializer
from careteam.api.serializers import AccessLogSerializer
from careteam.models import AccessLogEntry, CareLink, ShareCode
from checkins.api.serializers import CheckInSerializer, FlareSerializer
from checkins.models import CHECKIN_FIELDS, CheckIn, Flare
from nudges.api.serializers import NotificationSerializer, ReminderSettingsSerializer
from nudges.models import Nudge, NudgePreferences
from screening.api.serializers import ScreeningResponseSerializer
from screening.models import ScreeningResponse
from screening.questionnaire import BOOLEAN, QUESTIONNAIRES
from stretches.api.serializers import StretchSessionSerializer
from stretches.models import StretchSession

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
PAIN_SEVERITY = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
BODY_SITES = {
    "back_pain": {"system": SNOMED, "code": "37822005", "display": "Lower back structure"},
    "hip_pain": {"system": SNOMED, "code": "29836001", "display": "Hip region structure"},
}
QUESTIONNAIRE_URL = "https://vida.example/fhir/Questionnaire/{version}"

# The check-in fields as the API names them, then the day's flares.
CSV_FIELDS = [*CHECKIN_FIELDS, "flares"]


def _spreadsheet_safe(text):
    """Free text that a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def checkins_csv(patient):
    """Every check-in, oldest first, with the number of flares that local day; a header row first."""
    flares = {}
    for occurred_at in Flare.objects.for_patient(patient).values_list("occurred_at", flat=True):
        day = timezone.localtime(occurred_at, patient.zone).date()
        flares[day] = flares.get(day, 0) + 1
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for checkin in CheckIn.objects.for_patient(patient).order_by("date"):
        writer.writerow(
            [
                checkin.date.isoformat(),
                checkin.back_pain,
                checkin.hip_pain,
                "" if checkin.sitting_hours is None else f"{checkin.sitting_hours:g}",
                "" if checkin.worse_after_sitting is None else str(checkin.worse_after_sitting).lower(),
                "" if checkin.eased_by_walking is None else str(checkin.eased_by_walking).lower(),
                checkin.first_region,
                _spreadsheet_safe(checkin.note),
                flares.pop(checkin.date, 0),
            ]
        )
    return out.getvalue()


def _resource_id(patient, *parts):
    return str(uuid.uuid5(patient.public_id, "/".join(str(part) for part in parts)))


def _entry(resource):
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def fhir_bundle(patient):
    """The patient's check-ins and screenings as a FHIR R4 Bundle of type ``collection`` (a dict)."""
    subject = {"reference": f"urn:uuid:{patient.public_id}", "display": str(patient)}
    entries = [_entry({"resourceType": "Patient", "id": str(patient.public_id), "active": True})]
    for checkin in CheckIn.objects.for_patient(patient).order_by("date"):
        for field, site in BODY_SITES.items():
            entries.append(
                _entry(
                    {
                        "resourceType": "Observation",
                        "id": _resource_id(patient, "checkin", checkin.date, field),
                        "status": "final",
                        "category": [
                            {
                                "coding": [
                                    {
                                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                        "code": "survey",
                                    }
                                ]
                            }
                        ],
                        "code": {"coding": [PAIN_SEVERITY], "text": "Pain severity (0-10), self-reported"},
                        "subject": subject,
                        "effectiveDateTime": checkin.date.isoformat(),
                        "valueInteger": getattr(checkin, field),
                        "bodySite": {"coding": [site], "text": site["display"]},
                    }
                )
            )
    for response in ScreeningResponse.objects.for_patient(patient).order_by("created_at"):
        entries.append(_entry(_questionnaire_response(patient, response, subject)))
    return {
        "resourceType": "Bundle",
        "id": _resource_id(patient, "bundle", timezone.now().isoformat()),
        "type": "collection",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "entry": entries,
    }


def _questionnaire_response(patient, response, subject):
    questions = QUESTIONNAIRES[response.version]
    items = []
    for question in questions.questions:
        if question.id not in response.answers:
            continue
        value = response.answers[question.id]
        answer = {"valueBoolean": value} if question.kind == BOOLEAN else {"valueString": str(value)}
        items.append({"linkId": question.id, "text": question.text, "answer": [answer]})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": _resource_id(patient, "screening", response.pk),
        "questionnaire": QUESTIONNAIRE_URL.format(version=response.version),
        "status": "completed",
        "subject": subject,
        "authored": response.created_at.isoformat(timespec="seconds"),
        "item": items,
    }


def everything(patient):
    """All of a patient's data, for their own download (GET /api/v1/me/export/).

    Each record in the shape the API gives it (the same serializers), so the
    download reads like the API's documentation.
    """

    def records(serializer, queryset):
        return serializer(queryset, many=True, context={"patient": patient}).data

    return {
        "exported_at": timezone.now(),
        "profile": ProfileSerializer(patient).data,
        "checkins": records(CheckInSerializer, CheckIn.objects.for_patient(patient).order_by("date")),
        "flares": records(FlareSerializer, Flare.objects.for_patient(patient).order_by("occurred_at")),
        "screenings": records(
            ScreeningResponseSerializer, ScreeningResponse.objects.for_patient(patient).order_by("created_at")
        ),
        "stretch_sessions": records(
            StretchSessionSerializer,
            StretchSession.objects.for_patient(patient).select_related("video").order_by("started_at"),
        ),
        "share_codes": list(
            ShareCode.objects.for_patient(patient)
            .order_by("created_at")
            .values("created_at", "expires_at", "used_at")
        ),
        "clinicians": list(
            CareLink.objects.filter(patient=patient)
            .order_by("linked_at")
            .values(
                "linked_at",
                "unlinked_at",
                clinician_public_id=F("clinician__public_id"),
                name=F("clinician__display_name"),
            )
        ),
        "access_log": records(
            AccessLogSerializer, AccessLogEntry.objects.for_patient(patient).order_by("at")
        ),
        "reminders": ReminderSettingsSerializer(
            NudgePreferences.for_user(patient), context={"user": patient}
        ).data,
        "notifications": records(NotificationSerializer, Nudge.objects.notifications_for(patient)),
    }
