"""The reminders section of /settings/, its form endpoint, and the notices on /today/."""

import datetime as dt
import re

import pytest

from nudges.models import Kind, Nudge, NudgePreferences, Status
from tests.factories import CheckInFactory
from tests.security_helpers import sign_in

pytestmark = pytest.mark.django_db

FORM = {
    "kinds": ["checkin_reminder", "reengagement"],
    "channels": ["email"],
    "reminder_time": "08:30",
    "timezone": "Europe/Lisbon",
    "quiet_hours_start": "22:00",
    "quiet_hours_end": "07:00",
}


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


def test_settings_has_a_reminders_section_whose_inputs_are_named_as_the_api_fields(patient_client):
    page = patient_client.get("/settings/").content.decode()
    section = page[page.index('id="reminders"') :]
    for name in FORM:
        assert f'name="{name}"' in section, name
    for input_id, label in [
        ("reminder_time", "Reminder time"),
        ("reminders-timezone-select", "Time zone for reminders"),
        ("quiet_hours_start", "Quiet from"),
        ("quiet_hours_end", "Quiet until"),
    ]:
        assert f'<label for="{input_id}">{label}</label>' in section
    assert 'value="19:00"' in section and 'value="21:30"' in section and 'value="08:00"' in section
    assert re.search(r'value="checkin_reminder"[^>]* checked', section)
    assert 'action="/settings/reminders/"' in section


def test_saving_the_form_saves_the_settings_and_returns_to_settings(patient_client, patient):
    response = patient_client.post("/settings/reminders/", FORM)
    assert (response.status_code, response["Location"]) == (302, "/settings/#reminders")
    saved = NudgePreferences.objects.get(user=patient)
    assert (saved.checkin_reminder, saved.stretch_nudge, saved.reengagement) == (True, False, True)
    assert (saved.email, saved.in_app, saved.reminder_time, saved.timezone) == (
        True,
        False,
        dt.time(8, 30),
        "Europe/Lisbon",
    )
    page = patient_client.get("/settings/").content.decode()
    assert "Reminder settings saved." in page and 'value="08:30"' in page


def test_unticking_every_box_turns_everything_off(patient_client, patient):
    form = {k: v for k, v in FORM.items() if k not in ("kinds", "channels")}
    assert patient_client.post("/settings/reminders/", form).status_code == 302
    saved = NudgePreferences.objects.get(user=patient)
    assert not any(
        [saved.checkin_reminder, saved.stretch_nudge, saved.reengagement, saved.email, saved.in_app]
    )


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"reminder_time": "25:00"}, "reminder_time", "Use a 24-hour time"),
        ({"quiet_hours_start": "24:30"}, "quiet_hours_start", "Use a 24-hour time"),
        ({"timezone": "Atlantis/Capital"}, "timezone", "not a known time zone"),
        ({"kinds": ["horoscope"]}, "kinds", "is not a kind of reminder"),
    ],
)
def test_a_mistake_shows_the_form_again_with_the_error_and_saves_nothing(
    patient_client, patient, change, field, message
):
    response = patient_client.post("/settings/reminders/", {**FORM, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="{field}-error"' in page
    assert 'value="email" checked' in page and 'value="in_app" checked' not in page  # what was sent is kept
    assert not NudgePreferences.objects.filter(user=patient).exists()


def test_clinicians_choose_their_digest_and_alerts(client, clinician):
    sign_in(client, clinician)
    page = client.get("/settings/").content.decode()
    assert 'id="reminders"' in page and "Digest time" in page
    assert 'value="clinician_digest"' in page and 'value="red_flag_alert"' in page
    assert 'value="checkin_reminder"' not in page
    assert client.post("/settings/reminders/", FORM).status_code == 400  # a patient's kinds
    saved = client.post("/settings/reminders/", {**FORM, "kinds": ["red_flag_alert"]})
    assert saved.status_code == 302
    assert NudgePreferences.objects.get(user=clinician).clinician_digest is False


# --- notices on /today/ -----------------------------------------------------------------------------


def notice(patient, kind, day=None, **fields):
    return Nudge.objects.create(
        recipient=patient,
        kind=kind,
        local_date=day or patient.local_today(),
        email=False,
        in_app=True,
        status=Status.IN_APP_ONLY,
        **fields,
    )


def test_today_shows_unread_notices_and_dismissing_one_hides_it(patient_client, patient):
    stretch = notice(patient, Kind.STRETCH_NUDGE)
    reminder = notice(patient, Kind.CHECKIN_REMINDER)
    page = patient_client.get("/today/").content.decode()
    assert "A gentle stretch today?" in page and "Time for today&#x27;s check-in" in page
    assert 'href="/stretches/">Choose a stretch</a>' in page
    response = patient_client.post(f"/notices/{stretch.pk}/read/")
    assert (response.status_code, response["Location"]) == (302, "/today/")
    page = patient_client.get("/today/").content.decode()
    assert "A gentle stretch today?" not in page and f"/notices/{reminder.pk}/read/" in page


def test_a_checkin_reminder_notice_goes_once_the_day_is_checked_in(patient_client, patient):
    notice(patient, Kind.CHECKIN_REMINDER)
    CheckInFactory(patient=patient)
    assert "Time for today&#x27;s check-in" not in patient_client.get("/today/").content.decode()


def test_another_patients_notice_cannot_be_dismissed(patient_client, other_patient):
    theirs = notice(other_patient, Kind.STRETCH_NUDGE)
    assert patient_client.post(f"/notices/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
