from django.core.management.base import BaseCommand

from accounts import demo
from accounts.models import User
from checkins.demo import seed_checkins
from stretches.demo import load_demo_videos, seed_sessions


class Command(BaseCommand):
    help = (
        "Create (or refresh) the demo patient with 60 days of check-ins, the demo clinician "
        "and the demo stretch videos."
    )

    def handle(self, *args, **options):
        patient = demo.ensure_user(demo.DEMO_PATIENT, User.Role.PATIENT)
        clinician = demo.ensure_user(demo.DEMO_CLINICIAN, User.Role.CLINICIAN)
        checkins, flares = seed_checkins(patient)
        videos = load_demo_videos()
        sessions = seed_sessions(patient, videos)
        stretches = (
            f"{len(videos)} demo stretch videos, {sessions} stretch sessions."
            if videos
            else "No demo stretch videos found (manage.py make_demo_stretches makes them)."
        )
        self.stdout.write(
            f"Demo patient '{patient.username}': {checkins} check-ins, {flares} flares. "
            f"Demo clinician '{clinician.username}'. {stretches}"
        )
