"""Who is due which nudge, decided in SQL: reminder time, quiet hours, time zones, daylight saving, back-off."""

import datetime as dt

import pytest

from accounts.models import User
from nudges import dispatch, rules
from nudges.models import Kind, Nudge, NudgePreferences, Status, in_quiet_hours
from screening import actions as screening_actions
from tests.factories import CheckInFactory
from tests.nudge_factories import at, due, outbox, patient_in, record
from tests.screening_answers import answers
from tests.stretch_factories import StretchSessionFactory

pytestmark = pytest.mark.django_db

REMINDER = str(Kind.CHECKIN_REMINDER)
STRETCH = str(Kind.STRETCH_NUDGE)
REENGAGE = str(Kind.REENGAGEMENT)
JUNE_10 = dt.date(2026, 6, 10)


def joined_long_ago():
    return at("UTC", 2026, 1, 1, 12, 0)


def checked_in(patient, day):
    return CheckInFactory(patient=patient, date=day)


# --- the daily check-in reminder ------------------------------------------------------------------


def test_reminder_is_due_at_the_reminder_time_and_not_a_minute_before():
    patient = patient_in("Europe/London")
    checked_in(patient, JUNE_10 - dt.timedelta(days=1))
    assert due(at("Europe/London", 2026, 6, 10, 18, 59)) == set()
    assert due(at("Europe/London", 2026, 6, 10, 19, 0)) == {(patient.username, REMINDER, JUNE_10)}


def test_a_patient_who_checked_in_today_is_not_reminded():
    patient = patient_in("Europe/London")
    checked_in(patient, JUNE_10)
    assert due(at("Europe/London", 2026, 6, 10, 19, 30)) == set()


def test_a_late_pass_still_finds_the_days_reminder_until_quiet_hours():
    patient = patient_in("Europe/London", reminder_time=dt.time(18, 0))
    expected = {(patient.username, REMINDER, JUNE_10)}
    assert due(at("Europe/London", 2026, 6, 10, 21, 29)) == expected  # the scheduler was down since 18:00
    assert due(at("Europe/London", 2026, 6, 10, 21, 30)) == set()  # quiet hours 21:30-08:00
    assert due(at("Europe/London", 2026, 6, 11, 7, 59)) == set()  # still quiet, and a new day
    assert due(at("Europe/London", 2026, 6, 11, 8, 0)) == set()  # the new day's time has not come


def test_quiet_hours_within_one_day_and_none_at_all():
    daytime = patient_in(
        "Europe/Paris",
        reminder_time=dt.time(9, 0),
        quiet_hours_start=dt.time(12, 0),
        quiet_hours_end=dt.time(14, 0),
    )
    never = patient_in(
        "Europe/Paris",
        reminder_time=dt.time(9, 0),
        quiet_hours_start=dt.time(0, 0),
        quiet_hours_end=dt.time(0, 0),
    )
    assert {u for u, *_ in due(at("Europe/Paris", 2026, 6, 10, 12, 30))} == {never.username}
    assert {u for u, *_ in due(at("Europe/Paris", 2026, 6, 10, 23, 45))} == {daytime.username, never.username}


@pytest.mark.parametrize(
    "window",
    [(dt.time(21, 30), dt.time(8, 0)), (dt.time(12, 0), dt.time(14, 0)), (dt.time(6, 0), dt.time(6, 0))],
)
def test_quiet_hours_in_sql_agree_with_python(window):
    start, end = window
    patient = patient_in("UTC", reminder_time=dt.time(0, 0), quiet_hours_start=start, quiet_hours_end=end)
    for hour, minute in [
        (0, 0),
        (5, 59),
        (6, 0),
        (7, 59),
        (8, 0),
        (11, 59),
        (12, 0),
        (13, 59),
        (14, 0),
        (21, 29),
        (21, 30),
        (23, 59),
    ]:
        now = at("UTC", 2026, 6, 10, hour, minute)
        in_sql = patient.username not in {u for u, *_ in due(now)}
        assert in_sql == in_quiet_hours(dt.time(hour, minute), start, end), now


def test_a_patient_who_turned_the_kind_off_or_has_nowhere_to_receive_it_is_not_nudged():
    patient_in("Europe/London", checkin_reminder=False)
    patient_in("Europe/London", email=False, in_app=False)
    no_address = patient_in("Europe/London", in_app=False)
    User.objects.filter(pk=no_address.pk).update(email="")
    inactive = patient_in("Europe/London")
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    assert due(at("Europe/London", 2026, 6, 10, 19, 0)) == set()


def test_clinicians_get_no_patient_nudges(clinician):
    assert due(at("UTC", 2026, 6, 10, 20, 0)) == set()


def test_in_app_only_nudges_are_recorded_without_an_email_to_send():
    patient_in("Europe/London", email=False)
    [nudge] = record(at("Europe/London", 2026, 6, 10, 19, 0))
    assert (nudge.kind, nudge.email, nudge.in_app, nudge.status) == (
        REMINDER,
        False,
        True,
        Status.IN_APP_ONLY,
    )


def test_one_nudge_per_kind_per_local_day_however_many_passes():
    patient = patient_in("Europe/London")
    assert len(record(at("Europe/London", 2026, 6, 10, 19, 0))) == 1
    assert record(at("Europe/London", 2026, 6, 10, 19, 1)) == []
    assert record(at("Europe/London", 2026, 6, 10, 21, 0)) == []
    assert outbox() == {(patient.username, REMINDER, JUNE_10)}
    # Even a pass that skips the "already nudged" test is stopped by the database.
    nudge = Nudge.objects.get()
    duplicate = rules.DueNudge(patient.pk, Kind.CHECKIN_REMINDER, JUNE_10, True, True)
    dispatch.rules.due_nudges, original = (lambda now: [duplicate]), dispatch.rules.due_nudges
    try:
        assert dispatch.record_due_nudges(at("Europe/London", 2026, 6, 10, 19, 0)) == 0
    finally:
        dispatch.rules.due_nudges = original
    assert list(Nudge.objects.all()) == [nudge]


# --- time zones and daylight saving ---------------------------------------------------------------


def test_time_zones_either_side_of_utc_each_get_their_own_local_day():
    auckland = patient_in("Pacific/Auckland")  # UTC+12 in June
    los_angeles = patient_in("America/Los_Angeles")  # UTC-7 in June
    # 07:00 UTC on 10 June: 19:00 on the 10th in Auckland, midnight in Los Angeles.
    assert due(at("UTC", 2026, 6, 10, 7, 0)) == {(auckland.username, REMINDER, JUNE_10)}
    # 02:00 UTC on 11 June: 19:00 on the 10th in Los Angeles, 14:00 on the 11th in Auckland.
    assert due(at("UTC", 2026, 6, 11, 2, 0)) == {(los_angeles.username, REMINDER, JUNE_10)}
    # Los Angeles' check-in for its 10 June (already the 11th in UTC) counts as that day's.
    checked_in(los_angeles, JUNE_10)
    assert due(at("UTC", 2026, 6, 11, 2, 0)) == set()


def test_reminder_time_follows_the_clock_on_the_days_daylight_saving_starts_and_ends():
    patient = patient_in("America/New_York")
    # 8 March 2026, clocks go forward: 19:00 EDT is 23:00 UTC (the day before, 19:00 EST was 00:00 UTC).
    assert due(at("UTC", 2026, 3, 8, 22, 59)) == set()
    assert due(at("UTC", 2026, 3, 8, 23, 0)) == {(patient.username, REMINDER, dt.date(2026, 3, 8))}
    # 1 November 2026, clocks go back: 19:00 EST is 00:00 UTC on the 2nd.
    assert due(at("UTC", 2026, 11, 1, 23, 59)) == set()
    assert due(at("UTC", 2026, 11, 2, 0, 0)) == {(patient.username, REMINDER, dt.date(2026, 11, 1))}


def test_quiet_hours_across_the_hour_that_does_not_exist():
    # Europe/London, 29 March 2026: 01:00 jumps to 02:00. Quiet until 01:30 ends at 02:00 local.
    patient = patient_in(
        "Europe/London",
        reminder_time=dt.time(0, 0),
        quiet_hours_start=dt.time(0, 0),
        quiet_hours_end=dt.time(1, 30),
    )
    assert due(at("UTC", 2026, 3, 29, 0, 59)) == set()  # 00:59 GMT
    assert due(at("UTC", 2026, 3, 29, 1, 0)) == {
        (patient.username, REMINDER, dt.date(2026, 3, 29))
    }  # 02:00 BST


def test_a_reminder_time_zone_other_than_the_profiles_is_the_one_used():
    patient = patient_in("Europe/London", timezone="Asia/Tokyo")
    assert due(at("Asia/Tokyo", 2026, 6, 10, 19, 0)) == {(patient.username, REMINDER, JUNE_10)}
    assert due(at("Europe/London", 2026, 6, 10, 19, 0)) == set()


# --- who is active, and re-engagement with back-off -----------------------------------------------


def test_a_new_patient_is_reminded_and_after_three_silent_days_gets_one_welcome_back_message_instead():
    patient = patient_in("Europe/London", joined=at("Europe/London", 2026, 6, 10, 9, 0))
    evening = lambda day: at("Europe/London", 2026, 6, day, 19, 0)  # noqa: E731
    assert due(evening(10)) == {(patient.username, REMINDER, JUNE_10)}
    assert due(evening(12)) == {(patient.username, REMINDER, dt.date(2026, 6, 12))}
    assert due(evening(13)) == {(patient.username, REENGAGE, dt.date(2026, 6, 13))}


def test_reengagement_backs_off_seven_then_fourteen_days_then_stops_until_the_patient_returns():
    patient = patient_in("Europe/London", joined=joined_long_ago())
    checked_in(patient, dt.date(2026, 6, 1))

    def sent_on(month, day):
        return {nudge.kind for nudge in record(at("Europe/London", 2026, month, day, 19, 0))}

    assert sent_on(6, 2) == {REMINDER}
    assert sent_on(6, 3) == {REMINDER}
    assert sent_on(6, 4) == {REENGAGE}  # 2, 3 and 4 June without a check-in
    quiet_days = [(6, d) for d in range(5, 11)]
    assert all(sent_on(m, d) == set() for m, d in quiet_days)
    assert sent_on(6, 11) == {REENGAGE}  # 7 days after the first
    assert all(sent_on(6, d) == set() for d in range(12, 25))
    assert sent_on(6, 25) == {REENGAGE}  # 14 days after the second
    assert all(sent_on(m, d) == set() for m, d in [(7, 9), (7, 20), (8, 30)])  # then nothing

    checked_in(patient, dt.date(2026, 9, 1))  # they come back
    assert sent_on(9, 2) == {REMINDER}
    assert sent_on(9, 4) == {REENGAGE}  # and lapse again: a fresh sequence


# --- the stretch nudge ----------------------------------------------------------------------------


def screened(patient, **given):
    return screening_actions.record_screening(patient, "hip-pattern-v1", answers(**given))


def stretch_due(now):
    return {(u, d) for u, kind, d in due(now) if kind == STRETCH}


def test_stretch_nudge_after_three_days_without_a_completed_session_at_most_every_three_days(time_machine):
    patient = patient_in("Europe/London", joined=joined_long_ago())
    time_machine.move_to(at("UTC", 2026, 6, 1, 9, 0), tick=False)
    screened(patient)
    for day in range(7, 15):
        checked_in(patient, dt.date(2026, 6, day))
    session = StretchSessionFactory(patient=patient, completed=True)
    session.started_at = at("Europe/London", 2026, 6, 8, 8, 0)
    session.save()
    evening = lambda day: at("Europe/London", 2026, 6, day, 19, 30)  # noqa: E731
    assert stretch_due(evening(10)) == set()  # stretched on the 8th
    assert stretch_due(evening(11)) == {(patient.username, dt.date(2026, 6, 11))}
    record(evening(11))
    assert stretch_due(evening(12)) == set()
    assert stretch_due(evening(13)) == set()
    assert stretch_due(evening(14)) == {(patient.username, dt.date(2026, 6, 14))}


def test_no_stretch_nudge_before_the_first_screening_while_a_red_flag_is_unsettled_or_after_lapsing(
    time_machine,
):
    time_machine.move_to(at("UTC", 2026, 6, 1, 9, 0), tick=False)
    unscreened = patient_in("Europe/London", joined=joined_long_ago())
    flagged = patient_in("Europe/London", joined=joined_long_ago())
    screened(flagged, fever_unwell=True)
    lapsed = patient_in("Europe/London", joined=joined_long_ago())
    screened(lapsed)
    for patient in (unscreened, flagged):
        checked_in(patient, JUNE_10)
    checked_in(lapsed, JUNE_10 - dt.timedelta(days=3))
    assert stretch_due(at("Europe/London", 2026, 6, 10, 20, 0)) == set()
    time_machine.move_to(at("UTC", 2026, 6, 2, 9, 0), tick=False)
    screened(flagged)  # a later clear screening settles the flag
    assert stretch_due(at("Europe/London", 2026, 6, 10, 20, 0)) == {(flagged.username, JUNE_10)}


def test_saved_preferences_and_defaults_select_alike():
    patient_in("Europe/London")
    saved = patient_in("Europe/London")
    NudgePreferences.objects.create(user=saved)
    assert len(due(at("Europe/London", 2026, 6, 10, 19, 0))) == 2
