"""What a locked-out client is told (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from vida.errors import is_api

MESSAGE = "Too many failed sign-in attempts. Try again in {minutes} minutes."


def lockout_response(request, original_response=None, credentials=None):
    """429 with Retry-After: JSON on the API, a plain page on the web."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    message = MESSAGE.format(minutes=max(1, seconds // 60))
    if is_api(request):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "security/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response
