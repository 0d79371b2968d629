"""Demo data: 60 days in which the hip tends to lead the back by a day."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from checkins.models import CheckIn, Flare

DEMO_DAYS = 60


def _clamp(value):
    return max(0, min(10, round(value)))


def demo_series(days=DEMO_DAYS, seed=7):
    """Deterministic (hip, back, sitting_hours) per day, oldest first.

    Hip pain follows long sitting; back pain follows yesterday's hip pain. Over
    the last weeks sitting falls and both ease, which is what stretching the hip
    flexors is meant to show.
    """
    rng = random.Random(seed)
    rows = []
    hip_yesterday = 5.0
    for i in range(days):
        improving = max(0.0, (i - days * 0.5) / (days * 0.5))  # 0 for the first half, up to 1
        sitting = max(2.0, min(12.0, 8.5 - 3.5 * improving + rng.gauss(0, 2.0)))
        sitting = round(sitting * 2) / 2
        hip = 1.0 + 0.55 * sitting - 1.5 * improving + rng.gauss(0, 0.8)
        back = 0.8 + 0.75 * hip_yesterday - 1.0 * improving + rng.gauss(0, 0.6)
        rows.append((_clamp(hip), _clamp(back), Decimal(str(sitting))))
        hip_yesterday = hip
    return rows


@transaction.atomic
def seed_checkins(patient, days=DEMO_DAYS):
    """Replace the patient's check-ins and flares with the demo series ending today."""
    CheckIn.objects.filter(patient=patient).delete()
    Flare.objects.filter(patient=patient).delete()
    today = patient.local_today()
    first = today - dt.timedelta(days=days - 1)
    checkins = []
    flares = []
    previous_hip = None
    for offset, (hip, back, sitting) in enumerate(demo_series(days)):
        day = first + dt.timedelta(days=offset)
        checkins.append(
            CheckIn(
                patient=patient,
                date=day,
                back_pain=back,
                hip_pain=hip,
                sitting_hours=sitting,
                worse_after_sitting=sitting >= 7,
                eased_by_walking=back >= 3,
                first_region="hip" if previous_hip is not None and hip > previous_hip else "unsure",
            )
        )
        if back >= 7 and day < today:
            evening = dt.datetime.combine(day, dt.time(18, 30), tzinfo=patient.zone)
            flares.append(
                Flare(
                    patient=patient,
                    occurred_at=evening,
                    region="back",
                    intensity=min(10, back + 1),
                    trigger="after a long day sitting",
                )
            )
        previous_hip = hip
    CheckIn.objects.bulk_create(checkins)
    Flare.objects.bulk_create(flares)
    return len(checkins), len(flares)
