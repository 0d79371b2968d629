from django.core.management.base import BaseCommand

from accounts import demo
from accounts.models import User
from checkins.demo import seed_checkins


class Command(BaseCommand):
    help = "Create (or refresh) the demo patient with 60 days of check-ins and the demo clinician."

    def handle(self, *args, **options):
        patient = demo.ensure_user(demo.DEMO_PATIENT, User.Role.PATIENT)
        clinician = demo.ensure_user(demo.DEMO_CLINICIAN, User.Role.CLINICIAN)
        checkins, flares = seed_checkins(patient)
        self.stdout.write(
            f"Demo patient '{patient.username}': {checkins} check-ins, {flares} flares. "
            f"Demo clinician '{clinician.username}'."
        )
