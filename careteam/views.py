"""The care team's pages: the clinic (a clinician's patients and one patient's record) and the
sharing sections of a patient's /settings/."""

from django.contrib import messages
from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rest_framework.exceptions import ValidationError

from careteam import actions, clinic
from careteam.api.serializers import NoteSerializer
from careteam.models import AccessLogEntry, CareLink, ClinicianNote, Read, ShareCode
from checkins import trend_words, trends
from checkins.trend_words import FLAG_WORDS
from checkins.views import chosen_days, trend_context
from screening.models import ScreeningResponse
from stretches.recommend import relief_rows
from vida.access import access_patient
from vida.forms import first_errors, form_values
from vida.permissions import clinician_required, patient_required

SCREENINGS_SHOWN = 10
NOTES_SHOWN = 50
ACCESS_DAYS_SHOWN = 60


def _change(now, then):
    """Points of change for the list, e.g. "+2.1" or "-0.4" (a typographic minus); None without both figures."""
    if now is None or then is None:
        return None
    difference = round(now - then, 1)
    return f"{difference:+.1f}".replace("-", "−")


def patient_cards(rows):
    """The clinic list's rows, ready for the template: figures rounded, flags in words."""
    cards = []
    for row in rows:
        summary, flags = trends.summary_of(row), trends.flags_of(row)
        cards.append(
            {
                "patient": row,
                "summary": summary,
                "flags": [(flag, FLAG_WORDS[flag]) for flag in flags],
                "checked_on": row.red_flag_checked_on,
                "back_vs_last_week": _change(summary["back_7d_mean"], summary["back_prev_7d_mean"]),
                "hip_vs_last_week": _change(summary["hip_7d_mean"], summary["hip_prev_7d_mean"]),
                "back_vs_first_week": _change(summary["back_7d_mean"], summary["back_baseline_mean"]),
                "hip_vs_first_week": _change(summary["hip_7d_mean"], summary["hip_baseline_mean"]),
            }
        )
    return cards


def _clinic_page(request, *, code_value="", code_error=None, status=200):
    flag_error = None
    try:
        flag = clinic.flag_filter(request.GET.get("flag"))
    except ValidationError as error:
        flag, flag_error = None, error.detail["flag"][0]
    page = clinic.patient_page(request.user, flag=flag, number=request.GET.get("page", 1))
    context = {
        "page": page,
        "cards": patient_cards(page.object_list),
        "flag": flag,
        "flag_words": FLAG_WORDS.get(flag),
        "flag_error": flag_error,
        "flag_choices": list(FLAG_WORDS.items()),
        "code_value": code_value,
        "code_error": code_error,
    }
    return render(request, "careteam/clinic.html", context, status=status)


@clinician_required
@require_safe
def clinic_list(request):
    return _clinic_page(request)


@clinician_required
@require_POST
def redeem(request):
    """The "add a patient" box: redeem a share code (input name ``code``, as the API's)."""
    raw = request.POST.get("code", "")
    try:
        link = actions.redeem_code(request.user, raw)
    except actions.CodeRefused as refused:
        return _clinic_page(request, code_value=raw[:32], code_error=str(refused), status=400)
    except actions.AlreadyLinked as already:
        messages.info(request, f"{already.link.patient} already shares their record with you.")
        return redirect("clinic-patient", patient_id=already.link.patient.public_id)
    messages.success(request, f"Linked: you can now see {link.patient}'s record.")
    return redirect("clinic-patient", patient_id=link.patient.public_id)


def _record_context(request, patient, *, note_value="", note_error=None):
    report = trends.patient_trends(patient, chosen_days(request))
    screenings = list(
        ScreeningResponse.objects.for_user(request.user).filter(patient=patient)[:SCREENINGS_SHOWN]
    )
    waiting = ScreeningResponse.objects.unreviewed().filter(patient=patient).first()
    notes = ClinicianNote.objects.filter(author=request.user, patient=patient).order_by("-created_at")
    return {
        "patient": patient,
        **trend_context(report, trend_words.CLINICIAN),
        "flags": [(flag, FLAG_WORDS[flag]) for flag in report.flags],
        "screenings": screenings,
        "waiting_review": waiting,
        "relief": relief_rows(patient),
        "notes": list(notes[:NOTES_SHOWN]),
        "note_value": note_value,
        "note_error": note_error,
    }


@clinician_required
@require_safe
def patient_record(request, patient_id):
    patient = access_patient(request.user, patient_id, Read.RECORD)
    return render(request, "careteam/patient.html", _record_context(request, patient))


@clinician_required
@require_POST
def add_note(request, patient_id):
    patient = access_patient(request.user, patient_id, Read.NOTES)
    note = NoteSerializer(data=form_values(request.POST, ["text"]))
    if not note.is_valid():
        error = first_errors(note.errors).get("text", "Write something in the note first.")
        context = _record_context(request, patient, note_value=request.POST.get("text", ""), note_error=error)
        return render(request, "careteam/patient.html", context, status=400)
    actions.add_note(request.user, patient, note.validated_data["text"])
    messages.success(request, "Note saved. Only you can read it.")
    return redirect(reverse("clinic-patient", kwargs={"patient_id": patient.public_id}) + "#notes-heading")


@clinician_required
@require_POST
def review(request, patient_id):
    patient = access_patient(request.user, patient_id, Read.REVIEW)
    if actions.review_red_flag(request.user, patient) is None:
        messages.info(request, "There was no red flag waiting for review.")
    else:
        messages.success(
            request, f"Red flag marked reviewed. {patient}'s stretch suggestions resume, and they are told."
        )
    return redirect("clinic-patient", patient_id=patient.public_id)


# --- the patient's sharing sections of /settings/ ------------------------------------------------------


def settings_context(patient):
    """The sharing sections: live codes, linked clinicians, the access log grouped by day."""
    log = (
        AccessLogEntry.objects.for_user(patient)
        .annotate(day=TruncDate("at", tzinfo=patient.zone))
        .values("day", "clinician_name", "what")
        .annotate(reads=Count("id"), last=Max("at"))
        .order_by("-day", "-last")
    )
    return {
        "share_codes": ShareCode.objects.for_user(patient)
        .filter(used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")[:3],
        "linked": CareLink.objects.active()
        .filter(patient=patient)
        .select_related("clinician")
        .order_by("linked_at"),
        "access_days": [
            {**entry, "what_label": Read(entry["what"]).label} for entry in log[:ACCESS_DAYS_SHOWN]
        ],
    }


@patient_required
@require_POST
def make_code(request):
    code = actions.make_share_code(request.user)
    messages.success(
        request, f"Your share code is {code.code}. Give it to your clinician; it works once, for 7 days."
    )
    return redirect(reverse("settings") + "#sharing-heading")


@patient_required
@require_http_methods(["POST"])
def unlink(request, clinician_id):
    if actions.unlink(request.user, clinician_id):
        messages.success(request, "Unlinked. That clinician can no longer see your record.")
    else:
        messages.info(request, "That clinician was not linked to you.")
    return redirect(reverse("settings") + "#clinicians-heading")
