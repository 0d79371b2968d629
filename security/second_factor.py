"""The second factor for clinicians and staff: django-otp TOTP devices and single-use backup codes.

Enrolment happens on the first sign-in: an unconfirmed TOTP device is made, its
key shown as a QR code (drawn here as SVG by segno; no outside service sees the
key) and as text, and the first right code confirms it. Backup codes are a
django-otp static device whose tokens are deleted as they are used.
"""

import base64
import re

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "Authenticator app"
# The demo clinician's authenticator, whose key the README publishes. In development it
# accepts a code again within its 30 seconds, so the demo can sign in on the web and
# for a token in the same half minute; every other device keeps django-otp's replay
# protection, and production has no such device (seed_demo refuses to run there).
DEMO_DEVICE_NAME = "Demo authenticator (development only)"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
# An app's 6 digits or a backup code (django-otp's are lowercase base32); anything else
# is wrong without asking a device, and never reaches the database.
CODE_SHAPE = re.compile(r"[0-9a-z]{6,16}")


def is_enrolled(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def verify(user, code):
    """The confirmed device of ``user`` that accepts ``code`` (an app's 6 digits or a backup code), or None.

    Each device is checked through django-otp's ``verify_token``, which locks the
    device row and applies its throttle (a wait that doubles after each wrong
    code), and deletes a backup code once used.
    """
    code = "".join((code or "").split()).lower()
    if not CODE_SHAPE.fullmatch(code):
        return None
    for device in devices_for_user(user):
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            if verified.name == DEMO_DEVICE_NAME and not settings.PRODUCTION:
                TOTPDevice.objects.filter(pk=verified.pk).update(last_t=-1)
            return verified
    return None


def pending_app_device(user):
    """The not-yet-confirmed authenticator device ``user`` is enrolling, made on first call."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def base32_key(device):
    """The device's key as authenticator apps take it typed in (RFC 4648 base32, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device):
    """The device's ``otpauth://`` URL as an inline SVG QR code."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, title="QR code for your authenticator app"
    )


@transaction.atomic
def confirm_app_device(device):
    """Make ``device`` the user's authenticator: other app devices go, new backup codes.

    Deleting an app device ends the user's API tokens (``security.events``).
    Returns the backup codes, to be shown once.
    """
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_backup_codes(user)


@transaction.atomic
def new_backup_codes(user):
    """Replace the user's backup codes with ``BACKUP_CODE_COUNT`` new ones and return them."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def give_fixed_app_device(user, base32_secret, name=APP_DEVICE_NAME):
    """A confirmed authenticator with a known key (the demo clinician's, tests'). Never in production use."""
    key = base64.b32decode(base32_secret + "=" * (-len(base32_secret) % 8)).hex()
    TOTPDevice.objects.filter(user=user).exclude(name=name).delete()
    device, _ = TOTPDevice.objects.update_or_create(
        user=user, name=name, defaults={"key": key, "confirmed": True}
    )
    return device
