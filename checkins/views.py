from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from checkins import actions, rules, trend_words, trends
from checkins.api.serializers import CheckInSerializer, FlareSerializer
from checkins.models import CHECKIN_FIELDS, CheckIn, Flare
from screening.status import pause_notice, unsettled_red_flag
from stretches.recommend import recommendation
from vida.forms import error_summary, first_errors, form_values, scale_options
from vida.permissions import patient_required
from vida.regions import LeadingRegion

FLARE_FIELDS = ["occurred_at", "region", "intensity", "trigger", "note"]
LABELS = {
    "back_pain": "Lower back pain",
    "hip_pain": "Hip pain",
    "sitting_hours": "Hours sitting",
    "worse_after_sitting": "Worse after sitting",
    "eased_by_walking": "Eased by walking",
    "first_region": "Which came first",
    "note": "Note",
    "date": "Day",
    "region": "Where",
    "intensity": "Intensity",
    "trigger": "What set it off",
    "occurred_at": "When",
    "non_field_errors": "Check-in",
}
# The ranges /history/ offers (?days=); anything else shows the default.
HISTORY_RANGES = {"7": "7 days", "30": "30 days", "90": "90 days", "365": "365 days"}
HISTORY_DEFAULT_DAYS = "30"


def as_form_strings(checkin):
    """A saved check-in as the strings its form fields would have posted."""
    values = CheckInSerializer(checkin).data
    for name in ("worse_after_sitting", "eased_by_walking"):
        values[name] = "" if values[name] is None else str(values[name]).lower()
    values["sitting_hours"] = "" if values["sitting_hours"] is None else f"{values['sitting_hours']:g}"
    return values


@patient_required
@require_http_methods(["GET", "POST"])
def today(request):
    patient = request.user
    local_today = patient.local_today()
    earliest, _ = rules.checkin_window(patient)
    errors = {}
    existing = CheckIn.objects.for_patient(patient).filter(date=local_today).first()
    if request.method == "POST":
        values = form_values(request.POST, CHECKIN_FIELDS)
        serializer = CheckInSerializer(data=values, context={"patient": patient})
        if serializer.is_valid():
            day = serializer.validated_data.get("date", local_today)
            checkin, created = actions.save_checkin(patient, day, serializer.validated_data)
            when = "today" if day == local_today else f"{day:%a %d %b}"
            verb = "Saved" if created else "Updated"
            messages.success(
                request, f"{verb} {when}: lower back {checkin.back_pain}, hip {checkin.hip_pain}."
            )
            return redirect("today")
        errors = first_errors(serializer.errors)
    else:
        values = as_form_strings(existing) if existing else {"date": local_today.isoformat()}
    progress = trends.summary_row(patient, trends.LocalDates.for_patient(patient))
    pausing = unsettled_red_flag(patient)  # one look-up for the notice and the suggestions
    context = {
        "values": values,
        "errors": errors,
        "summary": error_summary(errors, LABELS),
        "existing": existing,
        "local_today": local_today,
        "earliest": earliest,
        "back_options": scale_options(values.get("back_pain")),
        "hip_options": scale_options(values.get("hip_pain")),
        "regions": LeadingRegion.choices,
        "red_flag": pause_notice(pausing),
        "recommendation": recommendation(patient, pausing),
        "progress": trend_words.progress_line(
            trends.summary_of(progress), progress.first_checkin, local_today
        ),
    }
    return render(request, "checkins/today.html", context, status=400 if errors else 200)


@patient_required
@require_http_methods(["GET", "POST"])
def flares(request):
    patient = request.user
    errors, values = {}, {}
    if request.method == "POST":
        values = form_values(request.POST, FLARE_FIELDS)
        serializer = FlareSerializer(data=values, context={"patient": patient})
        if serializer.is_valid():
            flare = actions.log_flare(patient, serializer.validated_data)
            messages.success(
                request, f"Flare logged: {flare.get_region_display().lower()}, {flare.intensity}/10."
            )
            return redirect("flares")
        errors = first_errors(serializer.errors)
    recent = Flare.objects.for_patient(patient).order_by("-occurred_at")[:30]
    context = {
        "values": values,
        "errors": errors,
        "summary": error_summary(errors, LABELS),
        "recent": recent,
        "intensity_options": scale_options(values.get("intensity")),
        "regions": Flare.Region.choices,
        "now_local": patient.local_now().strftime("%Y-%m-%dT%H:%M"),
    }
    return render(request, "checkins/flares.html", context, status=400 if errors else 200)


def chosen_days(request):
    """The ``?days=`` of a trend page, one of HISTORY_RANGES, else the default."""
    chosen = request.GET.get("days")
    return int(chosen if chosen in HISTORY_RANGES else HISTORY_DEFAULT_DAYS)


def trend_context(report, voice=trend_words.PATIENT):
    """What checkins/_trends.html needs: the range switch, the cards, the chart's data and the table.

    The patient's /history/ and a clinician's page of one patient show the same,
    in words addressed to whoever reads them (``voice``).
    """
    window = report.window
    return {
        "days": report.days,
        "ranges": [(value, label, int(value) == report.days) for value, label in HISTORY_RANGES.items()],
        "cards": trend_words.cards(report, voice),
        "rows": list(reversed(window)),
        "has_checkins": any(day["back_pain"] is not None for day in window),
        "chart": {
            "dates": [day["date"].isoformat() for day in window],
            "back": [day["back_pain"] for day in window],
            "hip": [day["hip_pain"] for day in window],
            "flares": [day["flares"] for day in window],
            "sessions": [day["sessions_completed"] for day in window],
        },
    }


@patient_required
@require_safe
def history(request):
    """The chart of back against hip, the cards in plain words and the same days as a table."""
    report = trends.patient_trends(request.user, chosen_days(request))
    return render(request, "checkins/history.html", trend_context(report))
