"""Daily check-ins through the API, as a phone app or script meets them."""

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction

from checkins.models import CheckIn
from tests.concurrency import race
from tests.conftest import client_for
from tests.factories import CheckInFactory, PatientFactory, days_ago

pytestmark = pytest.mark.django_db

URL = "/api/v1/checkins/"


def day_url(day):
    return f"{URL}{day.isoformat()}/"


# --- creating and editing -------------------------------------------------------------


def test_create_defaults_to_the_patients_local_today(patient_api, patient):
    response = patient_api.post(URL, {"back_pain": 4, "hip_pain": 6}, format="json")
    assert response.status_code == 201
    body = response.json()
    today = patient.local_today().isoformat()
    assert body["date"] == today
    assert response["Location"] == f"{URL}{today}/"
    assert body["url"] == f"{URL}{today}/"
    assert body["back_pain"] == 4 and body["hip_pain"] == 6
    assert body["sitting_hours"] is None and body["first_region"] == "" and body["note"] == ""
    assert set(body) >= {"created_at", "updated_at"}


def test_create_with_every_optional_field(patient_api, patient):
    payload = {
        "date": days_ago(patient, 3).isoformat(),
        "back_pain": 2,
        "hip_pain": 7,
        "sitting_hours": 9.5,
        "worse_after_sitting": True,
        "eased_by_walking": False,
        "first_region": "hip",
        "note": "Long train journey.",
    }
    response = patient_api.post(URL, payload, format="json")
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in payload} == payload
    stored = CheckIn.objects.get(patient=patient)
    assert stored.sitting_hours == Decimal("9.5")


def test_posting_a_date_that_exists_is_a_conflict_and_changes_nothing(patient_api, patient):
    CheckInFactory(patient=patient, back_pain=3, hip_pain=3)
    response = patient_api.post(URL, {"back_pain": 9, "hip_pain": 9}, format="json")
    assert response.status_code == 409
    today = patient.local_today().isoformat()
    assert response.json()["url"] == f"{URL}{today}/"
    assert response["Location"] == f"{URL}{today}/"
    stored = CheckIn.objects.get(patient=patient)
    assert (stored.back_pain, stored.hip_pain) == (3, 3)


def test_put_creates_the_day_then_replaces_it(patient_api, patient):
    day = days_ago(patient, 1)
    first = patient_api.put(day_url(day), {"back_pain": 5, "hip_pain": 5, "note": "stiff"}, format="json")
    assert first.status_code == 201
    second = patient_api.put(day_url(day), {"back_pain": 2, "hip_pain": 3}, format="json")
    assert second.status_code == 200
    assert second.json()["note"] == ""  # a replacement, not a merge
    assert CheckIn.objects.filter(patient=patient).count() == 1
    stored = CheckIn.objects.get(patient=patient)
    assert (stored.back_pain, stored.hip_pain, stored.date) == (2, 3, day)
    assert stored.updated_at > stored.created_at


def test_second_checkin_same_day_edits_it(patient_api, patient):
    today = patient.local_today()
    patient_api.put(day_url(today), {"back_pain": 6, "hip_pain": 4}, format="json")
    patient_api.put(day_url(today), {"back_pain": 3, "hip_pain": 4}, format="json")
    assert list(CheckIn.objects.filter(patient=patient).values_list("back_pain", flat=True)) == [3]


def test_patch_changes_only_the_given_fields(patient_api, patient):
    CheckInFactory(patient=patient, back_pain=5, hip_pain=6, note="keep me")
    response = patient_api.patch(day_url(patient.local_today()), {"hip_pain": 2}, format="json")
    assert response.status_code == 200
    stored = CheckIn.objects.get(patient=patient)
    assert (stored.back_pain, stored.hip_pain, stored.note) == (5, 2, "keep me")


def test_patch_of_a_day_never_logged_is_404(patient_api, patient):
    response = patient_api.patch(day_url(patient.local_today()), {"hip_pain": 2}, format="json")
    assert response.status_code == 404
    assert not CheckIn.objects.exists()


def test_put_body_date_must_match_the_url(patient_api, patient):
    today = patient.local_today()
    response = patient_api.put(
        day_url(today),
        {"date": days_ago(patient, 2).isoformat(), "back_pain": 1, "hip_pain": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "date" in response.json()
    assert not CheckIn.objects.exists()


def test_delete_removes_the_day(patient_api, patient):
    CheckInFactory(patient=patient)
    assert patient_api.delete(day_url(patient.local_today())).status_code == 204
    assert not CheckIn.objects.exists()


def test_get_one_day(patient_api, patient):
    CheckInFactory(patient=patient, back_pain=1, hip_pain=8)
    body = patient_api.get(day_url(patient.local_today())).json()
    assert (body["back_pain"], body["hip_pain"]) == (1, 8)


def test_an_impossible_date_in_the_url_is_404(patient_api):
    assert patient_api.get(f"{URL}2026-02-30/").status_code == 404
    assert (
        patient_api.put(f"{URL}2026-13-01/", {"back_pain": 1, "hip_pain": 1}, format="json").status_code
        == 404
    )


# --- the local date -------------------------------------------------------------------


def test_auckland_evening_in_utc_is_already_tomorrow_there(db):
    auckland = PatientFactory(timezone="Pacific/Auckland")
    london = PatientFactory(timezone="Europe/London")
    # 23:30 UTC on 25 Nov is 12:30 on 26 Nov in Auckland (NZDT, UTC+13).
    with time_machine.travel(dt.datetime(2026, 11, 25, 23, 30, tzinfo=dt.UTC), tick=False):
        nz = client_for(auckland).post(URL, {"back_pain": 3, "hip_pain": 4}, format="json")
        uk = client_for(london).post(URL, {"back_pain": 3, "hip_pain": 4}, format="json")
        # Auckland's today is not in the future for an Auckland patient...
        ahead = client_for(auckland).put(f"{URL}2026-11-26/", {"back_pain": 2, "hip_pain": 2}, format="json")
        # ...but it is for a patient in London.
        too_soon = client_for(london).put(f"{URL}2026-11-26/", {"back_pain": 2, "hip_pain": 2}, format="json")
    assert nz.json()["date"] == "2026-11-26"
    assert uk.json()["date"] == "2026-11-25"
    assert ahead.status_code == 200
    assert too_soon.status_code == 400 and "date" in too_soon.json()


def test_the_14_day_window_is_counted_in_local_days(patient_api, patient):
    oldest = days_ago(patient, 14)
    assert patient_api.put(day_url(oldest), {"back_pain": 1, "hip_pain": 1}, format="json").status_code == 201
    too_old = days_ago(patient, 15)
    response = patient_api.put(day_url(too_old), {"back_pain": 1, "hip_pain": 1}, format="json")
    assert response.status_code == 400
    assert "14 days" in response.json()["date"][0]


# --- bad input: a clear 400 and nothing written ----------------------------------------

VALID = {"back_pain": 4, "hip_pain": 5}


def _future(patient):
    return (patient.local_today() + dt.timedelta(days=1)).isoformat()


def _too_old(patient):
    return days_ago(patient, 15).isoformat()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"back_pain": -1}, "back_pain"),
        ({"back_pain": 11}, "back_pain"),
        ({"back_pain": 3.5}, "back_pain"),
        ({"back_pain": "five"}, "back_pain"),
        ({"back_pain": None}, "back_pain"),
        ({"back_pain": True}, "back_pain"),
        ({"hip_pain": -1}, "hip_pain"),
        ({"hip_pain": 11}, "hip_pain"),
        ({"hip_pain": 3.5}, "hip_pain"),
        ({"hip_pain": "five"}, "hip_pain"),
        ({"hip_pain": None}, "hip_pain"),
        ({"sitting_hours": 25}, "sitting_hours"),
        ({"sitting_hours": -1}, "sitting_hours"),
        ({"sitting_hours": 7.3}, "sitting_hours"),
        ({"sitting_hours": "lots"}, "sitting_hours"),
        ({"first_region": "knee"}, "first_region"),
        ({"worse_after_sitting": "sometimes"}, "worse_after_sitting"),
        ({"note": "x" * 2001}, "note"),
        ({"date": "yesterday"}, "date"),
        ({"date": _future}, "date"),
        ({"date": _too_old}, "date"),
    ],
)
def test_bad_values_are_refused_with_the_fields_error(patient_api, patient, change, field):
    payload = {**VALID, **{k: (v(patient) if callable(v) else v) for k, v in change.items()}}
    response = patient_api.post(URL, payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert isinstance(errors[field], list) and errors[field][0]
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("missing", ["back_pain", "hip_pain"])
def test_a_missing_pain_rating_is_refused(patient_api, missing):
    payload = dict(VALID)
    del payload[missing]
    response = patient_api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert "0 (no pain) to 10" in response.json()[missing][0]
    assert not CheckIn.objects.exists()


def test_put_with_bad_values_leaves_the_day_as_it_was(patient_api, patient):
    CheckInFactory(patient=patient, back_pain=4, hip_pain=4)
    response = patient_api.put(
        day_url(patient.local_today()), {"back_pain": 12, "hip_pain": 4}, format="json"
    )
    assert response.status_code == 400
    assert CheckIn.objects.get(patient=patient).back_pain == 4


def test_a_note_of_exactly_2000_characters_is_fine(patient_api):
    assert patient_api.post(URL, {**VALID, "note": "x" * 2000}, format="json").status_code == 201


def test_a_huge_body_is_refused_before_it_is_read(patient_api):
    body = json.dumps({**VALID, "note": "x" * (70 * 1024)})
    response = patient_api.generic("POST", URL, body, content_type="application/json")
    assert response.status_code == 413
    assert not CheckIn.objects.exists()


def test_malformed_json_is_a_400(patient_api):
    response = patient_api.generic(
        "POST", URL, '{"back_pain": 4, "hip_pain":', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert not CheckIn.objects.exists()


def test_a_json_list_instead_of_an_object_is_a_400(patient_api, patient):
    assert patient_api.post(URL, [VALID], format="json").status_code == 400
    assert patient_api.put(day_url(patient.local_today()), [VALID], format="json").status_code == 400
    assert not CheckIn.objects.exists()


def test_the_patient_cannot_be_chosen_in_the_body(patient_api, patient, other_patient):
    response = patient_api.post(URL, {**VALID, "patient": other_patient.pk}, format="json")
    assert response.status_code == 201
    assert CheckIn.objects.get().patient == patient


# --- the database keeps the promises even without the serializer ----------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("back_pain", 11),
        ("hip_pain", 11),
        ("sitting_hours", Decimal("24.5")),
        ("sitting_hours", Decimal("3.2")),
        ("first_region", "knee"),
    ],
)
def test_database_constraints_refuse_out_of_range_rows(patient, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(
            patient=patient, date=patient.local_today(), **{"back_pain": 1, "hip_pain": 1, field: value}
        )


def test_database_allows_one_row_per_patient_per_day(patient):
    CheckInFactory(patient=patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(patient=patient, date=patient.local_today(), back_pain=1, hip_pain=1)


# --- racing requests -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creates_for_one_date_end_as_one_row():
    patient = PatientFactory()
    clients = [client_for(patient), client_for(patient)]
    for _attempt in range(5):
        CheckIn.objects.all().delete()
        responses = race(
            [
                lambda c=c, n=n: c.post(URL, {"back_pain": n, "hip_pain": n}, format="json")
                for n, c in enumerate(clients)
            ]
        )
        assert sorted(r.status_code for r in responses) == [201, 409]
        assert CheckIn.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_puts_for_one_date_end_as_one_row():
    patient = PatientFactory()
    url = day_url(patient.local_today())
    clients = [client_for(patient), client_for(patient)]
    for _attempt in range(5):
        CheckIn.objects.all().delete()
        responses = race(
            [
                lambda c=c, n=n: c.put(url, {"back_pain": n, "hip_pain": n}, format="json")
                for n, c in enumerate(clients)
            ]
        )
        assert sorted(r.status_code for r in responses) == [200, 201]
        assert CheckIn.objects.filter(patient=patient).count() == 1


# --- listing ---------------------------------------------------------------------------


def test_list_is_newest_first_and_paginated(patient_api, patient):
    for n in range(12):
        CheckInFactory(patient=patient, date=days_ago(patient, n))
    body = patient_api.get(URL, {"page_size": 5}).json()
    assert body["count"] == 12
    dates = [row["date"] for row in body["results"]]
    assert dates == [days_ago(patient, n).isoformat() for n in range(5)]
    assert body["next"]


def test_list_filters_from_and_to_inclusive(patient_api, patient):
    for n in range(10):
        CheckInFactory(patient=patient, date=days_ago(patient, n))
    body = patient_api.get(
        URL, {"from": days_ago(patient, 6).isoformat(), "to": days_ago(patient, 4).isoformat()}
    ).json()
    assert [row["date"] for row in body["results"]] == [days_ago(patient, n).isoformat() for n in (4, 5, 6)]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"from": "last week"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"from": "2026-11-10", "to": "2026-11-01"}, "from"),
    ],
)
def test_list_rejects_bad_filters(patient_api, params, field):
    response = patient_api.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_list_query_count_does_not_grow_with_rows(patient_api, patient, django_assert_max_num_queries):
    for n in range(30):
        CheckInFactory(patient=patient, date=days_ago(patient, n))
    with django_assert_max_num_queries(3):  # token + count + page
        response = patient_api.get(URL)
    assert len(response.json()["results"]) == 30


# --- who can see what ------------------------------------------------------------------


def test_each_patient_lists_only_their_own_checkins(patient_api, other_api, patient, other_patient):
    CheckInFactory(patient=patient, back_pain=1)
    CheckInFactory(patient=other_patient, back_pain=9)
    assert [r["back_pain"] for r in patient_api.get(URL).json()["results"]] == [1]
    assert [r["back_pain"] for r in other_api.get(URL).json()["results"]] == [9]


def test_another_patients_day_is_404_and_untouched(patient_api, other_patient):
    theirs = CheckInFactory(patient=other_patient, date=days_ago(other_patient, 2), back_pain=9)
    url = day_url(theirs.date)
    assert patient_api.get(url).status_code == 404
    assert patient_api.patch(url, {"back_pain": 0}, format="json").status_code == 404
    assert patient_api.delete(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.back_pain == 9


def test_without_credentials_every_checkin_endpoint_is_refused(anon_api, patient):
    CheckInFactory(patient=patient)
    url = day_url(patient.local_today())
    calls = [
        anon_api.get(URL),
        anon_api.post(URL, VALID, format="json"),
        anon_api.get(url),
        anon_api.put(url, VALID, format="json"),
        anon_api.patch(url, VALID, format="json"),
        anon_api.delete(url),
    ]
    assert [c.status_code for c in calls] == [401] * 6
    assert CheckIn.objects.count() == 1


def test_clinicians_do_not_keep_a_checkin_record(clinician_api):
    assert clinician_api.get(URL).status_code == 403
    assert clinician_api.post(URL, VALID, format="json").status_code == 403
    assert not CheckIn.objects.exists()


def test_a_checkin_post_is_the_token_lookup_and_one_insert(patient_api, django_assert_max_num_queries):
    # token join user, then the INSERT inside its savepoint (SAVEPOINT, INSERT, RELEASE)
    with django_assert_max_num_queries(4):
        assert patient_api.post(URL, VALID, format="json").status_code == 201


def test_checkin_serializers_never_share_their_bound_fields(patient):
    from checkins.api.serializers import CheckInSerializer

    first = CheckInSerializer(data={"back_pain": 11, "hip_pain": 2}, context={"patient": patient})
    second = CheckInSerializer(data={"back_pain": 3, "hip_pain": 2}, context={"patient": patient})
    assert not first.is_valid() and second.is_valid()
    assert first.fields["back_pain"] is not second.fields["back_pain"]
    assert first.fields["back_pain"].parent is first and second.fields["back_pain"].parent is second
    assert CheckInSerializer._declared_fields["back_pain"].parent is None


def test_a_checkins_url_is_its_detail_route(patient_api, patient):
    from django.urls import reverse

    body = patient_api.post(URL, VALID, format="json").json()
    assert body["url"] == reverse("api:checkin-detail", kwargs={"day": patient.local_today()})


def test_null_for_an_optional_text_answer_means_not_answered(patient_api, patient):
    body = {"back_pain": 3, "hip_pain": 4, "first_region": None, "note": None}
    response = patient_api.post(URL, body, format="json")
    assert response.status_code == 201
    assert (response.json()["first_region"], response.json()["note"]) == ("", "")
