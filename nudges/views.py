from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from nudges import access, actions, forms
from nudges.api.serializers import ReminderSettingsSerializer
from nudges.content import WORDING
from nudges.emails import BadUnsubscribeLink, read_unsubscribe_token
from vida.forms import first_errors
from vida.permissions import patient_or_clinician_required


@patient_or_clinician_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    """The reminders form of /settings/. It posts here; a mistake shows the form alone with its errors."""
    errors = {}
    if request.method == "POST":
        values = forms.posted_values(request.POST)
        serializer = ReminderSettingsSerializer(data=values, context={"user": request.user})
        if serializer.is_valid():
            actions.save_preferences(request.user, serializer.validated_data)
            messages.success(request, "Reminder settings saved.")
            return redirect(reverse("settings") + "#reminders")
        errors = first_errors(serializer.errors)
    else:
        values = forms.current_values(request.user)
    context = {"reminders": forms.form_context(request.user, values, errors)}
    return render(request, "nudges/reminder_settings.html", context, status=400 if errors else 200)


@patient_or_clinician_required
@require_POST
def read_notice(request, notice_id):
    """Dismiss a notice, then back to the page it was on (Today, or a clinician's Clinic)."""
    actions.mark_read(access.notification_for(request.user, notice_id))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("today" if request.user.is_patient else "clinic")


# Mail clients POST the one-click unsubscribe without a CSRF token (RFC 8058); the
# signed token in the URL is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm (link checkers fetch links); POST turns the kind off and answers 200 itself."""
    try:
        user, kind = read_unsubscribe_token(token)
    except BadUnsubscribeLink:
        return render(request, "nudges/unsubscribe_invalid.html", status=400)
    context = {"kind_label": WORDING[kind].unsubscribe_label}
    if request.method == "POST":
        actions.unsubscribe(user, kind)
        return render(request, "nudges/unsubscribed.html", context)
    return render(request, "nudges/unsubscribe.html", context)
