from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.actions import register_patient
from accounts.api.serializers import ProfileSerializer, RegisterSerializer
from accounts.timezones import timezone_names
from vida.forms import error_summary, first_errors, form_values

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
    if request.user.is_staff and not request.user.is_patient:
        return redirect("admin:index")
    # Clinicians also land on their settings until the clinic pages exist.
    return redirect("today" if request.user.is_patient else "settings")


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    values, errors = {}, {}
    if request.method == "POST":
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


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    user = request.user
    errors = {}
    if request.method == "POST":
        values = form_values(request.POST, ["timezone", "display_name"])
        values.setdefault("display_name", "")
        serializer = ProfileSerializer(user, data=values, partial=True)
        if serializer.is_valid():
            serializer.save()
            messages.success(request, "Settings saved.")
            return redirect("settings")
        errors = first_errors(serializer.errors)
    else:
        values = {"timezone": user.timezone, "display_name": user.display_name}
    return render(
        request,
        "accounts/settings.html",
        {
            "values": values,
            "errors": errors,
            "summary": error_summary(errors, LABELS),
            "timezones": timezone_names(),
        },
        status=400 if errors else 200,
    )
