"""A clinic morning for the demo clinician: the demo patient and 25 more patients with varied histories.

Each demo patient follows one story (a red flag, a worsening week, silence,
steady improvement, a steady mixed picture), over their own time zone, so the
clinic list shows every flag in its ranked place. The extra patients cannot
sign in (no usable password); they exist to be looked at.
"""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from careteam.models import CareLink
from checkins.models import CheckIn, Flare
from screening import actions as screening_actions
from screening.questionnaire import CURRENT

# (name, time zone, story); the stories are the functions below.
PEOPLE = [
    ("Aisha", "Europe/London", "red_flag_urgent"),
    ("Ben", "America/New_York", "red_flag_emergency"),
    ("Carla", "Europe/Madrid", "worsening"),
    ("Dev", "Asia/Kolkata", "worsening"),
    ("Elif", "Europe/Istanbul", "worsening"),
    ("Femi", "Africa/Lagos", "silent"),
    ("Grace", "Australia/Sydney", "silent"),
    ("Hugo", "Europe/Paris", "silent"),
    ("Ines", "Europe/Lisbon", "improving"),
    ("Jonas", "Europe/Berlin", "improving"),
    ("Kaito", "Asia/Tokyo", "improving"),
    ("Lena", "Europe/Vienna", "improving"),
    ("Mateo", "America/Mexico_City", "improving"),
    ("Nora", "Europe/Oslo", "improving"),
    ("Omar", "Asia/Dubai", "steady"),
    ("Priya", "Asia/Singapore", "steady"),
    ("Quinn", "America/Chicago", "steady"),
    ("Rosa", "America/Los_Angeles", "steady"),
    ("Sven", "Europe/Stockholm", "steady"),
    ("Tala", "Pacific/Auckland", "steady"),
    ("Uma", "Asia/Kathmandu", "steady"),
    ("Viktor", "Europe/Prague", "steady"),
    ("Wen", "Asia/Shanghai", "steady"),
    ("Yara", "America/Sao_Paulo", "new"),
    ("Zoe", "Europe/Dublin", "new"),
]


def _level(story, day_index, days, rng):
    """Back and hip pain for one day of a story (day_index 0 is the oldest)."""
    weeks_left = (days - 1 - day_index) / 7
    if story == "worsening":
        back = 3 + (3.5 if weeks_left < 1 else 0)
    elif story == "improving":
        back = max(1.5, 7 - 5 * day_index / days)
    elif story.startswith("red_flag"):
        back = 6
    else:
        back = 4
    hip = back + rng.choice([-1, 0, 0, 1])
    return _clamp(back + rng.gauss(0, 0.7)), _clamp(hip + rng.gauss(0, 0.7))


def _clamp(value):
    return max(0, min(10, round(value)))


def _history(patient, story, rng):
    days = {"new": 4}.get(story, rng.randint(35, 80))
    today = patient.local_today()
    gap = 5 if story == "silent" else 0  # the silent ones stopped checking in five days ago
    checkins, flares = [], []
    for index in range(days):
        day = today - dt.timedelta(days=days - 1 - index)
        if today - day < dt.timedelta(days=gap) or rng.random() < 0.1:
            continue
        back, hip = _level(story, index, days, rng)
        checkins.append(
            CheckIn(
                patient=patient,
                date=day,
                back_pain=back,
                hip_pain=hip,
                sitting_hours=Decimal(rng.randint(6, 20)) / 2,
            )
        )
        if back >= 7 and rng.random() < 0.5 and day < today:
            evening = dt.datetime.combine(day, dt.time(18, 0), tzinfo=patient.zone)
            flares.append(
                Flare(patient=patient, occurred_at=evening, region="back", intensity=min(10, back + 1))
            )
    CheckIn.objects.bulk_create(checkins)
    Flare.objects.bulk_create(flares)


def _screen(patient, story):
    answers = {question.id: False for question in CURRENT.questions}
    answers.update(sitting_worse=True, front_hip=story != "steady", leading_region="hip")
    if story == "red_flag_urgent":
        answers["night_pain"] = True
    if story == "red_flag_emergency":
        answers["leg_weakness"] = True
    screening_actions.record_screening(patient, CURRENT.version, answers)


@transaction.atomic
def seed_clinic(clinician, demo_patient):
    """Link ``clinician`` to the demo patient and to PEOPLE, each with a fresh history ending today."""
    rng = random.Random(11)
    no_password = make_password(None)
    patients = [demo_patient]
    for number, (name, zone, story) in enumerate(PEOPLE, start=1):
        patient, _ = User.objects.update_or_create(
            username=f"demo.p{number:02d}",
            defaults={
                "role": User.Role.PATIENT,
                "display_name": f"{name} (demo)",
                "timezone": zone,
                "email": f"demo.p{number:02d}@example.org",
                "password": no_password,
            },
        )
        for related in (patient.checkins, patient.flares, patient.screenings):
            related.all().delete()
        _history(patient, story, rng)
        if story != "new":
            _screen(patient, story)
        patients.append(patient)
    CareLink.objects.filter(clinician=clinician).delete()
    now = timezone.now()
    CareLink.objects.bulk_create(
        CareLink(clinician=clinician, patient=patient, linked_at=now - dt.timedelta(days=30))
        for patient in patients
    )
    return len(patients)
