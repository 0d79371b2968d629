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


def delete_account(user):
    """Delete the account and, by the foreign keys' CASCADE, every row of theirs (one transaction, Django's).

    Check-ins, flares, screenings, sessions, share codes, care-team links, notes
    about them and their access log all go; clinicians lose access at once.
    Rows that only name them in passing (a review they made) keep the fact
    without the person (SET_NULL).
    """
    user.delete()
