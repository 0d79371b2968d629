"""Issuing and ending API tokens."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from security.models import AuthToken


@transaction.atomic
def issue_token(user, device=None):
    """A new API token for ``user``, who has just given their password (and, with ``device``, the OTP).

    Returns ``(AuthToken, token string)``; only the digest is stored. Tokens of
    people with a second factor last ``VIDA_SECOND_FACTOR_TOKEN_TTL``, others
    REST_KNOX's ``TOKEN_TTL``. The user's expired tokens are deleted on the way.
    """
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    extra = {"expiry": settings.VIDA_SECOND_FACTOR_TOKEN_TTL} if user.needs_second_factor else {}
    return AuthToken.objects.create(user=user, second_factor=device.persistent_id if device else "", **extra)


def end_all_tokens(user):
    """Every API token of ``user`` stops working (a password change, a lost authenticator)."""
    AuthToken.objects.filter(user=user).delete()
