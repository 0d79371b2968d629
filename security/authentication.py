"""API token authentication: django-rest-knox, with Vida's second-factor rule."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox import auth
from rest_framework import exceptions

from vida.permissions import needs_second_factor


class TokenAuthentication(auth.TokenAuthentication):
    """``Authorization: Token <token>``: knox's hashed, expiring tokens.

    Two changes to knox's class:

    - Knox checks every other token of the user for expiry on each request, one
      more query per request; here a request only looks at its own token, and
      expired tokens are deleted when their owner signs in again
      (``security.tokens.issue_token``) or by ``manage.py purge_expired_tokens``.
    - A token of someone who signs in with a second factor counts only if it
      was issued after one (``AuthToken.second_factor``); the user it returns
      carries ``is_verified()`` as django-otp's middleware gives session users,
      so ``vida.permissions.signed_in`` decides both alike.
    """

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except UnicodeDecodeError:  # header bytes that are not UTF-8 cannot be a token
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None

    def _cleanup_token(self, auth_token):
        return auth_token.expiry is not None and auth_token.expiry < timezone.now()

    def validate_user(self, auth_token):
        user, auth_token = super().validate_user(auth_token)
        verified = bool(auth_token.second_factor)
        if needs_second_factor(user) and not verified:
            raise exceptions.AuthenticationFailed(_("This token was issued without the second factor."))
        user.otp_device = None
        user.is_verified = lambda: verified
        return user, auth_token
