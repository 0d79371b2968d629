import math

from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.actions import delete_account, register_patient
from accounts.api.serializers import DeleteAccountSerializer, ProfileSerializer, RegisterSerializer
from accounts.api.views import RegisterThrottle
from accounts.timezones import timezone_names
from careteam.views import settings_context as careteam_settings
from vida.forms import error_summary, first_errors, form_values
from vida.permissions import patient_required, signed_in_required

LABELS = {
    "username": "Username",
    "email": "Email",
    "password": "Password",
    "timezone": "Time zone",
    "display_name": "Display name",
}


def home(request):
    """Say what Vida is to visitors; send each signed-in person to where their work starts."""
    if not request.user.is_authenticated:
        return render(request, "accounts/landing.html")
    if request.user.is_patient:
        return redirect("today")
    if request.user.is_clinician:
        return redirect("clinic")
    return redirect("admin:index" if request.user.is_staff else "settings")


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    values, errors = {}, {}
    if request.method == "POST":
        throttle = RegisterThrottle()
        if not throttle.allow_request(request, None):
            # The API's sign-up limit per client address (VIDA_REGISTER_RATE), in the same counter.
            return too_many_signups(request, throttle.wait())
        values = form_values(request.POST, ["username", "email", "password", "timezone", "display_name"])
        serializer = RegisterSerializer(data=values)
        if serializer.is_valid():
            user = register_patient(**serializer.validated_data)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to Vida. Your first check-in takes a few seconds.")
            return redirect("today")
        errors = first_errors(serializer.errors)
        values.pop("password", None)
    return render(
        request,
        "accounts/signup.html",
        {
            "values": values,
            "errors": errors,
            "summary": error_summary(errors, LABELS),
            "timezones": timezone_names(),
        },
        status=400 if errors else 200,
    )


@signed_in_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    if request.method == "POST":
        values = form_values(request.POST, ["timezone", "display_name"])
        values.setdefault("display_name", "")
        serializer = ProfileSerializer(request.user, data=values, partial=True)
        if serializer.is_valid():
            serializer.save()
            messages.success(request, "Settings saved.")
            return redirect("settings")
        return _settings(request, values=values, errors=first_errors(serializer.errors))
    return _settings(request)


def _settings(request, *, values=None, errors=None, delete_error=None):
    user = request.user
    context = {
        "values": values or {"timezone": user.timezone, "display_name": user.display_name},
        "errors": errors or {},
        "summary": error_summary(errors or {}, LABELS),
        "timezones": timezone_names(),
        "delete_error": delete_error,
    }
    if user.is_patient:
        context.update(careteam_settings(user))
    return render(request, "accounts/settings.html", context, status=400 if errors or delete_error else 200)


@patient_required
@require_POST
def delete_my_account(request):
    """Delete the account and every row of it, confirmed with the password (as DELETE /api/v1/me/)."""
    confirm = DeleteAccountSerializer(
        data=form_values(request.POST, ["password"]), context={"request": request}
    )
    if not confirm.is_valid():
        error = first_errors(confirm.errors).get("password", "Enter your password to delete your account.")
        return _settings(request, delete_error=error)
    delete_account(request.user)
    logout(request)
    messages.success(request, "Your account and all your data have been deleted.")
    return redirect("login")


def too_many_signups(request, wait):
    seconds = max(1, math.ceil(wait or 60))
    message = f"Too many new accounts from this address just now. Please try again in {seconds // 60 or 1} minute(s)."
    response = render(request, "accounts/too_many_signups.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response
