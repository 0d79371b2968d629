"""Demo stretch videos: the catalog and the functions that render it with ffmpeg.

The catalog below is plain data. ``build_timeline`` turns one entry into timed
segments (get-ready intro, one segment per step, a short outro); the same
segments drive the frames drawn by ffmpeg and the WebVTT cues, so the captions
always match what is on screen.

Each step is on screen for:

* a transition step (``hold_seconds == 0``): a reading time that grows with the
  length of the text (``transition_seconds``), with a small "Next in N" countdown;
* a hold step: ``SETTLE_SECONDS`` to get into position, then the hold itself with
  a large "Hold N" countdown.

``make_demo_stretches`` (the management command) calls ``generate_all``; the
output is committed in ``demo/media/`` so the demo works without ffmpeg.
"""

from __future__ import annotations

import html
import json
import math
import shutil
import subprocess
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEMO_MEDIA_DIR = Path(__file__).resolve().parent / "media"
CATALOG_FILENAME = "catalog.json"

REGIONS = ("hip_flexors", "lumbar", "both")
INTENSITIES = ("gentle", "moderate")

# Video format: small enough that the six files stay a few MB in the repository.
WIDTH = 640
HEIGHT = 360
FPS = 15
# Frames barely change, so keyframes are most of the bytes; one every 10 s still
# seeks instantly (decoding at most 150 nearly empty frames).
KEYFRAME_INTERVAL = 10 * FPS
X264_CRF = 27
VP9_CRF = 36

# Timeline (whole seconds, so every segment boundary falls on a frame).
INTRO_SECONDS = 7
SETTLE_SECONDS = 4
OUTRO_SECONDS = 4
MIN_TRANSITION_SECONDS = 5
MAX_TRANSITION_SECONDS = 8
READING_WORDS_PER_SECOND = 2.5

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

TEXT_COLOUR = "white"
MUTED_COLOUR = "white@0.75"
ACCENT_COLOUR = "0xF6D98B"

# Calm two-colour gradients, one per region.
BACKGROUNDS = {
    "hip_flexors": ("0x1D4A52", "0x2E6B68"),
    "lumbar": ("0x1C3553", "0x2C5677"),
    "both": ("0x2F2C55", "0x2A5571"),
}

REGION_LABELS = {"hip_flexors": "Hip flexors", "lumbar": "Lower back", "both": "Hips and lower back"}

CATALOG: list[dict] = [
    {
        "slug": "kneeling-hip-flexor-stretch",
        "title": "Kneeling hip flexor stretch",
        "description": (
            "A classic stretch for the front of the hip, done on one knee. "
            "Small, slow movements are enough to feel it."
        ),
        "region": "hip_flexors",
        "intensity": "gentle",
        "cautions": (
            "Kneel on a cushion or folded towel. Stop if you feel sharp pain, "
            "or pain, tingling or numbness spreading down a leg."
        ),
        "steps": [
            {
                "text": "Kneel on your right knee on a cushion. Put your left foot flat in front, "
                "knee above the ankle.",
                "hold_seconds": 0,
            },
            {
                "text": "Tuck your tailbone under and gently squeeze your right buttock. Shift forward "
                "until you feel a stretch at the front of the right hip.",
                "hold_seconds": 25,
            },
            {
                "text": "Ease back slowly. Switch sides: left knee down, right foot in front.",
                "hold_seconds": 0,
            },
            {
                "text": "Tuck your tailbone under and gently squeeze your left buttock. Shift forward "
                "until you feel a stretch at the front of the left hip.",
                "hold_seconds": 25,
            },
            {
                "text": "Ease back slowly and come up to standing, using a chair if that helps.",
                "hold_seconds": 0,
            },
        ],
    },
    {
        "slug": "standing-hip-flexor-stretch",
        "title": "Standing hip flexor stretch",
        "description": (
            "A gentle hip flexor stretch you can do standing, with a wall or chair for balance. "
            "Good for days when getting down to the floor is hard."
        ),
        "region": "hip_flexors",
        "intensity": "gentle",
        "cautions": (
            "Keep a hand on a wall or sturdy chair for balance. Stop if you feel sharp pain, "
            "or pain spreading down a leg."
        ),
        "steps": [
            {
                "text": "Stand tall beside a wall or sturdy chair and rest one hand on it.",
                "hold_seconds": 0,
            },
            {
                "text": "Step your left foot back into a short stride, both feet pointing forward.",
                "hold_seconds": 0,
            },
            {
                "text": "Tuck your tailbone under and bend both knees a little. Feel a gentle stretch "
                "at the front of the left hip.",
                "hold_seconds": 25,
            },
            {
                "text": "Bring your feet together. Now step your right foot back.",
                "hold_seconds": 0,
            },
            {
                "text": "Tuck your tailbone under and bend both knees a little. Feel a gentle stretch "
                "at the front of the right hip.",
                "hold_seconds": 25,
            },
            {
                "text": "Bring your feet together and stand tall. Let your shoulders relax.",
                "hold_seconds": 0,
            },
        ],
    },
    {
        "slug": "half-kneeling-hip-flexor-reach",
        "title": "Half-kneeling hip flexor stretch with overhead reach",
        "description": (
            "The kneeling hip flexor stretch with one arm reaching overhead, "
            "which carries the stretch up along the side of the body."
        ),
        "region": "both",
        "intensity": "moderate",
        "cautions": (
            "Kneel on a cushion and hold a chair for balance if you need to. Keep the lean small. "
            "Stop if you feel sharp pain, or pain spreading down a leg."
        ),
        "steps": [
            {
                "text": "Kneel on your right knee on a cushion, left foot flat in front. "
                "Hold a chair for balance if you need it.",
                "hold_seconds": 0,
            },
            {
                "text": "Tuck your tailbone and shift forward gently until you feel the front "
                "of the right hip.",
                "hold_seconds": 0,
            },
            {
                "text": "Reach your right arm up overhead and lean slightly to the left. "
                "Keep your ribs down and breathe.",
                "hold_seconds": 20,
            },
            {
                "text": "Lower your arm and ease back. Switch sides: left knee down, right foot in front.",
                "hold_seconds": 0,
            },
            {
                "text": "Tuck your tailbone, shift forward gently, then reach your left arm up "
                "and lean slightly to the right.",
                "hold_seconds": 20,
            },
            {
                "text": "Lower your arm, ease back slowly and come up to standing.",
                "hold_seconds": 0,
            },
        ],
    },
    {
        "slug": "pelvic-tilts",
        "title": "Pelvic tilts (lying)",
        "description": (
            "Small, slow tilts of the pelvis while lying on your back. A gentle way to move the lower back."
        ),
        "region": "lumbar",
        "intensity": "gentle",
        "cautions": (
            "Keep the movement small and comfortable, and keep breathing. "
            "Stop if you feel sharp pain, or pain spreading down a leg."
        ),
        "steps": [
            {
                "text": "Lie on your back with your knees bent and feet flat, hip-width apart. "
                "Rest your arms by your sides.",
                "hold_seconds": 0,
            },
            {
                "text": "Gently tighten your stomach and tilt your pelvis so your lower back "
                "presses toward the floor. Keep breathing.",
                "hold_seconds": 10,
            },
            {
                "text": "Relax and let your lower back return to its natural curve.",
                "hold_seconds": 0,
            },
            {
                "text": "Again: tilt your pelvis and press your lower back gently toward the floor.",
                "hold_seconds": 10,
            },
            {
                "text": "Relax. Let your back settle.",
                "hold_seconds": 0,
            },
            {
                "text": "One more time: tilt your pelvis and press your lower back gently toward the floor.",
                "hold_seconds": 10,
            },
            {
                "text": "Relax completely and let your breathing settle.",
                "hold_seconds": 0,
            },
        ],
    },
    {
        "slug": "childs-pose",
        "title": "Child's pose",
        "description": (
            "A resting stretch on hands and knees that lets the lower back round and lengthen. "
            "Walking the hands to each side reaches the sides of the back."
        ),
        "region": "lumbar",
        "intensity": "gentle",
        "cautions": (
            "Kneel on something soft. If your knees complain, put a cushion between your hips and "
            "heels. Stop if you feel sharp pain, or pain spreading down a leg."
        ),
        "steps": [
            {
                "text": "Kneel on a soft surface with your knees apart and your big toes touching.",
                "hold_seconds": 0,
            },
            {
                "text": "Sit your hips back toward your heels and walk your hands forward. "
                "Rest your forehead on the floor or a cushion.",
                "hold_seconds": 30,
            },
            {
                "text": "Walk your hands a little to the right. Feel the stretch along the left side "
                "of your back.",
                "hold_seconds": 20,
            },
            {
                "text": "Walk your hands over to the left. Feel the stretch along the right side "
                "of your back.",
                "hold_seconds": 20,
            },
            {
                "text": "Walk your hands back to the centre and slowly come up to kneeling.",
                "hold_seconds": 0,
            },
        ],
    },
    {
        "slug": "knee-to-chest",
        "title": "Knee-to-chest stretch",
        "description": (
            "Lying on your back, you hug one knee and then both knees toward your chest. "
            "A gentle stretch for the lower back and buttocks."
        ),
        "region": "lumbar",
        "intensity": "gentle",
        "cautions": (
            "Hold behind the thigh, not over the kneecap. Pull only as far as is comfortable. "
            "Stop if you feel sharp pain, or pain spreading down a leg."
        ),
        "steps": [
            {
                "text": "Lie on your back with both knees bent and your feet flat on the floor.",
                "hold_seconds": 0,
            },
            {
                "text": "Bring your right knee toward your chest and hold behind the thigh with "
                "both hands. Let your lower back relax.",
                "hold_seconds": 25,
            },
            {
                "text": "Lower your right foot slowly back to the floor.",
                "hold_seconds": 0,
            },
            {
                "text": "Bring your left knee toward your chest and hold behind the thigh. Breathe slowly.",
                "hold_seconds": 25,
            },
            {
                "text": "Lower your left foot slowly. If it feels comfortable, bring both knees in together.",
                "hold_seconds": 0,
            },
            {
                "text": "Hold both knees gently toward your chest and let your lower back soften.",
                "hold_seconds": 20,
            },
            {
                "text": "Lower your feet one at a time and rest.",
                "hold_seconds": 0,
            },
        ],
    },
]


# --------------------------------------------------------------------------- timeline


@dataclass(frozen=True)
class Segment:
    """A stretch of the video's timeline, in whole seconds from the start."""

    kind: str  # "intro", "step" or "outro"
    start: int
    end: int
    text: str
    step_number: int = 0  # 1-based for steps
    hold_seconds: int = 0

    @property
    def hold_start(self) -> int:
        """When the hold countdown starts (hold steps only)."""
        return self.end - self.hold_seconds


def transition_seconds(text: str) -> int:
    """Time on screen for a step with no hold: enough to read it at a calm pace."""
    words = len(text.split())
    reading = math.ceil(words / READING_WORDS_PER_SECOND)
    return max(MIN_TRANSITION_SECONDS, min(MAX_TRANSITION_SECONDS, reading))


def step_seconds(step: dict, settle_seconds: int = SETTLE_SECONDS) -> int:
    hold = int(step["hold_seconds"])
    return settle_seconds + hold if hold > 0 else transition_seconds(step["text"])


def build_timeline(
    entry: dict,
    intro_seconds: int = INTRO_SECONDS,
    settle_seconds: int = SETTLE_SECONDS,
    outro_seconds: int = OUTRO_SECONDS,
) -> list[Segment]:
    segments = [Segment("intro", 0, intro_seconds, f"{entry['title']}. Get ready.")]
    t = intro_seconds
    for number, step in enumerate(entry["steps"], start=1):
        length = step_seconds(step, settle_seconds)
        segments.append(Segment("step", t, t + length, step["text"], number, int(step["hold_seconds"])))
        t += length
    outro = "Well done. Notice how your back and hips feel now."
    segments.append(Segment("outro", t, t + outro_seconds, outro))
    return segments


def timeline_seconds(segments: list[Segment]) -> int:
    return segments[-1].end


# --------------------------------------------------------------------------- captions


def _vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


# Captions sit at the top of the frame: there they cover the instruction they
# repeat, while the hold countdown drawn lower down stays in sight.
CUE_SETTINGS = "line:0"


def render_vtt(segments: list[Segment]) -> str:
    """One cue per segment, timed exactly like the frames."""
    lines = ["WEBVTT", ""]
    for seg in segments:
        lines.append(f"{seg.kind}-{seg.step_number}" if seg.kind == "step" else seg.kind)
        lines.append(f"{_vtt_time(seg.start)} --> {_vtt_time(seg.end)} {CUE_SETTINGS}")
        lines.append(html.escape(seg.text, quote=False))
        lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- ffmpeg


class FFmpegMissing(RuntimeError):
    pass


def ffmpeg_available() -> bool:
    return bool(shutil.which("ffmpeg") and shutil.which("ffprobe"))


def _run(cmd: list[str], cwd: Path | None = None) -> str:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
    return result.stdout


def probe(path: Path) -> dict:
    """Codec, size and duration of the first video stream, read by ffprobe."""
    out = _run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=codec_name,width,height,pix_fmt:format=duration",
            "-of",
            "json",
            str(path),
        ]
    )
    data = json.loads(out)
    stream = data["streams"][0]
    return {
        "codec": stream["codec_name"],
        "width": stream["width"],
        "height": stream["height"],
        "pix_fmt": stream.get("pix_fmt"),
        "duration": float(data["format"]["duration"]),
    }


def _font_option(bold: bool) -> str:
    path = FONT_BOLD if bold else FONT_REGULAR
    if path.exists():
        return f"fontfile={_escape_value(str(path))}"
    return "font='DejaVu Sans" + (":style=Bold'" if bold else "'")


def _escape_value(value: str) -> str:
    """Quote a filter option value for both the option and the graph parser."""
    # Inside '...' nothing is special except the quote itself.
    return "'" + value.replace("'", "'\\''") + "'"


class _Graph:
    """Collects drawtext filters; every text goes through a file, so quotes and
    colons in instructions need no escaping."""

    def __init__(self, workdir: Path, height: int):
        self.workdir = workdir
        self.filters: list[str] = []
        self.scale = height / 360
        self._n = 0

    def _textfile(self, content: str) -> str:
        self._n += 1
        name = f"t{self._n:03d}.txt"
        (self.workdir / name).write_text(content, encoding="utf-8")
        return name

    def text(
        self,
        content: str,
        *,
        size: float,
        y: float,
        start: float,
        end: float,
        x: str = "(w-text_w)/2",
        bold: bool = False,
        colour: str = TEXT_COLOUR,
        expand: bool = False,
    ) -> None:
        name = self._textfile(content)
        opts = [
            _font_option(bold),
            f"textfile={name}",
            f"expansion={'normal' if expand else 'none'}",
            f"fontsize={round(size * self.scale)}",
            f"fontcolor={colour}",
            "shadowcolor=black@0.35",
            f"shadowx={max(1, round(self.scale))}",
            f"shadowy={max(1, round(self.scale))}",
            f"x={x}",
            f"y={round(y * self.scale)}",
            f"enable='gte(t,{start})*lt(t,{end})'",
        ]
        self.filters.append("drawtext=" + ":".join(opts))

    def lines(self, lines: list[str], *, size: float, top: float, line_height: float, **kw) -> None:
        for i, line in enumerate(lines):
            self.text(line, size=size, y=top + i * line_height, **kw)


def _wrap(text: str, size: float, max_width: float, bold: bool = False) -> list[str]:
    """Wrap to fit ``max_width`` (in 360p pixels), with lines of even length.

    DejaVu Sans averages about half an em per character in ordinary text; the
    factor is on the safe side so lines never reach the frame edges. Narrowing
    the width while the line count stays the same avoids a lone last word.
    """
    per_char = size * (0.6 if bold else 0.52)
    width = max(10, int(max_width / per_char))
    lines = textwrap.wrap(text, width=width, break_on_hyphens=False)
    while width > 10:
        narrower = textwrap.wrap(text, width=width - 1, break_on_hyphens=False)
        if len(narrower) > len(lines):
            break
        width, lines = width - 1, narrower
    return lines


def _duration_label(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    if minutes == 0:
        return f"{secs} s"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


def _build_filters(entry: dict, segments: list[Segment], workdir: Path, width: int, height: int) -> list[str]:
    g = _Graph(workdir, height)
    total = timeline_seconds(segments)
    usable = 360 * width / height - 2 * 40  # text area width in 360p units
    steps = [s for s in segments if s.kind == "step"]

    for seg in segments:
        a, b = seg.start, seg.end
        if seg.kind == "intro":
            title = _wrap(entry["title"], 32, usable, bold=True)[:2]
            title_top = 52 if len(title) == 1 else 34
            g.lines(title, size=32, top=title_top, line_height=42, start=a, end=b, bold=True)
            meta = (
                f"{entry['intensity'].capitalize()}  ·  {REGION_LABELS[entry['region']]}"
                f"  ·  about {_duration_label(total)}"
            )
            g.text(meta, size=18, y=124, start=a, end=b, colour=MUTED_COLOUR)
            cautions = _wrap(entry["cautions"], 17, usable)[:4]
            g.lines(cautions, size=17, top=172, line_height=24, start=a, end=b)
            g.text(
                f"Get ready  %{{eif:ceil({b}-t):d}}",
                size=28,
                y=290,
                start=a,
                end=b,
                bold=True,
                colour=ACCENT_COLOUR,
                expand=True,
            )
        elif seg.kind == "outro":
            g.text("Well done", size=40, y=118, start=a, end=b, bold=True)
            g.lines(
                _wrap("Notice how your back and hips feel now.", 22, usable),
                size=22,
                top=186,
                line_height=30,
                start=a,
                end=b,
                colour=MUTED_COLOUR,
            )
        else:
            margin = round(24 * g.scale)
            g.text(
                f"Step {seg.step_number} of {len(steps)}",
                size=16,
                y=18,
                x=str(margin),
                start=a,
                end=b,
                colour=MUTED_COLOUR,
            )
            short_title = _wrap(entry["title"], 16, usable / 2)[0]
            if short_title != entry["title"]:
                short_title = short_title.rstrip(" ,") + "…"
            g.text(short_title, size=16, y=18, x=f"w-text_w-{margin}", start=a, end=b, colour=MUTED_COLOUR)
            lines = _wrap(seg.text, 24, usable)
            line_height = 34
            top = 140 - len(lines) * line_height / 2
            g.lines(lines, size=24, top=top, line_height=line_height, start=a, end=b)
            if seg.hold_seconds:
                h = seg.hold_start
                g.text(
                    f"Get into position  %{{eif:ceil({h}-t):d}}",
                    size=24,
                    y=268,
                    start=a,
                    end=h,
                    colour=MUTED_COLOUR,
                    expand=True,
                )
                g.text(
                    f"Hold %{{eif:ceil({b}-t):d}}",
                    size=48,
                    y=254,
                    start=h,
                    end=b,
                    bold=True,
                    colour=ACCENT_COLOUR,
                    expand=True,
                )
            else:
                is_last = seg.step_number == len(steps)
                label = "Finishing in" if is_last else "Next step in"
                g.text(
                    f"{label}  %{{eif:ceil({b}-t):d}}",
                    size=22,
                    y=272,
                    start=a,
                    end=b,
                    colour=MUTED_COLOUR,
                    expand=True,
                )
    return g.filters


def _render_background(path: Path, region: str, width: int, height: int) -> None:
    """A single still frame: a soft diagonal gradient between the region's two colours."""
    c0, c1 = (_rgb(c) for c in BACKGROUNDS[region])
    mix = "(X/W+Y/H)/2"
    channels = ":".join(f"{name}='{a}+({b}-{a})*{mix}'" for name, a, b in zip("rgb", c0, c1))
    _run(
        [
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"color=c=black:s={width}x{height}:d=1,format=rgb24,geq={channels}",
            "-frames:v",
            "1",
            "-update",
            "1",
            str(path),
        ]
    )


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.removeprefix("0x"), 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def render_video(
    entry: dict,
    segments: list[Segment],
    mp4_path: Path,
    webm_path: Path,
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    fps: int = FPS,
    threads: int = 2,
) -> None:
    """Draw the timeline on a calm background; encode H.264 MP4 and VP9 WebM in one pass."""
    total = timeline_seconds(segments)
    with tempfile.TemporaryDirectory(prefix="vida-stretch-") as tmp:
        work = Path(tmp)
        _render_background(work / "bg.png", entry["region"], width, height)
        bar_h = max(2, round(4 * height / 360))
        chain = [
            f"[0:v]format=yuv420p,drawbox=x=0:y=ih-{bar_h}:w=iw:h={bar_h}:color=white@0.15:t=fill[base]",
            f"color=c={ACCENT_COLOUR}:s={width}x{bar_h}:r={fps}:d={total}[bar]",
            # The progress bar slides in from the left over the whole video.
            f"[base][bar]overlay=x='-w+w*t/{total}':y=H-h:eof_action=pass[withbar]",
            "[withbar]"
            + ",".join(_build_filters(entry, segments, work, width, height))
            + ",format=yuv420p,split=2[vmp4][vwebm]",
        ]
        cmd = [
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-filter_complex_threads",
            "1",
            "-loop",
            "1",
            "-framerate",
            str(fps),
            "-t",
            str(total),
            "-i",
            "bg.png",
            "-filter_complex",
            ";".join(chain),
            "-map_metadata",
            "-1",
            # H.264 MP4
            "-map",
            "[vmp4]",
            "-t",
            str(total),
            "-an",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-tune",
            "stillimage",
            "-crf",
            str(X264_CRF),
            "-pix_fmt",
            "yuv420p",
            "-g",
            str(KEYFRAME_INTERVAL),
            "-threads",
            str(threads),
            "-movflags",
            "+faststart",
            str(mp4_path),
            # VP9 WebM
            "-map",
            "[vwebm]",
            "-t",
            str(total),
            "-an",
            "-c:v",
            "libvpx-vp9",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-row-mt",
            "1",
            "-crf",
            str(VP9_CRF),
            "-b:v",
            "0",
            "-pix_fmt",
            "yuv420p",
            "-g",
            str(KEYFRAME_INTERVAL),
            "-threads",
            str(threads),
            str(webm_path),
        ]
        _run(cmd, cwd=work)


def render_poster(video_path: Path, poster_path: Path, at_seconds: float) -> None:
    _run(
        [
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-ss",
            f"{at_seconds:.3f}",
            "-i",
            str(video_path),
            "-frames:v",
            "1",
            "-q:v",
            "3",
            "-update",
            "1",
            str(poster_path),
        ]
    )


def poster_time(segments: list[Segment]) -> float:
    """The intro frame: title, what the stretch is for and its cautions."""
    return min(1.0, segments[0].end / 2)


# --------------------------------------------------------------------------- generation


def files_for(slug: str) -> dict:
    return {"mp4": f"{slug}.mp4", "webm": f"{slug}.webm", "captions": f"{slug}.vtt", "poster": f"{slug}.jpg"}


def generate_stretch(
    entry: dict,
    out_dir: Path,
    *,
    progress: Callable[[str], None] | None = None,
    timeline_options: dict | None = None,
    **render_options,
) -> dict:
    """Render one catalog entry into ``out_dir``; return its catalog.json record."""
    if not ffmpeg_available():
        raise FFmpegMissing("ffmpeg and ffprobe are needed to make the demo stretch videos")
    say = progress or (lambda message: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    slug = entry["slug"]
    files = files_for(slug)
    segments = build_timeline(entry, **(timeline_options or {}))

    mp4, webm = out_dir / files["mp4"], out_dir / files["webm"]
    render_video(entry, segments, mp4, webm, **render_options)
    say(f"  {files['mp4']}  ({_kb(mp4)})")
    say(f"  {files['webm']}  ({_kb(webm)})")

    vtt = out_dir / files["captions"]
    vtt.write_text(render_vtt(segments), encoding="utf-8")
    say(f"  {files['captions']}  ({len(segments)} cues)")

    poster = out_dir / files["poster"]
    render_poster(mp4, poster, poster_time(segments))
    say(f"  {files['poster']}  ({_kb(poster)})")

    return {
        "slug": slug,
        "title": entry["title"],
        "description": entry["description"],
        "region": entry["region"],
        "intensity": entry["intensity"],
        "cautions": entry["cautions"],
        "duration_seconds": round(probe(mp4)["duration"], 3),
        "steps": [{"text": s["text"], "hold_seconds": int(s["hold_seconds"])} for s in entry["steps"]],
        "files": files,
    }


def _kb(path: Path) -> str:
    return f"{path.stat().st_size / 1024:.0f} KB"


def write_catalog(records: list[dict], out_dir: Path) -> Path:
    path = Path(out_dir) / CATALOG_FILENAME
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_catalog(out_dir: Path = DEMO_MEDIA_DIR) -> list[dict]:
    path = Path(out_dir) / CATALOG_FILENAME
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def generate_all(
    out_dir: Path = DEMO_MEDIA_DIR,
    only: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[dict]:
    """Render the catalog (or the one slug ``only``) and (re)write catalog.json.

    With ``only``, the other entries already in catalog.json are kept, so the
    file always lists every stretch whose media is present, in catalog order.
    """
    say = progress or (lambda message: None)
    out_dir = Path(out_dir)
    entries = [e for e in CATALOG if only is None or e["slug"] == only]
    if not entries:
        raise KeyError(f"no stretch with slug {only!r}")
    existing = {r["slug"]: r for r in load_catalog(out_dir)} if only else {}
    for number, entry in enumerate(entries, start=1):
        say(f"[{number}/{len(entries)}] {entry['slug']}")
        existing[entry["slug"]] = generate_stretch(entry, out_dir, progress=say)
    order = [e["slug"] for e in CATALOG]
    records = [existing[slug] for slug in order if slug in existing]
    path = write_catalog(records, out_dir)
    say(f"{path.name}  ({len(records)} stretches)")
    return records
