"""Demo accounts, shown in the README so a newcomer can look around at once."""

from accounts.models import User

DEMO_PATIENT = {"username": "demo.patient", "password": "vida-demo-patient", "display_name": "Sam (demo)"}
DEMO_CLINICIAN = {
    "username": "demo.clinician",
    "password": "vida-demo-clinician",
    "display_name": "Dr Lee (demo)",
}


def ensure_user(spec, role, timezone="Europe/London"):
    user, _ = User.objects.get_or_create(username=spec["username"], defaults={"role": role})
    user.role = role
    user.display_name = spec["display_name"]
    user.timezone = timezone
    user.email = f"{spec['username']}@example.org"
    user.set_password(spec["password"])
    user.save()
    return user
