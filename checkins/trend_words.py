"""Trends in plain words: the cards above the history chart and the progress line on /today/.

Each card appears only once there is enough data, and otherwise says what is
missing ("9 of the 14 days needed"). The figures all come from checkins.trends;
nothing here computes a trend of its own.
"""

from dataclasses import dataclass, field

from checkins import trends

REGIONS = (("back", "Lower back"), ("hip", "Hip"))

# The first-week comparison waits until this week no longer overlaps the first.
FIRST_WEEK_COMPARABLE_AFTER = trends.BASELINE_DAYS + trends.WEEK_DAYS

# Each flag by its name in words, in trends.FLAGS order (worst first): the clinic
# pages, the morning digest and the visit report all say them so.
FLAG_WORDS = {
    "red_flag": "red flag",
    "worsening": "worsening",
    "no_recent_checkin": "no recent check-in",
    "improving": "improving",
}


@dataclass(frozen=True)
class Voice:
    """Whom the words address: the patient ("your hip") or a clinician reading about them ("their hip")."""

    your: str
    you: str
    start_week: str  # what to do when there is no check-in this week
    no_sitting: str  # what to do when no sitting time is logged

    def __call__(self, sentence):
        """``sentence`` with {your}, {Your}, {you} filled in."""
        return sentence.format(your=self.your, Your=self.your.capitalize(), you=self.you)


PATIENT = Voice(
    your="your",
    you="you",
    start_week="Check in today to start this week's average.",
    no_sitting="Add your hours of sitting to your check-ins (under “More about today”) to see this.",
)
# The visit report: written to the patient who brings it, read on paper (no app to go to).
REPORT = Voice(
    your="your",
    you="you",
    start_week="",
    no_sitting="Not enough data yet: no hours of sitting have been recorded with the check-ins.",
)
CLINICIAN = Voice(
    your="their",
    you="they",
    start_week="",
    no_sitting="No hours of sitting logged, so this cannot be worked out yet.",
)


@dataclass
class Card:
    title: str
    lines: list = field(default_factory=list)  # sentences, each shown as a paragraph
    ready: bool = True  # False: the card says what data it still needs


def points(value):
    """A mean on the 0-10 scale as people read it: one decimal."""
    return f"{value:.1f}"


def hours(value):
    return f"{value:g} h"


def change(now, then, against):
    """ "down 1.2 from last week (4.3)", "up 2.0 ...", "the same as ..."."""
    difference = round(now - then, 1)
    if difference == 0:
        return f"the same as {against} ({points(then)})"
    direction = "down" if difference < 0 else "up"
    return f"{direction} {points(abs(difference))} from {against} ({points(then)})"


def days_since_first(first_checkin, today):
    """Days from the first check-in to today, both counted; 0 before the first."""
    return 0 if first_checkin is None else (today - first_checkin).days + 1


def first_week_comparable(first_checkin, today):
    """Whether this week is compared with the first week yet (FIRST_WEEK_COMPARABLE_AFTER)."""
    return days_since_first(first_checkin, today) >= FIRST_WEEK_COMPARABLE_AFTER


def week_notes(report, voice=PATIENT):
    """What the "This week" card says beside the figures: what cannot be compared yet."""
    summary = report.summary
    if summary["back_7d_mean"] is None:
        return [f"No check-ins in the last 7 days yet. {voice.start_week}".strip()]
    notes = []
    if summary["back_prev_7d_mean"] is None:
        notes.append("Last week has no check-ins, so there is nothing to compare this week with yet.")
    if not first_week_comparable(report.first_checkin, report.today):
        notes.append(
            voice("The comparison with {your} first week appears once this week no longer overlaps it: ")
            + f"{days_since_first(report.first_checkin, report.today)} of the {FIRST_WEEK_COMPARABLE_AFTER} days needed."
        )
    return notes


def week_card(report, voice=PATIENT):
    """This week against last week and against the first week, per region, then ``week_notes``."""
    summary = report.summary
    card = Card("This week", ready=summary["back_7d_mean"] is not None)
    if card.ready:
        compare_first = first_week_comparable(report.first_checkin, report.today)
        for region, label in REGIONS:
            now = summary[f"{region}_7d_mean"]
            parts = [f"{label}: 7-day average {points(now)}"]
            previous = summary[f"{region}_prev_7d_mean"]
            if previous is not None:
                parts.append(change(now, previous, "last week"))
            if compare_first:
                parts.append(change(now, summary[f"{region}_baseline_mean"], voice("{your} first week")))
            card.lines.append(", ".join(parts) + ".")
    card.lines.extend(week_notes(report, voice))
    return card


LEADING_SENTENCES = {
    "hip_leads": (
        "{Your} hip usually stiffens about a day before {your} back. "
        "That points to the hips as the place to start."
    ),
    "back_leads": "{Your} back usually flares about a day before {your} hip.",
    "together": "{Your} hip and back tend to move together, rising and easing on the same days.",
    "independent": "{Your} back flares on its own: its ups and downs do not follow the hip's.",
}


def leading_sentence(result, voice=PATIENT):
    """One sentence for ``trends.leading_region``'s answer, enough data or not."""
    if result["label"] in LEADING_SENTENCES:
        return voice(LEADING_SENTENCES[result["label"]])
    if result["days_used"] < result["days_needed"]:
        return (
            f"Not enough data yet: {result['days_used']} of the {result['days_needed']} days needed "
            + voice("(days {you} checked in right after another check-in day, over the last ")
            + f"{trends.LEADING_WINDOW_DAYS} days)."
        )
    return voice("{Your} pain has hardly changed from day to day, so there is no pattern to read yet.")


def leading_card(report, voice=PATIENT):
    result = report.leading_region
    ready = result["label"] != "insufficient_data"
    return Card("Which region leads", [leading_sentence(result, voice)], ready=ready)


def sitting_sentence(result, voice=PATIENT):
    """One sentence for ``trends.sitting_link``'s answer, enough data or not."""
    label = result["label"]
    if label == "higher_after_sitting" or label == "lower_after_sitting":
        direction = "higher" if label == "higher_after_sitting" else "lower"
        return voice(
            f"After days with more than {hours(result['cut_hours'])} sitting, {{your}} back ran "
            f"{points(abs(result['difference']))} points {direction} the next day."
        )
    if label == "no_clear_link":
        return voice(
            f"{{Your}} back runs about the same the day after more than {hours(result['cut_hours'])} sitting "
            "as after shorter days."
        )
    if result["cut_hours"] is None:
        return voice.no_sitting
    need = result["days_needed_each"]
    return (
        f"Not enough data yet: {need} days of each kind are needed, long sitting (more than "
        f"{hours(result['cut_hours'])}) and shorter, each followed by a check-in. So far "
        f"{result['long_days']} long and {result['other_days']} shorter."
    )


def sitting_card(report, voice=PATIENT):
    result = report.sitting_link
    ready = result["label"] != "insufficient_data"
    return Card(voice("Sitting and {your} back"), [sitting_sentence(result, voice)], ready=ready)


def cards(report, voice=PATIENT):
    return [week_card(report, voice), leading_card(report, voice), sitting_card(report, voice)]


def progress_line(summary, first_checkin, today):
    """One line for /today/, e.g. "Lower back: 7-day average 3.1, down from 4.6 in your first week."

    None without a check-in in the last week.
    """
    if summary["back_7d_mean"] is None:
        return None
    compare = first_week_comparable(first_checkin, today)
    parts = []
    for region, label in REGIONS:
        now, first = summary[f"{region}_7d_mean"], summary[f"{region}_baseline_mean"]
        text = f"{label}: 7-day average {points(now)}"
        if compare:
            difference = round(now - first, 1)
            if difference < 0:
                text += f", down from {points(first)} in your first week"
            elif difference > 0:
                text += f", up from {points(first)} in your first week"
            else:
                text += ", the same as your first week"
        parts.append(text)
    return ". ".join(parts) + "."
