from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from screening import actions
from screening.api.serializers import AnswersSerializer, DoctorCheckedSerializer
from screening.models import ScreeningResponse
from screening.questionnaire import BOOLEAN, CURRENT
from screening.scoring import NOT_AN_EMERGENCY_SERVICE
from screening.status import unsettled_red_flag
from vida.forms import first_errors
from vida.permissions import patient_required

HISTORY_SHOWN = 10

# The radio buttons post these strings; the API takes JSON booleans.
FORM_BOOLEANS = {"true": True, "false": False}


def answers_from_form(post, questionnaire):
    """The posted answers, typed as the API takes them, for the API's own validation.

    Only the questionnaire's ids are read; a value the form never offers stays a
    string, so it fails validation as the wrong type instead of being guessed at.
    """
    answers = {}
    for question in questionnaire.questions:
        value = post.get(question.id, "")
        if value == "":
            continue
        answers[question.id] = FORM_BOOLEANS.get(value, value) if question.kind == BOOLEAN else value
    return answers


def form_errors(serializer_errors):
    """``{question id or field: first message}`` from the API serializer's nested errors."""
    errors = {}
    for field, field_errors in serializer_errors.items():
        if field == "answers" and isinstance(field_errors, dict):
            errors.update({qid: str(qid_messages[0]) for qid, qid_messages in field_errors.items()})
        else:
            errors[field] = str(field_errors[0])
    return errors


def numbered_sections(questionnaire, values, errors):
    """Sections with each question's number, posted value and error, ready for the template."""
    number = 0
    sections = []
    for section in questionnaire.sections:
        items = []
        for question in section.questions:
            number += 1
            items.append(
                {
                    "number": number,
                    "question": question,
                    "value": values.get(question.id, ""),
                    "error": errors.get(question.id),
                }
            )
        sections.append({"section": section, "items": items})
    return sections


@patient_required
@require_http_methods(["GET", "POST"])
def screening(request):
    patient = request.user
    questionnaire = CURRENT
    values, errors = {}, {}
    if request.method == "POST":
        # Kept as posted, so a failed submit shows every answer the person gave.
        values = {question.id: request.POST.get(question.id, "") for question in questionnaire.questions}
        serializer = AnswersSerializer(
            data={
                "version": request.POST.get("version", ""),
                "answers": answers_from_form(request.POST, questionnaire),
            }
        )
        if serializer.is_valid():
            response = actions.record_screening(patient, **serializer.validated_data)
            return redirect("screening-result", response_id=response.pk)
        errors = form_errors(serializer.errors)
    history = ScreeningResponse.objects.for_patient(patient).order_by("-created_at")[:HISTORY_SHOWN]
    sections = numbered_sections(questionnaire, values, errors)
    items = [item for section in sections for item in section["items"]]
    context = {
        "questionnaire": questionnaire,
        "sections": sections,
        "errors": errors,
        "error_items": [item for item in items if item["error"]],
        # Errors not about one question (a stale questionnaire version) head the summary.
        "other_errors": [message for field, message in errors.items() if field not in questionnaire.by_id],
        "answered": sum(1 for item in items if item["value"]),
        "total": len(items),
        "history": list(history),
    }
    return render(request, "screening/screening.html", context, status=400 if errors else 200)


@patient_required
@require_http_methods(["GET", "POST"])
def result(request, response_id):
    """A screening's result; for an urgent flag that pauses stretches, also the doctor-checked form.

    The form posts ``checked_on`` here, to the same action as
    POST /api/v1/screening/doctor-checked/, for the response this page shows.
    """
    patient = request.user
    mine = ScreeningResponse.objects.for_patient(patient).select_related("patient")
    response = get_object_or_404(mine, pk=response_id)
    errors, values = {}, {}
    if request.method == "POST":
        values = {"checked_on": request.POST.get("checked_on", "")}
        form = DoctorCheckedSerializer(data=values)
        if not form.is_valid():
            errors = first_errors(form.errors)
        else:
            try:
                actions.record_doctor_checked(
                    patient, form.validated_data["checked_on"], response_id=response.pk
                )
            except ValidationError as error:
                errors = first_errors(error.message_dict)
            else:
                messages.success(
                    request, "Recorded: a doctor has checked these answers. Stretch suggestions are back on."
                )
                return redirect("screening-result", response_id=response.pk)
    unsettled = unsettled_red_flag(patient)
    pausing = unsettled is not None and unsettled.pk == response.pk
    context = {
        "response": response,
        "guidance": response.guidance,
        "findings": response.red_flag_findings(),
        # An older red flag may have been settled since; say so rather than "paused".
        "pausing": pausing,
        "can_record_doctor_check": pausing and response.urgency == ScreeningResponse.Urgency.URGENT,
        "screened_on": response.screened_on,
        "local_today": patient.local_today(),
        "values": values,
        "errors": errors,
        "not_an_emergency_service": NOT_AN_EMERGENCY_SERVICE,
    }
    return render(request, "screening/result.html", context, status=400 if errors else 200)
