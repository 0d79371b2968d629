"""The visit-ready report: one PDF a patient brings to an appointment and a clinician files.

DESIGN.md, ``GET /api/v1/me/report/`` and ``GET /api/v1/clinician/patients/{id}/report/``.
Both endpoints call the same two functions (and both pages link to the patient's):

- ``gather(patient, days)`` collects what the report says, as plain data: the
  trend figures, flags and patterns from ``checkins.trends`` (worded by
  ``checkins.trend_words``), the screening, the stretch sessions and the
  videos that brought most relief. It computes no trend of its own.
- ``report_pdf(patient, days)`` lays that out with the HTML template
  ``reports/report.html`` and WeasyPrint: A4, the summary and the chart on
  page one, then the table of days. The PDF is tagged (PDF/UA-1): real text
  with a title, a language and a structure a screen reader follows, and the
  chart is a figure with a text alternative.

``made_for`` is the clinician a report is made for (their endpoint passes
``request.user``); the report then says who downloaded it.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from checkins import trend_words, trends
from checkins.trend_words import FLAG_WORDS
from reports.chart import chart
from screening.models import ScreeningResponse
from stretches.recommend import relief_rows

# ?days= of both endpoints, and the pages' links.
REPORT_DAYS = (30, 90, 365)
DEFAULT_DAYS = 90
VOICE = trend_words.REPORT

FLAG_MEANINGS = {
    "red_flag": "a screening red flag that no clinician has reviewed yet",
    "worsening": f"a 7-day average at least {trends.WORSENING_POINTS} points above the week before",
    "no_recent_checkin": f"no check-in in the last {trends.NO_CHECKIN_DAYS} days",
    "improving": f"a 7-day average at least {trends.IMPROVING_SHARE:.0%} below the first week",
}


@dataclass
class RegionRow:
    """One line of the summary table: a region's 7-day means, as text."""

    label: str
    now: str
    last_week: str
    first_week: str
    since_first: str


@dataclass
class RedFlag:
    """A screening that raised a red flag, and where it stands."""

    response: ScreeningResponse
    title: str  # what the patient was told to do
    taken: str
    findings: list
    status: str
    open: bool  # still unreviewed: no clinician has reviewed it and no later screening replaced it


@dataclass
class VisitReport:
    patient: object
    name: str
    days: int
    first_day: dt.date  # of the period asked for
    today: dt.date  # the patient's local today, the period's last day
    made_at: dt.datetime  # in the patient's zone
    made_for: object
    trends: trends.PatientTrends
    shown: list  # the days of the chart and the table: the period, from the first check-in on
    regions: list
    week_notes: list
    flags: list  # (name in words, meaning)
    leading: str
    leading_figures: str
    sitting: str
    sitting_figures: str
    screening: ScreeningResponse | None
    red_flags: list
    relief: list
    checkin_days: int
    flare_count: int
    sessions_in_period: int
    chart: object = None
    weeks: list = field(default_factory=list)  # the table of days: a Week a row, newest first

    weekday_names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # the table's columns

    @property
    def title(self):
        return f"Vida back and hip report: {self.name}, {self.period}"

    @property
    def chart_title(self):
        """The chart's text alternative (the SVG's title, the PDF figure's Alt)."""
        first, last = self.shown[0]["date"], self.shown[-1]["date"]
        kind = (
            "Two line charts on the same dates, lower back above and hip below"
            if self.chart.split
            else "Line chart of lower back and hip together"
        )
        return (
            f"{kind}: daily pain, 0 to 10, from {first:%-d %B %Y} to {last:%-d %B %Y}, with flares and "
            "completed stretch sessions marked. The table of days after it has the same values."
        )

    @property
    def made_words(self):
        return f"{self.made_at:%-d %b %Y, %H:%M} ({self.patient.timezone})"

    @property
    def screening_reasons(self):
        """The latest screening's explanation, less its red-flag sentences when a red-flag box shows them.

        The scoring puts one sentence per red flag first (screening/scoring.py).
        """
        if self.screening is None:
            return []
        shown = any(flag.response.pk == self.screening.pk for flag in self.red_flags)
        return self.screening.explanation[len(self.screening.red_flags) if shown else 0 :]

    @property
    def screening_taken(self):
        return self.screening and f"{self.screening.created_at.astimezone(self.patient.zone):%-d %b %Y}"

    @property
    def trends_windows(self):
        """The fixed windows the two patterns read, whatever the period."""
        return {"leading": trends.LEADING_WINDOW_DAYS, "sitting": trends.SITTING_WINDOW_DAYS}

    @property
    def period(self):
        return period_words(self.first_day, self.today)

    def filename(self):
        who = slugify(self.name) or "patient"
        return f"vida-report-{who}-{self.today.isoformat()}-{self.days}-days.pdf"


def period_words(first, last):
    """The period as a heading gives it, e.g. "7 Aug to 4 Nov 2026" with an en dash."""
    if first.year == last.year:
        return f"{first:%-d %b} – {last:%-d %b %Y}"
    return f"{first:%-d %b %Y} – {last:%-d %b %Y}"


def mean_words(value):
    return "–" if value is None else trend_words.points(value)


def signed_points(difference):
    """A change on the 0-10 scale, rounded as trend_words rounds: "+1.2", "0.0", a minus sign for a fall."""
    difference = round(difference, 1)
    return trend_words.points(0) if difference == 0 else f"{difference:+.1f}".replace("-", "−")


def region_rows(report):
    """This week, last week and the first week, per region, written as trend_words writes them.

    The change since the first week shows once trend_words compares them (until then
    the week's notes say how many days are still needed).
    """
    summary = report.summary
    compare_first = trend_words.first_week_comparable(report.first_checkin, report.today)
    rows = []
    for region, label in trend_words.REGIONS:
        now, first = summary[f"{region}_7d_mean"], summary[f"{region}_baseline_mean"]
        since = "–"
        if compare_first and now is not None and first is not None:
            since = signed_points(now - first)
        rows.append(
            RegionRow(
                label=label,
                now=mean_words(now),
                last_week=mean_words(summary[f"{region}_prev_7d_mean"]),
                first_week=mean_words(first),
                since_first=since,
            )
        )
    return rows


def leading_figures(result):
    """The numbers behind the leading-region sentence, for the clinician."""
    r = result["correlations"]
    if result["label"] == "insufficient_data" and all(value is None for value in r.values()):
        return ""

    def corr(lag):
        return "–" if r[lag] is None else f"{r[lag]:.2f}"

    return (
        f"Correlation of day-to-day changes: hip a day first {corr('1')}, same day {corr('0')}, "
        f"back a day first {corr('-1')}; {result['days_used']} pairs of days."
    )


def sitting_figures(result):
    if result["back_after_long"] is None:
        return ""
    return (
        f"Next-day back pain after more than {trend_words.hours(result['cut_hours'])} sitting "
        f"{trend_words.points(result['back_after_long'])} ({result['long_days']} days), "
        f"after shorter days {trend_words.points(result['back_after_other'])} ({result['other_days']} days)."
    )


def red_flag_status(response, later, zone):
    """Where a red flag stands, in words; ``later`` is the next screening after it, if any."""
    if response.reviewed_at is not None:
        reviewer = str(response.reviewed_by) if response.reviewed_by else "a clinician"
        return f"Reviewed by {reviewer} on {response.reviewed_at.astimezone(zone):%-d %b %Y}."
    if response.doctor_checked_on is not None:
        return (
            f"Patient reports a doctor checked this on {response.doctor_checked_on:%-d %b %Y}; "
            "not yet reviewed by a clinician."
        )
    if later is not None:
        outcome = "raised a red flag again" if later.has_red_flag else "was clear"
        return f"Not reviewed; a later screening on {later.created_at.astimezone(zone):%-d %b %Y} {outcome}."
    return "Not yet reviewed by a clinician."


def screening_part(patient, period_start):
    """The latest screening, and every red flag raised in the period or still open, newest first.

    One query: the responses from the period on, with the one before it, so the
    latest is there even when it is older. An open red flag is the latest
    response's, unreviewed (``ScreeningResponse.objects.unreviewed``'s rule).
    """
    responses = list(
        ScreeningResponse.objects.for_patient(patient)
        .filter(Q(created_at__gte=period_start) | Q(pk__in=_latest_before(patient, period_start)))
        .select_related("reviewed_by")
        .order_by("created_at")
    )
    latest = responses[-1] if responses else None
    flagged = []
    for index, response in enumerate(responses):
        is_open = response is latest and response.has_red_flag and response.reviewed_at is None
        if not response.has_red_flag or not (is_open or response.created_at >= period_start):
            continue
        later = responses[index + 1] if index + 1 < len(responses) else None
        flagged.append(
            RedFlag(
                response=response,
                title=response.guidance.title,
                taken=f"{response.created_at.astimezone(patient.zone):%-d %b %Y}",
                findings=response.red_flag_findings(),
                status=red_flag_status(response, later, patient.zone),
                open=is_open,
            )
        )
    flagged.reverse()
    return latest, flagged


def _latest_before(patient, instant):
    return (
        ScreeningResponse.objects.for_patient(patient)
        .filter(created_at__lt=instant)
        .order_by("-created_at")
        .values("pk")[:1]
    )


def gather(patient, days=DEFAULT_DAYS, *, made_for=None, now=None):
    """Everything the report says about ``patient`` over the last ``days`` local days.

    A fixed number of queries whatever the length of the period.
    """
    if days not in REPORT_DAYS:
        raise ValueError(f"days must be one of {REPORT_DAYS}, not {days!r}")
    now = now or timezone.now()
    report = trends.patient_trends(patient, days, now=now)
    today = report.today
    first_day = today - dt.timedelta(days=days - 1)
    period_start = dt.datetime.combine(first_day, dt.time(), tzinfo=patient.zone)
    window = report.window
    # The chart and the table begin at the first check-in when that is inside
    # the period: a year asked for by someone who joined last month is a month.
    first_checkin = report.first_checkin
    shown = [day for day in window if first_checkin is None or day["date"] >= first_checkin] or window
    latest, red_flags = screening_part(patient, period_start)
    result = VisitReport(
        patient=patient,
        name=str(patient),
        days=days,
        first_day=first_day,
        today=today,
        made_at=now.astimezone(patient.zone),
        made_for=made_for,
        trends=report,
        shown=shown,
        regions=region_rows(report),
        week_notes=trend_words.week_notes(report, VOICE),
        flags=[(FLAG_WORDS[name], FLAG_MEANINGS[name]) for name in report.flags],
        leading=trend_words.leading_sentence(report.leading_region, VOICE),
        leading_figures=leading_figures(report.leading_region),
        sitting=trend_words.sitting_sentence(report.sitting_link, VOICE),
        sitting_figures=sitting_figures(report.sitting_link),
        screening=latest,
        red_flags=red_flags,
        relief=relief_rows(patient),
        checkin_days=sum(1 for day in window if day["back_pain"] is not None),
        flare_count=sum(day["flares"] for day in window),
        sessions_in_period=sum(day["sessions_completed"] for day in window),
    )
    if result.checkin_days:
        result.chart = chart(shown)
        result.weeks = weeks(shown)
    return result


@dataclass
class Week:
    monday: dt.date
    days: list  # seven DayCell, Monday first


@dataclass
class DayCell:
    date: dt.date
    text: str = ""  # two lines: the pains, then sitting and marks
    shown: bool = True  # False: before the first day shown, or after today


FLARE_MARK = "▲"
SESSION_MARK = "◆"


def day_text(day):
    """ "B 4 · H 6" over "7.5 h ▲ ◆": the day's pains, hours sitting, a flare, a stretch session.

    A mark carries its count when there was more than one that day.
    """
    pains = "–" if day["back_pain"] is None else f"B {day['back_pain']} · H {day['hip_pain']}"
    details = []
    if day["sitting_hours"] is not None:
        details.append(trend_words.hours(day["sitting_hours"]))
    for mark, count in ((FLARE_MARK, day["flares"]), (SESSION_MARK, day["sessions_completed"])):
        if count:
            details.append(mark if count == 1 else f"{mark}{count}")
    return f"{pains}\n{' '.join(details)}" if details else pains


def weeks(days):
    """``days`` (oldest first) as calendar weeks, Monday to Sunday, newest week first.

    A paper pain diary's layout: a year of days fits two pages, and a pattern
    that follows the working week shows down the columns.
    """
    by_date = {day["date"]: day for day in days}
    first, last = days[0]["date"], days[-1]["date"]
    monday = last - dt.timedelta(days=last.weekday())
    rows = []
    while monday + dt.timedelta(days=6) >= first:
        cells = []
        for offset in range(7):
            date = monday + dt.timedelta(days=offset)
            day = by_date.get(date)
            cells.append(DayCell(date, day_text(day)) if day else DayCell(date, shown=False))
        rows.append(Week(monday, cells))
        monday -= dt.timedelta(days=7)
    return rows


def report_html(report):
    return render_to_string("reports/report.html", {"report": report})


def render_pdf(report):
    """The PDF of a gathered report, as bytes."""
    from weasyprint import HTML  # imported on first use: it loads pango, which only reports need

    return HTML(string=report_html(report)).write_pdf(pdf_variant="pdf/ua-1")


def report_pdf(patient, days=DEFAULT_DAYS, *, made_for=None, now=None) -> bytes:
    """The report on ``patient`` over the last ``days`` (30, 90 or 365) local days, as PDF bytes."""
    return render_pdf(gather(patient, days, made_for=made_for, now=now))
