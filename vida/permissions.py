"""Who may reach what. Pages and API share these, so a role rule lives in one place.

Deny by default: the API's default permission (``DeclaredAudience``) refuses
every view that does not say whom it serves with an ``audience`` attribute, so
a new endpoint cannot leak data by forgetting a mixin. Pages say it with a
decorator (``patient_required``, ``clinician_required``).

Who counts as signed in is decided once, by ``signed_in``: a clinician or staff
member who has given the password but not the second factor is not. Sessions
get ``is_verified()`` from django-otp's middleware, API tokens from
``security.authentication``; a half-signed-in session is treated as anonymous
everywhere by ``security.middleware.SecondFactorMiddleware``, which uses the
same rule.
"""

import enum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from rest_framework import permissions


def needs_second_factor(user):
    return bool(getattr(user, "needs_second_factor", False))


def passed_second_factor(user):
    """True unless ``user`` must give a second factor and has not (in this session, or for this token)."""
    if not needs_second_factor(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def signed_in(user):
    """The one rule: a person is signed in with their password and, where they need one, the second factor."""
    return user is not None and user.is_authenticated and passed_second_factor(user)


class Audience(enum.Enum):
    """Whom a view serves."""

    PUBLIC = "public"  # anyone, signed in or not (sign-up, token)
    SIGNED_IN = "signed_in"  # any signed-in person (the questionnaire, the video library)
    PATIENT = "patient"  # a patient, about their own record
    CLINICIAN = "clinician"  # a clinician, about linked patients
    PATIENT_OR_CLINICIAN = "patient_or_clinician"  # either, about their own account (reminders, notices)

    def admits(self, user):
        if self is Audience.PUBLIC:
            return True
        if not signed_in(user):
            return False
        if self is Audience.PATIENT:
            return user.is_patient
        if self is Audience.CLINICIAN:
            return user.is_clinician
        if self is Audience.PATIENT_OR_CLINICIAN:
            return user.is_patient or user.is_clinician
        return True


class DeclaredAudience(permissions.BasePermission):
    """The API's default permission: the view's ``audience`` must admit the requester.

    A view without an ``audience`` is refused to everyone.
    """

    message = "This account cannot use this endpoint."

    def has_permission(self, request, view):
        audience = getattr(view, "audience", None)
        return isinstance(audience, Audience) and audience.admits(request.user)


def _page_for(role_check):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not signed_in(request.user):
                return redirect_to_login(request.get_full_path())
            if not role_check(request.user):
                raise Http404("No such page for this account.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Pages: others are sent to log in, or told the page does not exist.
patient_required = _page_for(Audience.PATIENT.admits)
clinician_required = _page_for(Audience.CLINICIAN.admits)
patient_or_clinician_required = _page_for(Audience.PATIENT_OR_CLINICIAN.admits)
signed_in_required = _page_for(Audience.SIGNED_IN.admits)
