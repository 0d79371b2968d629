import datetime as dt
import uuid

import pytest
import time_machine
from django.utils import timezone

from checkins.models import Flare
from tests.factories import FlareFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/flares/"
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)


def test_a_flare_defaults_to_now(patient_api, patient):
    with time_machine.travel(NOW, tick=False):
        response = patient_api.post(URL, {"region": "back", "intensity": 8}, format="json")
    assert response.status_code == 201
    body = response.json()
    uuid.UUID(body["id"])
    flare = Flare.objects.get(patient=patient)
    assert flare.occurred_at == NOW
    assert (body["region"], body["intensity"], body["trigger"], body["note"]) == ("back", 8, "", "")


def test_many_flares_a_day_are_fine(patient_api, patient):
    for intensity in (5, 7, 9):
        assert (
            patient_api.post(URL, {"region": "hip", "intensity": intensity}, format="json").status_code == 201
        )
    assert Flare.objects.filter(patient=patient).count() == 3


def test_a_naive_time_is_read_in_the_patients_zone(patient_api, patient):
    patient.timezone = "Pacific/Auckland"
    patient.save()
    with time_machine.travel(NOW, tick=False):
        response = patient_api.post(
            URL, {"region": "both", "intensity": 6, "occurred_at": "2026-11-26T01:30:00"}, format="json"
        )
    assert response.status_code == 201
    # 01:30 on 26 Nov in Auckland (UTC+13) is 12:30 UTC on 25 Nov.
    assert Flare.objects.get().occurred_at == dt.datetime(2026, 11, 25, 12, 30, tzinfo=dt.UTC)
    assert response.json()["occurred_at"].startswith("2026-11-26T01:30:00+13:00")


def test_a_time_a_few_seconds_ahead_is_stored_as_now(patient_api):
    with time_machine.travel(NOW, tick=False):
        ahead = (NOW + dt.timedelta(seconds=30)).isoformat()
        response = patient_api.post(
            URL, {"region": "back", "intensity": 4, "occurred_at": ahead}, format="json"
        )
    assert response.status_code == 201
    assert Flare.objects.get().occurred_at == NOW


@pytest.mark.parametrize(
    "change, field",
    [
        ({"intensity": -1}, "intensity"),
        ({"intensity": 11}, "intensity"),
        ({"intensity": 2.5}, "intensity"),
        ({"intensity": "bad"}, "intensity"),
        ({"intensity": None}, "intensity"),
        ({"region": "knee"}, "region"),
        ({"region": None}, "region"),
        ({"occurred_at": (NOW + dt.timedelta(hours=1)).isoformat()}, "occurred_at"),
        ({"occurred_at": (NOW - dt.timedelta(days=400)).isoformat()}, "occurred_at"),
        ({"occurred_at": "tuesday"}, "occurred_at"),
        ({"trigger": "x" * 201}, "trigger"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_bad_flares_are_refused_and_nothing_is_stored(patient_api, change, field):
    with time_machine.travel(NOW, tick=False):
        response = patient_api.post(URL, {"region": "back", "intensity": 5, **change}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Flare.objects.exists()


def test_flares_list_is_mine_only_newest_first(patient_api, patient, other_patient):
    older = FlareFactory(patient=patient, occurred_at=timezone.now() - dt.timedelta(hours=5))
    newer = FlareFactory(patient=patient, occurred_at=timezone.now() - dt.timedelta(hours=1))
    FlareFactory(patient=other_patient)
    body = patient_api.get(URL).json()
    assert [row["id"] for row in body["results"]] == [str(newer.id), str(older.id)]


def test_flares_need_a_patient(anon_api, clinician_api):
    assert anon_api.get(URL).status_code == 401
    assert anon_api.post(URL, {"region": "back", "intensity": 5}, format="json").status_code == 401
    assert clinician_api.post(URL, {"region": "back", "intensity": 5}, format="json").status_code == 403
    assert not Flare.objects.exists()


def test_the_database_refuses_a_flare_after_it_was_logged(patient):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Flare.objects.create(
            patient=patient, region="back", intensity=5, occurred_at=timezone.now() + dt.timedelta(hours=1)
        )
