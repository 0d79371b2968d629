from django.db import models
from knox.models import AbstractAuthToken


class AuthToken(AbstractAuthToken):
    """An API token (django-rest-knox): only its SHA-512 digest is stored, and it expires.

    One per sign-in (an app on a phone, a script), ended by ``POST /api/v1/auth/logout/``.
    ``second_factor`` names the OTP device (its django-otp persistent id) that
    was verified when the token was issued; a clinician's or staff member's token
    without one is refused (security/authentication.py).
    """

    second_factor = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "API token"
