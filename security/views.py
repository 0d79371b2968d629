"""The second-factor pages: the step after the password, enrolment, replacing the factor, re-authentication."""

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import authenticate
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from security import events, second_factor
from security.lockout import lockout_response
from security.reauth import mark_password_confirmed, reauthentication_required
from vida.permissions import needs_second_factor, signed_in


def _next_url(request, default="home"):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def _locked_out(request, user):
    """django-axes' lockout, which a wrong code counts towards, also refuses the right code."""
    return not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


def _pass_second_factor(request, user, device):
    """Mark this session as having passed the second factor with ``device``, under a new session key."""
    request.session.cycle_key()  # the key that existed before the second factor is no longer valid
    request.user = user
    otp_login(request, device)


@require_http_methods(["GET", "POST"])
def two_factor(request):
    """The step after the password: the code from the authenticator app, or a backup code."""
    user = request.pending_user
    if user is None:
        return redirect(_next_url(request) if signed_in(request.user) else "login")
    if not second_factor.is_enrolled(user):
        return redirect(f"{reverse('two-factor-setup')}?{urlencode({'next': _next_url(request)})}")
    error = None
    if request.method == "POST":
        if _locked_out(request, user):
            return lockout_response(request)
        device = second_factor.verify(user, request.POST.get("otp"))
        if device is not None:
            _pass_second_factor(request, user, device)
            events.second_factor_passed(request, user)
            return redirect(_next_url(request))
        events.second_factor_failed(request, user)
        error = "That code is not right, or it has expired. Enter the 6 digits your app shows now, or a backup code."
    return render(
        request,
        "security/two_factor.html",
        {"error": error, "next": _next_url(request)},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """First sign-in of a clinician or staff member: set up an authenticator app."""
    user = request.pending_user
    if user is None:
        return redirect(_next_url(request) if signed_in(request.user) else "login")
    if second_factor.is_enrolled(user):
        return redirect(f"{reverse('two-factor')}?{urlencode({'next': _next_url(request)})}")
    return _enrol(
        request, user, done=lambda device, codes: _first_enrolment_done(request, user, device, codes)
    )


def _first_enrolment_done(request, user, device, codes):
    _pass_second_factor(request, user, device)
    return render(request, "security/backup_codes.html", {"codes": codes, "next": _next_url(request)})


def _enrol(request, user, done):
    device = second_factor.pending_app_device(user)
    error = None
    if request.method == "POST":
        if _locked_out(request, user):
            return lockout_response(request)
        if device.verify_token("".join((request.POST.get("otp") or "").split())):
            codes = second_factor.confirm_app_device(device)
            events.second_factor_enrolled(request, user)
            return done(device, codes)
        events.second_factor_failed(request, user)
        error = "That code is not right. Enter the 6 digits your app shows now for Vida."
    context = {
        "qr_svg": second_factor.qr_svg(device),
        "key": second_factor.base32_key(device),
        "error": error,
        "next": _next_url(request),
    }
    return render(request, "security/two_factor_setup.html", context, status=400 if error else 200)


def _second_factor_page(view):
    """A settings page about the signed-in person's own second factor: theirs only, password confirmed."""

    @reauthentication_required
    def wrapper(request, *args, **kwargs):
        if not signed_in(request.user):
            return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
        if not needs_second_factor(request.user):
            return redirect("settings")
        return view(request, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@_second_factor_page
def replace_app(request):
    """Move the second factor to a new phone: the old authenticator stops working once the new one is confirmed."""

    def done(device, codes):
        _pass_second_factor(request, request.user, device)
        messages.success(request, "Your new authenticator app is set up; the old one no longer works.")
        return render(request, "security/backup_codes.html", {"codes": codes, "next": reverse("settings")})

    return _enrol(request, request.user, done=done)


@require_http_methods(["GET", "POST"])
@_second_factor_page
def backup_codes(request):
    """New backup codes; the old ones stop working."""
    if request.method == "GET":
        return render(request, "security/new_backup_codes.html")
    codes = second_factor.new_backup_codes(request.user)
    events.record(request, "backup_codes_replaced", user=request.user)
    return render(request, "security/backup_codes.html", {"codes": codes, "next": reverse("settings")})


@require_http_methods(["GET", "POST"])
def confirm_password(request):
    """Re-authentication before a sensitive change: the password again (counted like any sign-in)."""
    if not signed_in(request.user):
        return redirect(f"{reverse('login')}?{urlencode({'next': _next_url(request)})}")
    error = None
    if request.method == "POST":
        user = authenticate(
            request, username=request.user.get_username(), password=request.POST.get("password", "")
        )
        if user is not None and user.pk == request.user.pk:
            mark_password_confirmed(request)
            return redirect(_next_url(request))
        error = "That password is not right."
    return render(
        request,
        "security/confirm_password.html",
        {"error": error, "next": _next_url(request)},
        status=400 if error else 200,
    )
