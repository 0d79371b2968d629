"""Trends: the summary figures, the flags, the daily series, which region leads, the sitting link.

DESIGN.md, "Trends and flags", "Which region leads", "Sitting link".

Two layers, so that one patient's page and a clinician's list of a thousand
patients run the same code:

- ``with_trends(patients, dates)`` annotates a queryset of patients with the
  summary figures and the flags, each figure one correlated subquery and each
  flag one EXISTS. The number of queries never depends on how many patients or
  days there are; ranking and filtering by flag stay in SQL.
- ``patient_trends(patient, days)`` adds one patient's daily series (three
  grouped queries: check-ins, flares, completed sessions) and runs the two
  pattern functions over it, ``leading_region`` and ``sitting_link``: plain
  functions of a list of days, with their thresholds named below.

"Today" is always the patient's own local date; "the last N days" end on it.
"""

import datetime as dt
import itertools
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import In
from django.utils import timezone

from accounts.models import User
from checkins.models import CheckIn, Flare
from screening.models import ScreeningResponse
from stretches.models import StretchSession

# --- windows, in local days ending on the patient's today ----------------------------------------

WEEK_DAYS = 7  # "this week": today and the six days before
CHECKIN_COUNT_DAYS = 14  # check-ins counted over two weeks
BASELINE_DAYS = 7  # the first week: seven days from the earliest check-in
SESSION_COUNT_DAYS = 7  # completed stretch sessions counted over a week

TREND_DAYS_DEFAULT = 28  # GET /api/v1/trends/ without ?days=
TREND_DAYS_MIN = 7
TREND_DAYS_MAX = 365

# --- flag thresholds --------------------------------------------------------------------------------

# Two points on the 0-10 scale is the minimal clinically important change: a
# week's mean that far above the week before is a real worsening, not noise.
WORSENING_POINTS = 2
# Thirty per cent below the first week is the usual mark of a meaningful
# improvement in pain on the Numeric Rating Scale.
IMPROVING_SHARE = 0.30
# No check-in on today or the two days before.
NO_CHECKIN_DAYS = 3

# The order flags are listed in, worst first: the clinician's list ranks by it.
FLAGS = ("red_flag", "worsening", "no_recent_checkin", "improving")

# The summary's fields, in the API's order (summary_annotations computes them).
SUMMARY_FIELDS = (
    "back_7d_mean",
    "hip_7d_mean",
    "back_prev_7d_mean",
    "hip_prev_7d_mean",
    "back_baseline_mean",
    "hip_baseline_mean",
    "checkins_14d",
    "sessions_completed_7d",
    "last_checkin",
)


# --- each patient's local calendar, as SQL ------------------------------------------------------


@dataclass(frozen=True)
class LocalDates:
    """Each patient's local dates and midnights, as SQL expressions.

    A clinician's patients live in many time zones, so "the last 7 days" starts
    on a different date and instant for each. ``todays`` holds each zone in use
    with its local date now (worked out with zoneinfo, daylight saving
    included); the expressions hand the database a CASE over the patient's
    ``timezone`` column, or a plain value when there is one date. They are
    written for use inside a subquery about the patient, so they read the zone
    with ``OuterRef``. Equal for every moment of the same local dates, so it
    can key a cache (``annotated_patients``).
    """

    todays: tuple  # ((zone, local date), ...), sorted

    @classmethod
    def at(cls, zones, now=None):
        now = now or timezone.now()
        return cls(tuple((zone, now.astimezone(ZoneInfo(zone)).date()) for zone in sorted(set(zones))))

    @classmethod
    def for_patient(cls, patient, now=None):
        return cls.at([patient.timezone], now)

    @classmethod
    def for_patients(cls, patients, now=None):
        """One query: the distinct time zones of ``patients``."""
        return cls.at(patients.order_by().values_list("timezone", flat=True).distinct() or ["UTC"], now)

    def today_in(self, zone):
        return dict(self.todays)[zone]

    def ago(self, days):
        """The local date ``days`` before each patient's today (0: today)."""
        by_date = defaultdict(list)
        for zone, today in self.todays:
            by_date[today - dt.timedelta(days=days)].append(zone)
        return self._by_zone(by_date, DateField())

    def midnight_ago(self, days):
        """The instant each patient's local day ``days`` before today began."""
        by_instant = defaultdict(list)
        for zone, today in self.todays:
            day = today - dt.timedelta(days=days)
            by_instant[dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(zone))].append(zone)
        return self._by_zone(by_instant, DateTimeField())

    @staticmethod
    def _by_zone(values, output_field):
        if len(values) == 1:
            return Value(next(iter(values)), output_field=output_field)
        whens = [When(In(OuterRef("timezone"), zones), then=Value(value)) for value, zones in values.items()]
        return Case(*whens, output_field=output_field)


# --- the summary figures and the flags, for any number of patients ------------------------------


def _scalar(queryset, aggregate, output_field):
    """One figure of one patient: ``aggregate`` over ``queryset`` as a correlated subquery."""
    rows = queryset.order_by().values("patient").annotate(figure=aggregate).values("figure")
    return Subquery(rows, output_field=output_field)


def _checkins_between(dates, first_ago, last_ago=0):
    """The patient's check-ins from ``first_ago`` to ``last_ago`` days before their local today."""
    return CheckIn.objects.filter(
        patient=OuterRef("pk"), date__gte=dates.ago(first_ago), date__lte=dates.ago(last_ago)
    )


def _first_checkin(patient):
    """The date of the earliest check-in of ``patient`` (an OuterRef), as a subquery."""
    first = CheckIn.objects.filter(patient=patient).order_by("date").values("date")[:1]
    return Subquery(first, output_field=DateField())


FIRST_CHECKIN = _first_checkin(OuterRef("pk"))


def _first_week():
    """The patient's first week, seven days from the earliest check-in, as a Q on check-in dates.

    Both bounds are given so the database reads just those days off the
    (patient, date) index. For use inside a subquery of check-ins about the patient.
    """
    first = _first_checkin(OuterRef(OuterRef("pk")))
    end = ExpressionWrapper(first + dt.timedelta(days=BASELINE_DAYS), output_field=DateField())
    return Q(date__gte=first, date__lt=end)


def summary_annotations(dates):
    """The figures of DESIGN.md's trend summary, one subquery each, keyed by their API names."""
    week = _checkins_between(dates, WEEK_DAYS - 1)
    previous_week = _checkins_between(dates, 2 * WEEK_DAYS - 1, WEEK_DAYS)
    baseline = CheckIn.objects.filter(_first_week(), patient=OuterRef("pk"))
    completed = StretchSession.objects.filter(
        patient=OuterRef("pk"), completed=True, started_at__gte=dates.midnight_ago(SESSION_COUNT_DAYS - 1)
    )
    mean, count = FloatField(), IntegerField()
    return {
        "back_7d_mean": _scalar(week, Avg("back_pain"), mean),
        "hip_7d_mean": _scalar(week, Avg("hip_pain"), mean),
        "back_prev_7d_mean": _scalar(previous_week, Avg("back_pain"), mean),
        "hip_prev_7d_mean": _scalar(previous_week, Avg("hip_pain"), mean),
        "back_baseline_mean": _scalar(baseline, Avg("back_pain"), mean),
        "hip_baseline_mean": _scalar(baseline, Avg("hip_pain"), mean),
        "checkins_14d": Coalesce(
            _scalar(_checkins_between(dates, CHECKIN_COUNT_DAYS - 1), Count("pk"), count), 0
        ),
        "sessions_completed_7d": Coalesce(_scalar(completed, Count("pk"), count), 0),
        "last_checkin": _scalar(CheckIn.objects.filter(patient=OuterRef("pk")), Max("date"), DateField()),
    }


def flag_annotations(dates):
    """The four flags, each one EXISTS over the patient's rows, so a list can rank and filter by them.

    - ``red_flag``: a screening red flag no clinician has reviewed yet;
    - ``worsening``: either region's 7-day mean at least WORSENING_POINTS above
      the 7 days before;
    - ``improving``: either region's 7-day mean at least IMPROVING_SHARE below
      its first-week mean;
    - ``no_recent_checkin``: no check-in in the last NO_CHECKIN_DAYS local days
      (or none ever).

    Each flag works its means out from the rows itself rather than from the
    summary's figures: a condition over another annotation would make the
    database run that annotation's subquery a second time.
    """
    this_week = Q(date__gte=dates.ago(WEEK_DAYS - 1))
    week_before = Q(date__lte=dates.ago(WEEK_DAYS))
    first_week = _first_week()

    def means(rows, **windows):
        """``rows`` grouped per patient, with ``<region>_<window>`` means for each named window."""
        grouped = rows.order_by().values("patient")
        return grouped.annotate(
            **{
                f"{region}_{name}": Avg(f"{region}_pain", filter=window)
                for name, window in windows.items()
                for region in ("back", "hip")
            }
        )

    def worse(region):
        return Q(**{f"{region}_now__gte": F(f"{region}_before") + WORSENING_POINTS})

    def better(region):
        return Q(
            **{f"{region}_first__gt": 0, f"{region}_now__lte": F(f"{region}_first") * (1 - IMPROVING_SHARE)}
        )

    two_weeks = means(_checkins_between(dates, 2 * WEEK_DAYS - 1), now=this_week, before=week_before)
    now_and_first = means(
        CheckIn.objects.filter(this_week | first_week, patient=OuterRef("pk"), date__lte=dates.ago(0)),
        now=this_week,
        first=first_week,
    )
    return {
        "red_flag": Exists(ScreeningResponse.objects.unreviewed().filter(patient=OuterRef("pk"))),
        "worsening": Exists(two_weeks.filter(worse("back") | worse("hip"))),
        "no_recent_checkin": ~Exists(_checkins_between(dates, NO_CHECKIN_DAYS - 1)),
        "improving": Exists(now_and_first.filter(better("back") | better("hip"))),
    }


def with_trends(patients, dates):
    """``patients`` annotated with every summary figure and flag (see the two functions above)."""
    return patients.annotate(**summary_annotations(dates), **flag_annotations(dates))


@lru_cache(maxsize=256)
def annotated_patients(dates):
    """All patients annotated by ``with_trends`` (and ``first_checkin``), unevaluated: filter it to use it.

    Kept per set of local dates. Building the thirteen subqueries costs the ORM
    about 6 ms a request, several times what PostgreSQL takes to run them
    (make bench BENCH=trends), and it is the same work for every patient of a
    zone on a given day. Filtering the kept queryset makes a new one; the kept
    one is never evaluated.
    """
    return with_trends(User.objects.all(), dates).annotate(first_checkin=FIRST_CHECKIN)


def flags_of(row):
    """The flag names set on an annotated patient, worst first."""
    return [name for name in FLAGS if getattr(row, name)]


def summary_of(row):
    """The API's ``summary`` object of an annotated patient; means rounded to two decimals."""
    figures = {}
    for name in SUMMARY_FIELDS:
        value = getattr(row, name)
        figures[name] = round(float(value), 2) if name.endswith("_mean") and value is not None else value
    return figures


# --- one patient's daily series -------------------------------------------------------------------

# The patterns look at fixed recent windows, whatever range the chart shows.
LEADING_WINDOW_DAYS = 28  # DESIGN.md: the last 28 days of check-ins
SITTING_WINDOW_DAYS = 56  # eight weeks: enough long and short sitting days to compare


def daily_series(patient, first_day, last_day):
    """Every local date from ``first_day`` to ``last_day``, oldest first, as dicts of the API's series.

    Three queries whatever the length: the check-ins in the range, and the
    flares and completed sessions counted per local day in SQL. Pains are None
    on a day without a check-in.
    """
    zone = patient.zone
    start = dt.datetime.combine(first_day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    checkins = {
        day: (back, hip, sitting)
        for day, back, hip, sitting in CheckIn.objects.for_patient(patient)
        .filter(date__gte=first_day, date__lte=last_day)
        .values_list("date", "back_pain", "hip_pain", "sitting_hours")
    }

    def per_day(model, instant, **filters):
        rows = (
            model.objects.for_patient(patient)
            .filter(**{f"{instant}__gte": start, f"{instant}__lt": end}, **filters)
            .annotate(day=TruncDate(instant, tzinfo=zone))
            .values("day")
            .annotate(n=Count("pk"))
            .values_list("day", "n")
        )
        return dict(rows)

    flares = per_day(Flare, "occurred_at")
    sessions = per_day(StretchSession, "started_at", completed=True)
    series = []
    day = first_day
    while day <= last_day:
        back, hip, sitting = checkins.get(day, (None, None, None))
        series.append(
            {
                "date": day,
                "back_pain": back,
                "hip_pain": hip,
                "sitting_hours": None if sitting is None else float(sitting),
                "flares": flares.get(day, 0),
                "sessions_completed": sessions.get(day, 0),
            }
        )
        day += dt.timedelta(days=1)
    return series


# --- which region leads ---------------------------------------------------------------------------

# Days in the window whose day before also has a check-in (so a change can be
# measured): below this the answer is "insufficient_data".
LEADING_MIN_DAYS = 14
# A correlation of day-to-day changes below this is no link at all: the back
# moves on its own ("independent").
LEADING_MIN_CORRELATION = 0.3
# A one-day lag leads only when its correlation beats the other lags by this
# much; otherwise the regions move together.
LEADING_MARGIN = 0.1
# Fewer pairs than this at a lag and its correlation is not computed.
LEADING_MIN_PAIRS = 5


def correlation(pairs):
    """Pearson's r of ``(x, y)`` pairs, or None when there are too few or one side never varies."""
    if len(pairs) < LEADING_MIN_PAIRS:
        return None
    xs, ys = zip(*pairs)
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def leading_region(series):
    """Which region tends to move first, from the last LEADING_WINDOW_DAYS days of ``series``.

    For each day that has a check-in and so does the day before, the change
    in hip and in back pain since that day. The changes are correlated at three
    lags: at lag +1 the back's change is taken a day after the hip's (the hip
    leads), at lag -1 a day before (the back leads), at 0 the same day.

    - ``insufficient_data``: fewer than LEADING_MIN_DAYS such days, or no lag
      with a correlation to speak of (a pain that never changes);
    - ``independent``: no lag reaches LEADING_MIN_CORRELATION;
    - ``hip_leads`` / ``back_leads``: lag +1 / -1 is the strongest, by at least
      LEADING_MARGIN over both others;
    - ``together``: otherwise (the same day is strongest, or no lag clearly is).
    """
    window = series[-LEADING_WINDOW_DAYS:]
    changes = {}  # position in the window -> (hip change, back change)
    for position, (before, day) in enumerate(itertools.pairwise(window), start=1):
        if before["back_pain"] is not None and day["back_pain"] is not None:
            changes[position] = (day["hip_pain"] - before["hip_pain"], day["back_pain"] - before["back_pain"])
    result = {"label": "insufficient_data", "correlations": {"-1": None, "0": None, "1": None}}
    result.update(days_used=len(changes), days_needed=LEADING_MIN_DAYS)
    if len(changes) < LEADING_MIN_DAYS:
        return result
    correlations = {}
    for lag in (-1, 0, 1):
        pairs = [(hip, changes[t + lag][1]) for t, (hip, _) in changes.items() if t + lag in changes]
        correlations[lag] = correlation(pairs)
    result["correlations"] = {str(lag): None if r is None else round(r, 3) for lag, r in correlations.items()}
    known = {lag: r for lag, r in correlations.items() if r is not None}
    if not known:
        return result
    best = max(known, key=known.get)
    others = [r for lag, r in known.items() if lag != best]
    if known[best] < LEADING_MIN_CORRELATION:
        result["label"] = "independent"
    elif best != 0 and all(known[best] - r >= LEADING_MARGIN for r in others):
        result["label"] = "hip_leads" if best == 1 else "back_leads"
    else:
        result["label"] = "together"
    return result


# --- the sitting link -----------------------------------------------------------------------------

# Days of each kind (after a long sitting day, after a shorter one) needed
# before the two are compared.
SITTING_MIN_DAYS_EACH = 5
# A difference in next-day back pain smaller than this is no clear link.
SITTING_MIN_DIFFERENCE = 1.0


def sitting_link(series):
    """How much higher the back runs the day after long sitting, over the last SITTING_WINDOW_DAYS days.

    A long day is one with more sitting than the patient's own median of the
    window (the ``cut_hours``). Each sitting day with a check-in on the next day
    is a pair; the next-day back pain is averaged for long and other days.

    - ``insufficient_data``: fewer than SITTING_MIN_DAYS_EACH pairs of either kind;
    - ``higher_after_sitting`` / ``lower_after_sitting``: the difference is at
      least SITTING_MIN_DIFFERENCE points either way;
    - ``no_clear_link``: otherwise.
    """
    window = series[-SITTING_WINDOW_DAYS:]
    pairs = [
        (day["sitting_hours"], after["back_pain"])
        for day, after in itertools.pairwise(window)
        if day["sitting_hours"] is not None and after["back_pain"] is not None
    ]
    cut = statistics.median(hours for hours, _ in pairs) if pairs else None
    long_days = [back for hours, back in pairs if hours > cut]
    other_days = [back for hours, back in pairs if hours <= cut]
    result = {
        "label": "insufficient_data",
        "cut_hours": None if cut is None else float(cut),
        "long_days": len(long_days),
        "other_days": len(other_days),
        "days_needed_each": SITTING_MIN_DAYS_EACH,
        "back_after_long": None,
        "back_after_other": None,
        "difference": None,
    }
    if min(len(long_days), len(other_days)) < SITTING_MIN_DAYS_EACH:
        return result
    after_long, after_other = statistics.fmean(long_days), statistics.fmean(other_days)
    difference = after_long - after_other
    if difference >= SITTING_MIN_DIFFERENCE:
        label = "higher_after_sitting"
    elif difference <= -SITTING_MIN_DIFFERENCE:
        label = "lower_after_sitting"
    else:
        label = "no_clear_link"
    result.update(
        label=label,
        back_after_long=round(after_long, 2),
        back_after_other=round(after_other, 2),
        difference=round(difference, 2),
    )
    return result


# --- one patient's trends, whole ------------------------------------------------------------------


@dataclass
class PatientTrends:
    """One patient's trends over ``days`` local days ending ``today``; ``as_api()`` is DESIGN.md's object."""

    days: int
    today: dt.date
    row: object  # the patient, annotated by with_trends
    series: list  # long enough for the pattern windows; the chart shows the last ``days``

    @property
    def first_checkin(self):
        return self.row.first_checkin

    @property
    def window(self):
        return self.series[-self.days :]

    @cached_property
    def summary(self):
        return summary_of(self.row)

    @cached_property
    def flags(self):
        return flags_of(self.row)

    @cached_property
    def leading_region(self):
        return leading_region(self.series)

    @cached_property
    def sitting_link(self):
        return sitting_link(self.series)

    def as_api(self):
        return {
            "days": self.days,
            "series": self.window,
            "summary": self.summary,
            "flags": self.flags,
            "leading_region": self.leading_region,
            "sitting_link": self.sitting_link,
        }


def summary_row(patient, dates):
    """One query: the patient annotated with the summary figures, the flags and ``first_checkin``."""
    return annotated_patients(dates).only("pk", "timezone").get(pk=patient.pk)


def patient_trends(patient, days=TREND_DAYS_DEFAULT, now=None):
    """Four queries: the summary and flags, then the series (check-ins, flares, sessions)."""
    dates = LocalDates.for_patient(patient, now)
    row = summary_row(patient, dates)
    today = dates.today_in(patient.timezone)
    span = max(days, LEADING_WINDOW_DAYS, SITTING_WINDOW_DAYS)
    series = daily_series(patient, today - dt.timedelta(days=span - 1), today)
    return PatientTrends(days=days, today=today, row=row, series=series)
