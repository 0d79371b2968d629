from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demo import accounts
from demo.careteam import seed_clinic
from demo.checkins import seed_checkins
from demo.screening import seed_screening
from demo.stretches import load_demo_videos, seed_sessions


class Command(BaseCommand):
    help = (
        "Create (or refresh) the demo patient with 60 days of check-ins and a clear screening, the demo "
        "clinician linked to them and 25 more patients, and the demo stretch videos. Development only: "
        "the demo passwords are published."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo refuses to run with production settings: its accounts have published passwords."
            )
        patient = accounts.ensure_user(accounts.DEMO_PATIENT, User.Role.PATIENT)
        clinician = accounts.ensure_user(accounts.DEMO_CLINICIAN, User.Role.CLINICIAN)
        accounts.give_demo_authenticator(clinician)
        checkins, flares = seed_checkins(patient)
        screening = seed_screening(patient)
        videos = load_demo_videos()
        sessions = seed_sessions(patient, videos)
        linked = seed_clinic(clinician, patient)
        stretches = (
            f"{len(videos)} demo stretch videos, {sessions} stretch sessions."
            if videos
            else "No demo stretch videos found (manage.py make_demo_stretches makes them)."
        )
        self.stdout.write(
            f"Demo patient '{patient.username}': {checkins} check-ins, {flares} flares, "
            f"a clear screening ({screening.hip_verdict}). "
            f"Demo clinician '{clinician.username}' (second factor: TOTP key {accounts.DEMO_CLINICIAN_TOTP_SECRET}), "
            f"linked to {linked} patients. {stretches}"
        )
