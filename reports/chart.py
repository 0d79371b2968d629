"""The report's chart of back against hip, drawn on the server as SVG.

``chart(days)`` turns the daily series (``checkins.trends``' dicts, oldest
first) into coordinates; ``reports/_chart.svg`` writes them out. The chart has
to read on a black-and-white printout, so the two regions differ in more than
colour: the lower back is a solid line with filled round markers, the hip a
dashed line with open square markers. Flares are marked as triangles in a band
above the pain scale and completed stretch sessions as diamonds in a band below
it, so a mark never hides a pain point.

Over a long range the days are closer together than a marker is wide, and two
jagged lines on one scale become one grey tangle on paper. Past
OVERLAY_UP_TO_DAYS the regions get a panel each, one above the other on the
same dates: which one leads by a day cannot be seen at that scale anyway (the
report says it in words), while each region's course can.

Each kind of mark is one SVG path made of many sub-paths: a year is a few
dozen elements rather than a thousand, which keeps the PDF small and quick to lay out.
"""

import datetime as dt
from dataclasses import dataclass, field

# The drawing, in points (the template gives the SVG this size in pt).
WIDTH = 504  # 178 mm: the text width of the report page
HEIGHT = 172
LEFT, RIGHT = 26, WIDTH - 6  # the plot area across, after the y labels
FLARE_BAND = (16, 23)  # the triangles above the scale
PLOT = (28, 120)  # where the highest and the lowest pain are drawn, both regions together
PANEL_GAP = 16  # between the two panels of a long range
SESSION_BAND = (125, 132)  # the diamonds below the scale
TICK_LABEL_Y = 145
LEGEND_Y = 165

# Up to this many days both regions share one scale and every check-in has a marker.
OVERLAY_UP_TO_DAYS = 100


@dataclass
class Tick:
    x: str
    label: str


@dataclass
class Panel:
    """One 0-10 scale, with the lines drawn on it."""

    top: float  # where pain 10 is
    bottom: float  # where pain 0 is
    label: str = ""  # the region, when each has a panel of its own
    pain_ticks: list = field(default_factory=list)  # (y, label)
    back_line: str = ""  # path data; a day without a check-in breaks the line
    hip_line: str = ""
    back_markers: str = ""
    hip_markers: str = ""

    def y(self, value):
        return self.bottom - (self.bottom - self.top) * value / 10


@dataclass
class Chart:
    days: int
    panels: list = field(default_factory=list)
    flares: str = ""
    sessions: str = ""
    ticks: list = field(default_factory=list)  # dates along the x axis
    split: bool = False  # a panel per region
    width: int = WIDTH
    height: int = HEIGHT
    left: float = LEFT
    right: float = RIGHT
    plot_top: float = PLOT[0]
    plot_bottom: float = PLOT[1]
    tick_mark_end: float = SESSION_BAND[1] + 3
    tick_label_y: float = TICK_LABEL_Y
    legend_y: float = LEGEND_Y


def _n(value):
    """A coordinate as short text: two decimals at most, so a year of points stays small."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _line(points):
    """Path data through ``points`` (None breaks the line), e.g. "M1 2L3 4M7 8L9 9"."""
    parts, drawing = [], False
    for point in points:
        if point is None:
            drawing = False
            continue
        x, y = point
        parts.append(f"{'L' if drawing else 'M'}{_n(x)} {_n(y)}")
        drawing = True
    return "".join(parts)


def _dots(points):
    """Zero-length sub-paths: drawn with a round line cap they are filled circles, with no arcs to compute."""
    return "".join(f"M{_n(x)} {_n(y)}h0" for x, y in points)


def _squares(points, half):
    side = _n(2 * half)
    return "".join(f"M{_n(x - half)} {_n(y - half)}h{side}v{side}h-{side}Z" for x, y in points)


def _triangles(xs, half, top, bottom):
    """Triangles pointing down onto the day, from ``top`` to ``bottom``."""
    return "".join(f"M{_n(x - half)} {top}L{_n(x + half)} {top}L{_n(x)} {bottom}Z" for x in xs)


def _diamonds(xs, half, top, bottom):
    middle = _n((top + bottom) / 2)
    return "".join(
        f"M{_n(x)} {top}L{_n(x + half)} {middle}L{_n(x)} {bottom}L{_n(x - half)} {middle}Z" for x in xs
    )


def date_ticks(first, last):
    """The dates labelled along the x axis, as (date, label), chosen by the length of the range.

    Up to five weeks: every seventh day counted back from the last, so the last
    day is always labelled. Up to four months: the 1st and the 15th. Longer:
    the first of each month, with the year on January and on the first label.
    """
    span = (last - first).days + 1
    days = [first + dt.timedelta(days=n) for n in range(span)]
    if span <= 35:
        return [(day, f"{day.day} {day:%b}") for day in days if (last - day).days % 7 == 0]
    if span <= 120:
        return [(day, f"{day.day} {day:%b}") for day in days if day.day in (1, 15)]
    ticks = []
    for day in days:
        if day.day == 1:
            label = f"{day:%b %Y}" if day.month == 1 or not ticks else f"{day:%b}"
            ticks.append((day, label))
    return ticks


def chart(days):
    """The chart of ``days`` (trends' daily dicts, oldest first), ready for ``reports/_chart.svg``."""
    count = len(days)
    split = count > OVERLAY_UP_TO_DAYS
    result = Chart(days=count, split=split)
    if split:
        middle = (PLOT[0] + PLOT[1]) / 2
        back = Panel(PLOT[0], middle - PANEL_GAP / 2, label="Lower back")
        hip = Panel(middle + PANEL_GAP / 2, PLOT[1], label="Hip")
        result.panels = [back, hip]
        for panel in result.panels:
            panel.pain_ticks = [(_n(panel.y(value)), str(value)) for value in (0, 5, 10)]
    else:
        back = hip = Panel(*PLOT)
        back.pain_ticks = [(_n(back.y(value)), str(value)) for value in (0, 2, 4, 6, 8, 10)]
        result.panels = [back]
    if not count:
        return result
    step = (RIGHT - LEFT) / count

    def x_of(index):
        return LEFT + step * (index + 0.5)

    def points(panel, key):
        return [None if d[key] is None else (x_of(i), panel.y(d[key])) for i, d in enumerate(days)]

    back_points, hip_points = points(back, "back_pain"), points(hip, "hip_pain")
    back.back_line = _line(back_points)
    hip.hip_line = _line(hip_points)
    if not split:
        back.back_markers = _dots([p for p in back_points if p])
        hip.hip_markers = _squares([p for p in hip_points if p], 1.7)
    # Marks as wide as a day allows, never so small they vanish in print.
    half = min(3.0, max(step * 0.45, 1.1))
    result.flares = _triangles([x_of(i) for i, d in enumerate(days) if d["flares"]], half, *FLARE_BAND)
    result.sessions = _diamonds(
        [x_of(i) for i, d in enumerate(days) if d["sessions_completed"]], half, *SESSION_BAND
    )
    first = days[0]["date"]
    result.ticks = [
        Tick(_n(x_of((day - first).days)), label) for day, label in date_ticks(first, days[-1]["date"])
    ]
    return result
