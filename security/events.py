"""Security events, logged one JSON object per line on the ``vida.security`` logger.

Failed sign-ins (password or second factor), lockouts, sign-ins and changes to
the credentials. No names, no addresses: an account is named by its public id
when it exists, otherwise by a keyed hash of the username typed; the client by
a keyed hash of its address (the same input gives the same hash, so repeated
attempts can be followed without the log holding the values).
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import User
from security.reauth import mark_password_confirmed
from security.tokens import end_all_tokens
from vida.clients import client_ip
from vida.errors import is_api

logger = logging.getLogger("vida.security")


def pseudonym(value):
    """A short keyed hash of ``value``: stable for the same input, meaningless without the secret key."""
    if not value:
        return None
    digest = hmac.new(settings.SECRET_KEY.encode(), str(value).encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def record(request, event, *, user=None, username=None, level=logging.INFO):
    fields = {"event": event, "security": True}
    if user is not None:
        fields["account"] = str(user.public_id)
    elif username:
        fields["account_ref"] = pseudonym(username.strip().lower())
    if request is not None:
        fields["client_ref"] = pseudonym(client_ip(request))
        fields["path"] = request.path
    logger.log(level, event.replace("_", " "), extra=fields)


def second_factor_failed(request, user):
    """A wrong second-factor code: logged, and counted by django-axes like a wrong password."""
    record(request, "second_factor_failed", user=user, level=logging.WARNING)
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request, second_factor=True
    )


def second_factor_passed(request, user):
    record(request, "second_factor_passed", user=user)


def second_factor_enrolled(request, user):
    record(request, "second_factor_enrolled", user=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    if kwargs.get("second_factor"):
        return  # logged by second_factor_failed with the account
    username = (credentials or {}).get("username") or ""
    record(request, "sign_in_failed", username=username, level=logging.WARNING)


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    record(request, "signed_in", user=user)
    if request is not None and hasattr(request, "session") and not is_api(request):
        mark_password_confirmed(request)  # the password was just given: counts as re-authentication


def locked_out(sender, request, username, ip_address, **kwargs):
    record(request, "locked_out", username=username, level=logging.WARNING)


@receiver(post_save, sender=User)
def _password_changed(sender, instance, created, **kwargs):
    """A new password ends every API token; other sessions end by Django's session hash.

    ``AbstractBaseUser.save`` keeps the new raw password in ``_password`` until
    after this signal, and only when ``set_password`` was called, whichever
    page or command called it (the password-change and password-reset pages too).
    """
    if not created and getattr(instance, "_password", None) is not None:
        end_all_tokens(instance)
        record(None, "password_changed", user=instance)


def _authenticator_removed(sender, instance, **kwargs):
    """An authenticator app removed (staff resetting a lost phone, or a new one confirmed): its tokens end too."""
    end_all_tokens(instance.user)
    record(None, "second_factor_removed", user=instance.user)


def _connect_axes():
    from axes.signals import user_locked_out

    user_locked_out.connect(locked_out, dispatch_uid="vida-security-locked-out")


def _connect_devices():
    from django.db.models.signals import post_delete
    from django_otp.plugins.otp_totp.models import TOTPDevice

    post_delete.connect(
        _authenticator_removed, sender=TOTPDevice, dispatch_uid="vida-security-device-removed"
    )


_connect_axes()
_connect_devices()
