"""Who may reach what. Pages and API share these, so a role rule lives in one place."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from rest_framework import permissions


class IsPatient(permissions.BasePermission):
    """Endpoints about "my own record" are for patients only."""

    message = "Only patient accounts keep a check-in record."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_patient)


def patient_required(view):
    """A page that is a patient's own: others are sent to log in, or told it does not exist."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_patient:
            raise Http404("No such page for this account.")
        return view(request, *args, **kwargs)

    return wrapper
