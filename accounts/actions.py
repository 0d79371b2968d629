from django.db import transaction

from accounts.models import User


@transaction.atomic
def register_patient(*, username, email, password, timezone, display_name=""):
    """Create a patient account. Inputs are validated by the caller's serializer or form."""
    return User.objects.create_user(
        username=username,
        email=email,
        password=password,
        timezone=timezone,
        display_name=display_name,
        role=User.Role.PATIENT,
    )
