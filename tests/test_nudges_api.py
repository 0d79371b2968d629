"""GET/PUT /api/v1/me/reminders/ and /api/v1/me/notifications/: the contract, bad input, and privacy."""

import datetime as dt

import pytest
from django.core.management import call_command

from nudges.models import Kind, Nudge, NudgePreferences, Status
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/reminders/"
DEFAULTS = {
    "kinds": ["checkin_reminder", "stretch_nudge", "reengagement"],
    "channels": ["email", "in_app"],
    "reminder_time": "19:00",
    "timezone": "Europe/London",
    "quiet_hours_start": "21:30",
    "quiet_hours_end": "08:00",
}
CHANGED = {
    "kinds": ["checkin_reminder"],
    "channels": ["in_app"],
    "reminder_time": "07:45",
    "timezone": "Asia/Kolkata",
    "quiet_hours_start": "22:00",
    "quiet_hours_end": "07:00",
}


def test_a_patient_without_saved_settings_sees_the_defaults(patient_api):
    response = patient_api.get(URL)
    assert response.status_code == 200
    assert response.json() == DEFAULTS


def test_put_replaces_the_settings(patient_api, patient):
    response = patient_api.put(URL, CHANGED, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == CHANGED
    assert patient_api.get(URL).json() == CHANGED
    saved = NudgePreferences.objects.get(user=patient)
    assert (saved.checkin_reminder, saved.stretch_nudge, saved.reengagement) == (True, False, False)
    assert (saved.email, saved.in_app, saved.reminder_time) == (False, True, dt.time(7, 45))


def test_a_reminder_zone_equal_to_the_profiles_follows_the_profile(patient_api, patient):
    patient_api.put(URL, {**DEFAULTS, "timezone": "Europe/London"}, format="json")
    assert NudgePreferences.objects.get(user=patient).timezone is None
    patient.timezone = "Europe/Madrid"
    patient.save()
    assert patient_api.get(URL).json()["timezone"] == "Europe/Madrid"


def test_everything_off_is_allowed(patient_api):
    response = patient_api.put(URL, {**DEFAULTS, "kinds": [], "channels": []}, format="json")
    assert response.status_code == 200
    assert response.json()["kinds"] == [] and response.json()["channels"] == []


@pytest.mark.parametrize(
    "change, field",
    [
        ({"reminder_time": "25:00"}, "reminder_time"),
        ({"reminder_time": "seven"}, "reminder_time"),
        ({"reminder_time": "19:60"}, "reminder_time"),
        ({"reminder_time": None}, "reminder_time"),
        ({"quiet_hours_start": "24:30"}, "quiet_hours_start"),
        ({"quiet_hours_end": "8am"}, "quiet_hours_end"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "localtime"}, "timezone"),
        ({"kinds": ["checkin_reminder", "horoscope"]}, "kinds"),
        ({"kinds": ["clinician_digest"]}, "kinds"),  # a clinician's kind, not a patient's
        ({"kinds": "checkin_reminder"}, "kinds"),  # a string, not a list
        ({"channels": ["sms"]}, "channels"),
        ({"channels": {"email": True}}, "channels"),
        ({"remind_at": "19:00"}, "remind_at"),  # an unknown field
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(patient_api, patient, change, field):
    patient_api.put(URL, CHANGED, format="json")
    response = patient_api.put(URL, {**DEFAULTS, **change}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert patient_api.get(URL).json() == CHANGED


def test_a_missing_field_or_a_body_of_the_wrong_shape_is_a_400(patient_api, patient):
    partial = {k: v for k, v in DEFAULTS.items() if k != "channels"}
    response = patient_api.put(URL, partial, format="json")
    assert response.status_code == 400 and list(response.json()) == ["channels"]
    response = patient_api.put(URL, [DEFAULTS], format="json")
    assert response.status_code == 400 and list(response.json()) == ["non_field_errors"]
    assert not NudgePreferences.objects.filter(user=patient).exists()


def test_a_clinician_has_their_own_two_kinds_and_a_morning_digest_time(clinician_api):
    body = clinician_api.get(URL).json()
    assert body["kinds"] == ["clinician_digest", "red_flag_alert"]
    assert body["reminder_time"] == "08:00"
    wrong = clinician_api.put(URL, {**DEFAULTS, "kinds": ["checkin_reminder"]}, format="json")
    assert wrong.status_code == 400 and list(wrong.json()) == ["kinds"]
    changed = clinician_api.put(
        URL, {**DEFAULTS, "kinds": ["red_flag_alert"], "reminder_time": "08:30"}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["kinds"] == ["red_flag_alert"] and changed.json()["reminder_time"] == "08:30"


def test_patients_cannot_turn_on_clinician_kinds(patient_api):
    response = patient_api.put(URL, {**DEFAULTS, "kinds": ["clinician_digest"]}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["kinds"]


def test_staff_and_anonymous_have_no_reminder_settings(anon_api):
    staff = UserFactory(role="staff", is_staff=True)
    assert client_for(staff).get(URL).status_code == 403
    assert anon_api.get(URL).status_code == 401


# --- notifications --------------------------------------------------------------------------------

NOTIFICATIONS = "/api/v1/me/notifications/"


def nudge(recipient, kind=Kind.CHECKIN_REMINDER, day=dt.date(2026, 6, 10), in_app=True, email=True):
    return Nudge.objects.create(
        recipient=recipient,
        kind=kind,
        local_date=day,
        in_app=in_app,
        email=email,
        status=Status.PENDING if email else Status.IN_APP_ONLY,
    )


def test_notifications_are_the_in_app_nudges_newest_first(patient_api, patient):
    older = nudge(patient, day=dt.date(2026, 6, 9))
    newer = nudge(patient, Kind.STRETCH_NUDGE)
    nudge(patient, Kind.REENGAGEMENT, in_app=False)  # email only: no notice
    response = patient_api.get(NOTIFICATIONS)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [str(newer.pk), str(older.pk)]
    assert results[0] == {
        "id": str(newer.pk),
        "kind": "stretch_nudge",
        "title": "A gentle stretch today?",
        "text": results[0]["text"],
        "url": "/stretches/",
        "local_date": "2026-06-10",
        "created_at": results[0]["created_at"],
        "read": False,
        "read_at": None,
    }


def test_mark_one_read_and_unread_then_all_read(patient_api, patient):
    first, second = nudge(patient, day=dt.date(2026, 6, 9)), nudge(patient)
    response = patient_api.patch(f"{NOTIFICATIONS}{first.pk}/", {"read": True}, format="json")
    assert response.status_code == 200 and response.json()["read"] is True
    assert (
        patient_api.patch(f"{NOTIFICATIONS}{first.pk}/", {"read": False}, format="json").json()["read"]
        is False
    )
    assert (
        patient_api.patch(f"{NOTIFICATIONS}{first.pk}/", {"read": "maybe"}, format="json").status_code == 400
    )
    response = patient_api.post(f"{NOTIFICATIONS}read-all/")
    assert response.status_code == 200 and response.json() == {"marked_read": 2}
    assert all(n.read_at for n in Nudge.objects.filter(pk__in=[first.pk, second.pk]))
    assert patient_api.post(f"{NOTIFICATIONS}read-all/").json() == {"marked_read": 0}


def test_another_patients_notifications_are_never_visible(patient_api, other_api, patient, other_patient):
    theirs = nudge(other_patient)
    mine = nudge(patient)
    assert [r["id"] for r in patient_api.get(NOTIFICATIONS).json()["results"]] == [str(mine.pk)]
    assert patient_api.get(f"{NOTIFICATIONS}{theirs.pk}/").status_code == 404
    assert patient_api.patch(f"{NOTIFICATIONS}{theirs.pk}/", {"read": True}, format="json").status_code == 404
    patient_api.post(f"{NOTIFICATIONS}read-all/")
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert [r["id"] for r in other_api.get(NOTIFICATIONS).json()["results"]] == [str(theirs.pk)]


def test_notifications_are_for_patients_and_clinicians(clinician, clinician_api, anon_api, patient):
    nudge(patient)
    nudge(clinician, kind=Kind.CLINICIAN_DIGEST)
    mine = clinician_api.get(NOTIFICATIONS).json()["results"]
    assert [n["kind"] for n in mine] == ["clinician_digest"] and mine[0]["url"] == "/clinic/"
    assert client_for(UserFactory(role="staff", is_staff=True)).get(NOTIFICATIONS).status_code == 403
    assert anon_api.get(NOTIFICATIONS).status_code == 401


def test_the_query_count_of_the_notification_list_does_not_grow(patient, django_assert_max_num_queries):
    for day in range(1, 21):
        nudge(patient, day=dt.date(2026, 6, day))
    api = client_for(patient)
    with django_assert_max_num_queries(4):
        assert len(api.get(NOTIFICATIONS).json()["results"]) == 20


def test_the_schema_documents_reminders_and_notifications(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in [URL, NOTIFICATIONS, f"{NOTIFICATIONS}{{id}}/", f"{NOTIFICATIONS}read-all/"]:
        assert f"{path}:" in text, path
    assert "quiet_hours_start" in text and "marked_read" in text


def test_patch_changes_only_the_fields_given(patient_api):
    response = patient_api.patch(URL, {"reminder_time": "07:15"}, format="json")
    assert response.status_code == 200
    # Inside the quiet hours: kept as asked (the settings page says nothing will arrive then).
    assert response.json() == {**DEFAULTS, "reminder_time": "07:15"}
    assert patient_api.patch(URL, {"reminder_time": "seven"}, format="json").status_code == 400
    assert patient_api.patch(URL, ["x"], format="json").status_code == 400
    assert patient_api.get(URL).json()["reminder_time"] == "07:15"
