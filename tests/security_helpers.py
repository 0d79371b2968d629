"""Signing in as the product does, second factor included, for tests of everything else."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from security.second_factor import give_fixed_app_device
from security.tokens import issue_token

# A base32 TOTP key for test accounts (not the demo clinician's).
TEST_TOTP_SECRET = "KRSXG5CTMVRXEZLUKN2XAZLS"


def authenticator(user):
    """The user's confirmed authenticator app, with a key the tests know."""
    return give_fixed_app_device(user, TEST_TOTP_SECRET)


def current_code(user):
    """The code the user's authenticator shows now.

    A TOTP device refuses a code of a time step it has already accepted (no
    replay); tests that sign one person in twice within 30 seconds forget the
    last accepted step first.
    """
    device = authenticator(user)
    device.last_t = -1
    device.throttling_failure_count = 0
    device.save(update_fields=["last_t", "throttling_failure_count"])
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():0{device.digits}d}"


def api_token(user):
    """An API token made as ``POST /api/v1/auth/token/`` makes it, after the second factor where one is needed."""
    device = authenticator(user) if user.needs_second_factor else None
    return issue_token(user, device)[1]


def sign_in(client, user):
    """``client.force_login`` plus the second factor, for people who need one."""
    client.force_login(user)
    if user.needs_second_factor:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
        session.save()
    return client
