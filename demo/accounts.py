"""Demo accounts, shown in the README so a newcomer can look around at once."""

from accounts.models import User
from security.second_factor import DEMO_DEVICE_NAME, give_fixed_app_device

DEMO_PATIENT = {"username": "demo.patient", "password": "vida-demo-patient", "display_name": "Sam (demo)"}
DEMO_CLINICIAN = {
    "username": "demo.clinician",
    "password": "vida-demo-clinician",
    "display_name": "Dr Lee (demo)",
}
# The demo clinician's second factor: an authenticator app set up with this published
# base32 key gives the codes (the README says so). Development only, like the passwords.
DEMO_CLINICIAN_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def ensure_user(spec, role, timezone="Europe/London"):
    user, _ = User.objects.get_or_create(username=spec["username"], defaults={"role": role})
    user.role = role
    user.display_name = spec["display_name"]
    user.timezone = timezone
    user.email = f"{spec['username']}@example.org"
    user.set_password(spec["password"])
    user.save()
    return user


def give_demo_authenticator(clinician):
    return give_fixed_app_device(clinician, DEMO_CLINICIAN_TOTP_SECRET, name=DEMO_DEVICE_NAME)
