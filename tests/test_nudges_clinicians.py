"""A clinician's nudges: the morning digest of flagged patients and the prompt red-flag alert."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail

from careteam import actions as careteam_actions
from careteam.models import AccessLogEntry, Read
from nudges import delivery, dispatch
from nudges.emails import DIGEST_NAMES
from nudges.models import Kind, Nudge, NudgePreferences, Status
from screening import actions as screening_actions
from tests.careteam_helpers import link
from tests.factories import CheckInFactory, ClinicianFactory, PatientFactory
from tests.nudge_factories import at, due, record
from tests.screening_answers import answers
from tests.security_helpers import sign_in

pytestmark = pytest.mark.django_db

DIGEST = str(Kind.CLINICIAN_DIGEST)
ALERT = str(Kind.RED_FLAG_ALERT)
JUNE_10 = dt.date(2026, 6, 10)


@pytest.fixture
def doctor():
    return ClinicianFactory(username="dr.rhys", display_name="Dr Rhys", timezone="Europe/London")


def patient_with_weeks(clinician, name, before, now, zone="Europe/London"):
    """A linked patient whose back ran at ``before`` the week before and ``now`` this week."""
    patient = PatientFactory(display_name=name, timezone=zone)
    link(clinician, patient)
    today = JUNE_10
    for n in range(13, -1, -1):
        CheckInFactory(
            patient=patient, date=today - dt.timedelta(days=n), back_pain=before if n >= 7 else now
        )
    return patient


MORNING_BEFORE = at("Europe/London", 2026, 6, 10, 6, 0)


def linked_at(clinician, patient, when=MORNING_BEFORE):
    """Link them as of ``when`` (an alert is only for screenings taken while linked)."""
    with time_machine.travel(when, tick=False):
        return link(clinician, patient)


def alerts(nudges):
    return [n for n in nudges if n.kind == ALERT]


def sent_mail_for(nudges):
    """Send ``nudges`` through the real delivery code (locmem backend); the messages sent."""
    mail.outbox.clear()
    delivery.send_nudges([str(n.pk) for n in nudges if n.status == Status.PENDING])
    return list(mail.outbox)


# --- the morning digest ------------------------------------------------------------------------------


def test_the_digest_comes_at_eight_local_time_when_a_patient_is_flagged(doctor):
    with time_machine.travel(at("Europe/London", 2026, 6, 10, 7, 0), tick=False):
        patient_with_weeks(doctor, "Worse", 3, 6)
        assert due(at("Europe/London", 2026, 6, 10, 7, 59)) == set()
        assert due(at("Europe/London", 2026, 6, 10, 8, 0)) == {("dr.rhys", DIGEST, JUNE_10)}


def test_no_digest_without_a_flagged_patient(doctor):
    with time_machine.travel(at("Europe/London", 2026, 6, 10, 7, 0), tick=False):
        patient_with_weeks(doctor, "Steady", 4, 4)
        assert due(at("Europe/London", 2026, 6, 10, 8, 30)) == set()


def test_one_digest_a_local_day_however_many_passes(doctor):
    with time_machine.travel(at("Europe/London", 2026, 6, 10, 7, 0), tick=False):
        patient_with_weeks(doctor, "Worse", 3, 6)
    for minute in (0, 1, 30):
        record(at("Europe/London", 2026, 6, 10, 8, minute))
    assert Nudge.objects.filter(kind=DIGEST).count() == 1


def test_the_digest_lists_only_that_clinicians_flagged_patients_by_name_and_flag_words(doctor, settings):
    settings.VIDA_BASE_URL = "https://vida.example.org"
    other = ClinicianFactory(display_name="Dr Other")
    morning = at("Europe/London", 2026, 6, 10, 8, 5)
    with time_machine.travel(morning, tick=False):
        worse = patient_with_weeks(doctor, "Maya", 3, 6)
        patient_with_weeks(doctor, "Steady Sam", 4, 4)
        patient_with_weeks(other, "Not Yours", 2, 9)
        flagged = patient_with_weeks(doctor, "Aled", 5, 5)
        screening_actions.record_screening(flagged, "hip-pattern-v1", answers(trauma=True))
        nudges = record(morning)
        messages = sent_mail_for([n for n in nudges if n.recipient == doctor and n.kind == DIGEST])
    assert len(messages) == 1
    message = messages[0]
    text, html = message.body, message.alternatives[0].content
    assert message.to == [doctor.email]
    assert text.index("Aled: red flag") < text.index("Maya: worsening")
    assert "Steady Sam" not in text and "Not Yours" not in text
    assert f"https://vida.example.org/clinic/patients/{worse.public_id}/" in text
    assert "Maya" in html and "Not Yours" not in html
    assert not re.search(r"\d", re.sub(r"https?://\S+", "", text).replace("Hi Dr Rhys", "")), text
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_digest_is_in_each_named_patients_access_log_and_leaves_out_an_unlinked_one(doctor):
    morning = at("Europe/London", 2026, 6, 10, 8, 5)
    with time_machine.travel(morning, tick=False):
        maya = patient_with_weeks(doctor, "Maya", 3, 6)
        gone = patient_with_weeks(doctor, "Gone Gwen", 3, 7)
        careteam_actions.unlink(gone, doctor.public_id)
        nudges = record(morning)
        (message,) = sent_mail_for([n for n in nudges if n.recipient == doctor and n.kind == DIGEST])
    assert "Maya" in message.body and "Gone Gwen" not in message.body
    assert message.subject.endswith(": 1 with a flag")
    logged = AccessLogEntry.objects.filter(clinician=doctor, what=Read.DIGEST)
    assert list(logged.values_list("patient", flat=True)) == [maya.pk]


def test_a_long_digest_counts_every_flagged_patient_and_says_how_many_more(doctor):
    morning = at("Europe/London", 2026, 6, 10, 8, 5)
    flagged = DIGEST_NAMES + 2
    with time_machine.travel(morning, tick=False):
        for n in range(flagged):
            patient_with_weeks(doctor, f"Patient {n}", 3, 6)
        nudges = record(morning)
        (message,) = sent_mail_for([n for n in nudges if n.recipient == doctor and n.kind == DIGEST])
    assert message.subject.endswith(f": {flagged} with a flag")
    assert "and 2 more on the clinic list" in message.body
    assert "and 2 more on the clinic list" in message.alternatives[0].content


def test_a_clinician_who_turned_the_digest_off_gets_none(doctor):
    NudgePreferences.objects.create(user=doctor, clinician_digest=False, reminder_time=dt.time(8))
    with time_machine.travel(at("Europe/London", 2026, 6, 10, 7, 0), tick=False):
        patient_with_weeks(doctor, "Worse", 3, 6)
        assert due(at("Europe/London", 2026, 6, 10, 9, 0)) == set()


# --- the red-flag alert --------------------------------------------------------------------------------


def test_each_linked_clinician_is_alerted_once_per_red_flag_screening_at_once(doctor):
    colleague = ClinicianFactory(username="dr.tan", timezone="Asia/Singapore")
    bystander = ClinicianFactory(username="dr.far")
    patient = PatientFactory(display_name="Noor")
    linked_at(doctor, patient)
    linked_at(colleague, patient)
    afternoon = at("Europe/London", 2026, 6, 10, 14, 0)  # 21:00 in Singapore, outside its quiet hours
    with time_machine.travel(afternoon - dt.timedelta(minutes=5), tick=False):
        response = screening_actions.record_screening(patient, "hip-pattern-v1", answers(bladder_bowel=True))
    rows = alerts(record(afternoon))
    assert {(n.recipient.username, n.kind, n.reference) for n in rows} == {
        ("dr.rhys", ALERT, response.pk),
        ("dr.tan", ALERT, response.pk),
    }
    assert alerts(record(afternoon + dt.timedelta(minutes=1))) == []
    assert not Nudge.objects.filter(recipient=bystander).exists()


def test_a_new_red_flag_screening_alerts_again_and_a_clear_one_does_not(doctor):
    patient = PatientFactory()
    linked_at(doctor, patient)
    noon = at("Europe/London", 2026, 6, 10, 12, 0)
    with time_machine.travel(noon - dt.timedelta(hours=1), tick=False):
        screening_actions.record_screening(patient, "hip-pattern-v1", answers(night_pain=True))
    assert len(alerts(record(noon))) == 1
    with time_machine.travel(noon + dt.timedelta(hours=1), tick=False):
        screening_actions.record_screening(patient, "hip-pattern-v1", answers())
    assert alerts(record(noon + dt.timedelta(hours=2))) == []
    with time_machine.travel(noon + dt.timedelta(hours=3), tick=False):
        screening_actions.record_screening(patient, "hip-pattern-v1", answers(weight_loss=True))
    assert len(alerts(record(noon + dt.timedelta(hours=4)))) == 1


def test_an_alert_in_quiet_hours_is_on_the_clinic_page_at_once_and_emailed_when_they_end(doctor):
    patient = PatientFactory()
    linked_at(doctor, patient)
    night = at("Europe/London", 2026, 6, 10, 23, 0)
    with time_machine.travel(night, tick=False):
        screening_actions.record_screening(patient, "hip-pattern-v1", answers(leg_weakness=True))
    (alert,) = alerts(record(night + dt.timedelta(minutes=5)))
    assert (alert.in_app, alert.local_date) == (True, JUNE_10)
    with time_machine.travel(night + dt.timedelta(minutes=6), tick=False):
        assert sent_mail_for([alert]) == []
    alert.refresh_from_db()
    assert alert.status == Status.PENDING and alert.attempts == 0  # back in the outbox, not spent
    with time_machine.travel(at("Europe/London", 2026, 6, 11, 8, 0), tick=False):
        assert len(sent_mail_for([alert])) == 1
    alert.refresh_from_db()
    assert alert.status == Status.SENT


@pytest.mark.parametrize("settled_by", ["unlinking", "a review"])
def test_a_held_alert_is_not_emailed_once_the_patient_unlinks_or_the_flag_is_reviewed(
    doctor, client, settled_by
):
    patient = PatientFactory(display_name="Noor")
    linked_at(doctor, patient)
    night = at("Europe/London", 2026, 6, 10, 23, 0)
    with time_machine.travel(night, tick=False):
        response = screening_actions.record_screening(patient, "hip-pattern-v1", answers(leg_weakness=True))
    (alert,) = alerts(record(night + dt.timedelta(minutes=5)))
    if settled_by == "unlinking":
        careteam_actions.unlink(patient, doctor.public_id)
    else:
        screening_actions.mark_reviewed(response, doctor)
    with time_machine.travel(at("Europe/London", 2026, 6, 11, 8, 0), tick=False):
        assert sent_mail_for([alert]) == []
        notices = sign_in(client, doctor).get("/api/v1/me/notifications/").json()["results"]
    alert.refresh_from_db()
    assert alert.status == Status.EXPIRED
    if settled_by == "unlinking":
        (notice,) = notices
        assert "Noor" not in notice["text"] and str(patient.public_id) not in notice["url"]
        assert notice["text"].startswith("A patient's latest screening")


def test_no_alert_for_a_red_flag_raised_before_the_link_or_already_reviewed(doctor):
    earlier = PatientFactory()
    noon = at("Europe/London", 2026, 6, 10, 12, 0)
    with time_machine.travel(noon - dt.timedelta(hours=2), tick=False):
        screening_actions.record_screening(earlier, "hip-pattern-v1", answers(fever_unwell=True))
    with time_machine.travel(noon - dt.timedelta(hours=1), tick=False):
        link(doctor, earlier)
        reviewed = PatientFactory()
        link(doctor, reviewed)
        response = screening_actions.record_screening(reviewed, "hip-pattern-v1", answers(trauma=True))
        screening_actions.mark_reviewed(response, ClinicianFactory())
    assert alerts(record(noon)) == []


def test_the_alert_names_the_patient_links_their_record_and_holds_no_answer(doctor, settings):
    settings.VIDA_BASE_URL = "https://vida.example.org"
    patient = PatientFactory(display_name="Noor")
    linked_at(doctor, patient)
    noon = at("Europe/London", 2026, 6, 10, 12, 0)
    with time_machine.travel(noon - dt.timedelta(minutes=10), tick=False):
        screening_actions.record_screening(patient, "hip-pattern-v1", answers(saddle_numbness=True))
    with time_machine.travel(noon, tick=False):
        (alert,) = alerts(record(noon))
        (message,) = sent_mail_for([alert])
    assert "Noor's latest screening raised a red flag" in message.body
    assert f"https://vida.example.org/clinic/patients/{patient.public_id}/" in message.body
    assert "saddle" not in message.body.lower() and "numb" not in message.body.lower()


def test_an_alert_recorded_before_midnight_is_still_sent_after_it(doctor):
    patient = PatientFactory()
    linked_at(doctor, patient)
    NudgePreferences.objects.create(
        user=doctor, reminder_time=dt.time(8), quiet_hours_start=dt.time(3), quiet_hours_end=dt.time(4)
    )
    late = at("Europe/London", 2026, 6, 10, 23, 58)
    with time_machine.travel(late - dt.timedelta(minutes=1), tick=False):
        screening_actions.record_screening(patient, "hip-pattern-v1", answers(trauma=True))
    (alert,) = alerts(record(late))
    with time_machine.travel(late + dt.timedelta(minutes=5), tick=False):
        assert len(sent_mail_for([alert])) == 1
    alert.refresh_from_db()
    assert alert.status == Status.SENT


def test_alerts_and_digests_show_on_the_clinic_page(doctor, client):
    patient = PatientFactory(display_name="Noor")
    linked_at(doctor, patient)
    with time_machine.travel(at("Europe/London", 2026, 6, 10, 11, 0), tick=False):
        screening_actions.record_screening(patient, "hip-pattern-v1", answers(trauma=True))
    with time_machine.travel(at("Europe/London", 2026, 6, 10, 12, 0), tick=False):
        dispatch.record_due_nudges(at("Europe/London", 2026, 6, 10, 12, 0))
        page = sign_in(client, doctor).get("/clinic/").content.decode()
    assert "Noor&#x27;s latest screening raised a red flag" in page
    assert f'href="/clinic/patients/{patient.public_id}/"' in page
