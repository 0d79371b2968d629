"""Trends as a patient and the clinician list meet them: the figures, the flags, the API."""

import datetime as dt
import random

import pytest
import time_machine

from accounts.models import User
from checkins import trends
from checkins.trends import LocalDates
from demo.checkins import seed_checkins
from screening import actions as screening_actions
from tests.conftest import client_for
from tests.factories import CheckInFactory, ClinicianFactory, FlareFactory, PatientFactory, days_ago
from tests.screening_answers import answers
from tests.stretch_factories import StretchSessionFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/trends/"


def week(patient, first_ago, back, hip=None, days=7):
    """Check-ins on ``days`` consecutive days ending ``first_ago - days + 1`` days ago."""
    for n in range(first_ago, first_ago - days, -1):
        CheckInFactory(
            patient=patient, date=days_ago(patient, n), back_pain=back, hip_pain=back if hip is None else hip
        )


def summary(patient, now=None):
    return trends.patient_trends(patient, now=now)


# --- the summary figures --------------------------------------------------------------------------


def test_means_counts_and_last_checkin(patient):
    week(patient, 13, back=3, hip=5)  # the week before
    week(patient, 6, back=4, hip=2, days=5)  # this week, five days of seven
    StretchSessionFactory(patient=patient, completed=True)
    StretchSessionFactory(patient=patient, completed=False)
    report = summary(patient)
    assert report.summary == {
        "back_7d_mean": 4.0,
        "hip_7d_mean": 2.0,
        "back_prev_7d_mean": 3.0,
        "hip_prev_7d_mean": 5.0,
        "back_baseline_mean": 3.0,
        "hip_baseline_mean": 5.0,
        "checkins_14d": 12,
        "sessions_completed_7d": 1,
        "last_checkin": days_ago(patient, 2),
    }


def test_a_mean_with_no_data_is_null_and_counts_are_zero(patient):
    report = summary(patient)
    assert report.summary == {
        "back_7d_mean": None,
        "hip_7d_mean": None,
        "back_prev_7d_mean": None,
        "hip_prev_7d_mean": None,
        "back_baseline_mean": None,
        "hip_baseline_mean": None,
        "checkins_14d": 0,
        "sessions_completed_7d": 0,
        "last_checkin": None,
    }
    assert report.flags == ["no_recent_checkin"]


def test_windows_end_on_today_and_count_whole_local_days(patient):
    CheckInFactory(patient=patient, date=days_ago(patient, 14), back_pain=9)  # outside two weeks
    CheckInFactory(patient=patient, date=days_ago(patient, 13), back_pain=1)  # inside
    CheckInFactory(patient=patient, date=days_ago(patient, 7), back_pain=2)  # previous week
    CheckInFactory(patient=patient, date=days_ago(patient, 6), back_pain=5)  # this week
    assert summary(patient).summary["checkins_14d"] == 3
    assert summary(patient).summary["back_7d_mean"] == 5.0
    assert summary(patient).summary["back_prev_7d_mean"] == 1.5


def test_baseline_is_the_first_seven_days_from_the_earliest_checkin(patient):
    CheckInFactory(patient=patient, date=days_ago(patient, 40), back_pain=8, hip_pain=6)
    CheckInFactory(patient=patient, date=days_ago(patient, 34), back_pain=6, hip_pain=6)  # day 7 of 7
    CheckInFactory(
        patient=patient, date=days_ago(patient, 33), back_pain=1, hip_pain=1
    )  # day 8: not baseline
    report = summary(patient)
    assert (report.summary["back_baseline_mean"], report.summary["hip_baseline_mean"]) == (7.0, 6.0)


def test_sessions_count_only_completed_ones_of_the_last_seven_local_days(patient):
    zone = patient.zone
    today = patient.local_today()
    start_of_week = dt.datetime.combine(today - dt.timedelta(days=6), dt.time(0, 5), tzinfo=zone)
    StretchSessionFactory(patient=patient, completed=True, started_at=start_of_week)
    StretchSessionFactory(
        patient=patient, completed=True, started_at=start_of_week - dt.timedelta(minutes=10)
    )
    assert summary(patient).summary["sessions_completed_7d"] == 1


# --- flags ------------------------------------------------------------------------------------------


def test_a_week_at_3_then_a_week_at_6_is_worsening(patient):
    week(patient, 13, back=3, hip=3)
    week(patient, 6, back=6, hip=3)
    assert summary(patient).flags == ["worsening"]


def test_a_rise_under_two_points_is_not_worsening(patient):
    week(patient, 13, back=3)
    week(patient, 6, back=4)
    assert "worsening" not in summary(patient).flags


def test_worsening_in_the_hip_alone_counts(patient):
    week(patient, 13, back=2, hip=2)
    week(patient, 6, back=2, hip=5)
    assert summary(patient).flags == ["worsening"]


def test_a_first_week_at_8_then_a_week_at_3_is_improving(patient):
    week(patient, 30, back=8, hip=8)
    week(patient, 6, back=3, hip=3)
    assert summary(patient).flags == ["improving"]


def test_improving_needs_thirty_percent(patient):
    week(patient, 30, back=5, hip=4)
    week(patient, 6, back=4, hip=4)  # 20 % below: not yet
    assert "improving" not in summary(patient).flags


def test_one_region_improving_is_enough(patient):
    week(patient, 30, back=8, hip=2)
    week(patient, 6, back=3, hip=3)
    assert summary(patient).flags == ["improving"]


def test_three_local_days_without_a_checkin_flag_no_recent_checkin_and_today_clears_it(patient):
    CheckInFactory(patient=patient, date=days_ago(patient, 3))
    assert summary(patient).flags == ["no_recent_checkin"]
    CheckInFactory(patient=patient, date=days_ago(patient, 0))
    assert summary(patient).flags == []


def test_two_days_without_a_checkin_is_not_yet_flagged(patient):
    CheckInFactory(patient=patient, date=days_ago(patient, 2))
    assert summary(patient).flags == []


def test_an_unreviewed_red_flag_is_flagged_first(patient):
    week(patient, 13, back=3)
    week(patient, 6, back=6)
    screening_actions.record_screening(patient, "hip-pattern-v1", answers(night_pain=True))
    assert summary(patient).flags == ["red_flag", "worsening"]


def test_a_reviewed_red_flag_is_no_longer_flagged(patient):
    CheckInFactory(patient=patient)
    response = screening_actions.record_screening(patient, "hip-pattern-v1", answers(trauma=True))
    screening_actions.mark_reviewed(response, ClinicianFactory())
    assert summary(patient).flags == []


# --- time zones on either side of UTC ---------------------------------------------------------------

# 12:30 UTC on 15 June 2026: already 16 June in Auckland (UTC+12), still the
# early morning of 15 June in Los Angeles (UTC-7).
MOMENT = dt.datetime(2026, 6, 15, 12, 30, tzinfo=dt.UTC)


@pytest.fixture
def auckland():
    return PatientFactory(username="kiri", timezone="Pacific/Auckland")


@pytest.fixture
def los_angeles():
    return PatientFactory(username="lupe", timezone="America/Los_Angeles")


def test_each_patient_counts_days_in_their_own_zone(auckland, los_angeles):
    with time_machine.travel(MOMENT, tick=False):
        CheckInFactory(patient=auckland, date=dt.date(2026, 6, 16), back_pain=6)  # their today
        CheckInFactory(patient=auckland, date=dt.date(2026, 6, 9), back_pain=2)  # 7 days ago: last week
        CheckInFactory(patient=los_angeles, date=dt.date(2026, 6, 15), back_pain=4)  # their today
        CheckInFactory(patient=los_angeles, date=dt.date(2026, 6, 9), back_pain=8)  # 6 days ago: this week
        nz, la = summary(auckland), summary(los_angeles)
    assert (nz.today, la.today) == (dt.date(2026, 6, 16), dt.date(2026, 6, 15))
    assert (nz.summary["back_7d_mean"], nz.summary["back_prev_7d_mean"]) == (6.0, 2.0)
    assert (la.summary["back_7d_mean"], la.summary["back_prev_7d_mean"]) == (6.0, None)
    assert nz.window[-1]["date"] == dt.date(2026, 6, 16) and la.window[-1]["date"] == dt.date(2026, 6, 15)


def test_a_list_of_patients_in_many_zones_gets_each_ones_own_figures(auckland, los_angeles):
    """The clinician list runs the same annotations over many zones at once: same answers."""
    with time_machine.travel(MOMENT, tick=False):
        for patient in (auckland, los_angeles):
            CheckInFactory(patient=patient, date=patient.local_today() - dt.timedelta(days=3), back_pain=5)
            CheckInFactory(patient=patient, date=patient.local_today() - dt.timedelta(days=9), back_pain=1)
            local_midnight = dt.datetime.combine(patient.local_today(), dt.time(0, 10), tzinfo=patient.zone)
            StretchSessionFactory(patient=patient, completed=True, started_at=local_midnight)
        # 23:59 on 8 June in Los Angeles: a minute before its week (9 to 15 June) began.
        StretchSessionFactory(
            patient=los_angeles, completed=True, started_at=dt.datetime(2026, 6, 9, 6, 59, tzinfo=dt.UTC)
        )
        patients = User.objects.filter(pk__in=[auckland.pk, los_angeles.pk])
        rows = {row.pk: row for row in trends.with_trends(patients, LocalDates.for_patients(patients))}
        singles = {p.pk: summary(p) for p in (auckland, los_angeles)}
    for pk, single in singles.items():
        assert trends.summary_of(rows[pk]) == single.summary
        assert trends.flags_of(rows[pk]) == single.flags == ["worsening", "no_recent_checkin"]
    assert singles[los_angeles.pk].summary["sessions_completed_7d"] == 1


def test_no_recent_checkin_follows_the_local_date(auckland, los_angeles):
    with time_machine.travel(MOMENT, tick=False):
        # Both checked in on 13 June, local: three days ago in Auckland, two in Los Angeles.
        CheckInFactory(patient=auckland, date=dt.date(2026, 6, 13))
        CheckInFactory(patient=los_angeles, date=dt.date(2026, 6, 13))
        assert summary(auckland).flags == ["no_recent_checkin"]
        assert summary(los_angeles).flags == []


def test_a_daylight_saving_change_keeps_whole_local_days():
    """London moves its clocks on 25 October 2026: the week still holds seven local dates."""
    patient = PatientFactory(timezone="Europe/London")
    with time_machine.travel(dt.datetime(2026, 10, 27, 23, 30, tzinfo=dt.UTC), tick=False):
        week(patient, 6, back=4)
        report = summary(patient)
    assert report.summary["checkins_14d"] == 7
    assert [day["date"] for day in report.window[-7:]] == [
        dt.date(2026, 10, 21) + dt.timedelta(days=n) for n in range(7)
    ]


# --- the daily series ---------------------------------------------------------------------------------


def test_series_has_every_local_day_oldest_first_with_gaps_and_marks(patient):
    today = patient.local_today()
    CheckInFactory(
        patient=patient, date=today - dt.timedelta(days=2), back_pain=6, hip_pain=3, sitting_hours=7.5
    )
    evening = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(21, 0), tzinfo=patient.zone)
    FlareFactory(patient=patient, occurred_at=evening)  # a flare on a day without a check-in
    FlareFactory(patient=patient, occurred_at=evening - dt.timedelta(hours=2))
    StretchSessionFactory(patient=patient, completed=True, started_at=evening)
    series = trends.patient_trends(patient, days=7).window
    assert [day["date"] for day in series] == [today - dt.timedelta(days=n) for n in range(6, -1, -1)]
    by_date = {day["date"]: day for day in series}
    assert by_date[today - dt.timedelta(days=2)] == {
        "date": today - dt.timedelta(days=2),
        "back_pain": 6,
        "hip_pain": 3,
        "sitting_hours": 7.5,
        "flares": 0,
        "sessions_completed": 0,
    }
    yesterday = by_date[today - dt.timedelta(days=1)]
    assert (yesterday["back_pain"], yesterday["flares"], yesterday["sessions_completed"]) == (None, 2, 1)


# --- which region leads, on synthetic series ---------------------------------------------------------


def days(backs, hips, sitting=None):
    start = dt.date(2026, 1, 1)
    sitting = sitting or [None] * len(backs)
    return [
        {
            "date": start + dt.timedelta(days=n),
            "back_pain": back,
            "hip_pain": hip,
            "sitting_hours": hours,
            "flares": 0,
            "sessions_completed": 0,
        }
        for n, (back, hip, hours) in enumerate(zip(backs, hips, sitting))
    ]


def wandering(seed, n=28):
    rng = random.Random(seed)
    return [rng.randint(0, 10) for _ in range(n)]


def test_hip_leading_by_one_day_is_hip_leads():
    hips = wandering(1, 29)
    backs = hips[:-1]  # the back repeats the hip's day a day later
    result = trends.leading_region(days(backs, hips[1:]))
    assert result["label"] == "hip_leads"
    assert result["correlations"]["1"] > 0.9
    assert result["days_used"] == 27


def test_back_leading_by_one_day_is_back_leads():
    backs = wandering(2, 29)
    assert trends.leading_region(days(backs[1:], backs[:-1]))["label"] == "back_leads"


def test_moving_on_the_same_day_is_together():
    hips = wandering(3)
    backs = [min(10, h + 1) for h in hips]
    result = trends.leading_region(days(backs, hips))
    assert result["label"] == "together"
    assert result["correlations"]["0"] > 0.9


def test_independent_noise_is_independent():
    result = trends.leading_region(days(wandering(4), wandering(5)))
    assert result["label"] == "independent"
    assert all(abs(r) < trends.LEADING_MIN_CORRELATION for r in result["correlations"].values())


def test_too_few_days_with_a_neighbour_is_insufficient_data():
    backs, hips = wandering(6), wandering(7)
    for n in range(1, 28, 2):  # every other day missing: no day has a neighbour
        backs[n] = hips[n] = None
    result = trends.leading_region(days(backs, hips))
    assert result == {
        "label": "insufficient_data",
        "correlations": {"-1": None, "0": None, "1": None},
        "days_used": 0,
        "days_needed": 14,
    }


def test_a_constant_series_answers_a_label_not_a_crash():
    result = trends.leading_region(days([4] * 28, [4] * 28))
    assert result["label"] == "insufficient_data"
    assert result["days_used"] == 27 and result["correlations"] == {"-1": None, "0": None, "1": None}


def test_only_the_last_28_days_count():
    hips = wandering(8, 29)
    leading = days(hips[:-1], hips[1:])
    noise = days(wandering(9, 40), wandering(10, 40))
    assert trends.leading_region(noise + leading)["label"] == "hip_leads"


def test_the_demo_patients_sixty_days_have_the_hip_leading(patient):
    seed_checkins(patient)
    assert trends.patient_trends(patient).leading_region["label"] == "hip_leads"


# --- the sitting link ----------------------------------------------------------------------------------


def test_back_higher_after_long_sitting():
    sitting = [9.0 if n % 2 else 4.0 for n in range(28)]
    backs = [None] + [6 if sitting[n - 1] > 6 else 4 for n in range(1, 28)]
    hips = [None if b is None else 3 for b in backs]
    result = trends.sitting_link(days(backs, hips, sitting))
    assert result["label"] == "higher_after_sitting"
    assert (result["cut_hours"], result["difference"]) == (4.0, 2.0)  # the median day sat 4 h
    assert (result["back_after_long"], result["back_after_other"]) == (6.0, 4.0)


def test_no_clear_link_when_the_back_runs_the_same():
    sitting = [9.0 if n % 2 else 4.0 for n in range(28)]
    result = trends.sitting_link(days([4] * 28, [3] * 28, sitting))
    assert result["label"] == "no_clear_link" and result["difference"] == 0.0


def test_sitting_link_needs_enough_days_of_each_kind():
    sitting = [9.0, 4.0] * 4 + [None] * 20
    result = trends.sitting_link(days([4] * 28, [3] * 28, sitting))
    assert result["label"] == "insufficient_data"
    assert (result["long_days"], result["other_days"], result["days_needed_each"]) == (4, 4, 5)


def test_sitting_the_same_every_day_answers_a_label_not_a_crash():
    result = trends.sitting_link(days([4] * 28, [3] * 28, [8.0] * 28))
    assert result["label"] == "insufficient_data" and result["long_days"] == 0


def test_no_sitting_hours_at_all_is_insufficient_data():
    assert trends.sitting_link(days([4] * 28, [3] * 28))["label"] == "insufficient_data"


# --- the API -----------------------------------------------------------------------------------------


def test_trends_answers_the_design_shape(patient_api, patient):
    seed_checkins(patient)
    response = patient_api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"days", "series", "summary", "flags", "leading_region", "sitting_link"}
    assert body["days"] == 28 and len(body["series"]) == 28
    assert body["series"][-1]["date"] == patient.local_today().isoformat()
    assert set(body["series"][0]) == {
        "date",
        "back_pain",
        "hip_pain",
        "sitting_hours",
        "flares",
        "sessions_completed",
    }
    assert set(body["summary"]) == set(trends.SUMMARY_FIELDS)
    assert body["leading_region"]["label"] == "hip_leads"
    assert set(body["leading_region"]) >= {"label", "correlations", "days_used"}
    assert set(body["leading_region"]["correlations"]) == {"-1", "0", "1"}
    assert "label" in body["sitting_link"]


@pytest.mark.parametrize("days", [7, 30, 365])
def test_days_sets_the_window(patient_api, patient, days):
    body = patient_api.get(URL, {"days": days}).json()
    assert body["days"] == days and len(body["series"]) == days
    assert all(day["back_pain"] is None for day in body["series"])


@pytest.mark.parametrize("days", ["0", "6", "366", "-1", "abc", "", "7.5", "1e3"])
def test_bad_days_is_a_400_naming_days(patient_api, days):
    response = patient_api.get(URL, {"days": days})
    assert response.status_code == 400
    assert list(response.json()) == ["days"]


def test_anonymous_gets_401(anon_api):
    assert anon_api.get(URL).status_code == 401


def test_a_clinician_has_no_trends_of_their_own(clinician_api):
    assert clinician_api.get(URL).status_code == 403


def test_trends_hold_only_my_own_data(patient_api, patient, other_patient):
    CheckInFactory(patient=patient, back_pain=2, hip_pain=2)
    CheckInFactory(patient=other_patient, date=days_ago(other_patient, 1), back_pain=9, hip_pain=9)
    FlareFactory(patient=other_patient)
    body = patient_api.get(URL, {"days": 7}).json()
    assert [day["back_pain"] for day in body["series"] if day["back_pain"] is not None] == [2]
    assert sum(day["flares"] for day in body["series"]) == 0


def test_query_count_of_a_year_does_not_grow_with_the_days(patient, django_assert_max_num_queries):
    api = client_for(patient)
    seed_checkins(patient, days=365)
    with django_assert_max_num_queries(6):
        assert api.get(URL, {"days": 365}).status_code == 200


def test_the_figures_are_computed_the_same_at_any_hour(patient):
    """A check-in saved just before local midnight stays in its day's figures after it."""
    late = dt.datetime.combine(patient.local_today(), dt.time(23, 59), tzinfo=patient.zone)
    with time_machine.travel(late, tick=False):
        CheckInFactory(patient=patient, date=patient.local_today(), back_pain=5)
        before = summary(patient).summary
    with time_machine.travel(late + dt.timedelta(minutes=2), tick=False):
        after = summary(patient).summary
    assert before["back_7d_mean"] == after["back_7d_mean"] == 5.0
