"""Demo stretch videos: the catalog and the functions that render it.

The catalog below is plain data. ``build_timeline`` turns one entry into timed
segments (get-ready intro, one segment per step, a short outro); the same
segments drive the frames and the WebVTT cues, so the captions always match
what is on screen.

Each frame shows a stick figure (``demo.figure``) moving into the step's pose
and holding it, beside the step's text. The frames are drawn with Pillow and
piped to ffmpeg, which encodes the MP4 and the WebM in one pass. The videos
draw no countdown: the player page's hold timer is the one clock, so the two
can never disagree. A step is on screen for:

* a transition step (``hold_seconds == 0``): a reading time that grows with the
  length of the text (``transition_seconds``);
* a hold step: ``SETTLE_SECONDS`` to get into position ("Get into position"),
  then the hold itself ("Hold and breathe").

``make_demo_stretches`` (the management command) calls ``generate_all``; the
output is committed in ``demo/media/`` so the demo works without ffmpeg or Pillow.
"""

from __future__ import annotations

import html
import json
import math
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from demo import figure
from stretches import media
from stretches.models import StretchVideo

DEMO_MEDIA_DIR = Path(__file__).resolve().parent / "media"
CATALOG_FILENAME = "catalog.json"

Region = StretchVideo.Region
Intensity = StretchVideo.Intensity

# Video format: small enough that the six files stay a few MB in the repository.
WIDTH = 640
HEIGHT = 360
FPS = 15
# One keyframe every 10 s still seeks instantly (decoding at most 150 frames of flat drawing).
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

TEXT_COLOUR = (255, 255, 255)
MUTED_COLOUR = (214, 226, 228)
ACCENT_COLOUR = (246, 217, 139)

# Calm two-colour gradients, one per region.
BACKGROUNDS = {
    Region.HIP_FLEXORS: ("0x1D4A52", "0x2E6B68"),
    Region.LUMBAR: ("0x1C3553", "0x2C5677"),
    Region.BOTH: ("0x2F2C55", "0x2A5571"),
}

FIGURE_COLOURS = figure.Colours(near=(250, 250, 244), far=(150, 186, 196), floor=(120, 160, 170))

# The frame in 640x360 units: the figure on the left, the words on the right.
TEXT_LEFT = 352
TEXT_RIGHT = 618
TEXT_TOP = 14  # the step text starts here, under where a caption appears
FIGURE_PANEL_WIDTH = 346

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


# A cue sits over the words it repeats: at the top of the right-hand column,
# where the step text starts, so it never hides the figure. The player styles
# cues at least as large as the drawn text, so a cue covers the words rather
# than doubling them.
CUE_SETTINGS = (
    f"line:0 position:{round(100 * TEXT_LEFT / WIDTH)}%,line-left "
    f"size:{round(100 * (WIDTH - TEXT_LEFT) / WIDTH) - 1}% align:start"
)


def render_vtt(segments: list[Segment]) -> str:
    """One cue per segment, timed exactly like the frames."""
    lines = ["WEBVTT", ""]
    for seg in segments:
        lines.append(f"{seg.kind}-{seg.step_number}" if seg.kind == "step" else seg.kind)
        lines.append(f"{_vtt_time(seg.start)} --> {_vtt_time(seg.end)} {CUE_SETTINGS}")
        lines.append(html.escape(seg.text, quote=False))
        lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- drawing


class FFmpegMissing(RuntimeError):
    pass


def ffmpeg_available() -> bool:
    return bool(shutil.which("ffmpeg") and shutil.which("ffprobe"))


def _run(cmd: list[str], cwd: Path | None = None) -> str:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
    return result.stdout


def _pillow():
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:  # a runtime-only install (make run) has no Pillow: it is a development tool
        raise FFmpegMissing(
            "Pillow draws the demo frames; install the development set: pip install -r requirements-dev.txt"
        ) from None
    return Image, ImageDraw, ImageFont


def _font(size: float, bold: bool = False):
    _, _, ImageFont = _pillow()
    path = FONT_BOLD if bold else FONT_REGULAR
    if path.exists():
        return ImageFont.truetype(str(path), max(6, round(size)))
    return ImageFont.load_default(max(6, round(size)))


def _wrap(text: str, font, max_width: float) -> list[str]:
    """Greedy word wrap to ``max_width`` pixels, then narrowed while the line count holds (no lone last word)."""

    def fill(width):
        lines, line = [], ""
        for word in text.split():
            candidate = f"{line} {word}".strip()
            if line and font.getlength(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        return [*lines, line] if line else lines

    lines = fill(max_width)
    width = max_width
    while width > max_width * 0.6:
        narrower = fill(width - 8)
        if len(narrower) > len(lines):
            break
        width, lines = width - 8, narrower
    return lines


def _duration_label(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    if minutes == 0:
        return f"{secs} s"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.removeprefix("0x"), 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


class _Canvas:
    """Draws the layers of one video at its size; every position is given in 640x360 units."""

    def __init__(self, entry: dict, width: int, height: int, total: int):
        self.Image, self.ImageDraw, _ = _pillow()
        self.entry = entry
        self.total = total
        self.width, self.height = width, height
        self.scale = height / 360
        top, bottom = (_rgb(c) for c in BACKGROUNDS[entry["region"]])
        gradient = self.Image.linear_gradient("L").resize((width, height))
        self.background = self.Image.composite(
            self.Image.new("RGB", (width, height), bottom),
            self.Image.new("RGB", (width, height), top),
            gradient,
        )
        self._layers: dict = {}

    def _text_layer(self, blocks):
        """A transparent layer with ``blocks``: (lines, size, top, line height, colour, bold)."""
        layer = self.Image.new("RGBA", (self.width, self.height), (0, 0, 0, 0))
        draw = self.ImageDraw.Draw(layer)
        s = self.scale
        for lines, size, top, line_height, colour, bold in blocks:
            font = _font(size * s, bold)
            for number, line in enumerate(lines):
                y = (top + number * line_height) * s
                draw.text((TEXT_LEFT * s + 1, y + 1), line, font=font, fill=(0, 0, 0, 90))
                draw.text((TEXT_LEFT * s, y), line, font=font, fill=colour)
        return layer

    def words(self, segment: Segment, phase: str, step_count: int):
        """The text of a segment in one phase ("settle", "hold" or "" ), made once and reused."""
        key = (segment.kind, segment.start, phase)
        if key not in self._layers:
            self._layers[key] = self._text_layer(self._blocks(segment, phase, step_count))
        return self._layers[key]

    def _column(self, text, size, bold=False):
        return _wrap(text, _font(size * self.scale, bold), (TEXT_RIGHT - TEXT_LEFT) * self.scale)

    def _blocks(self, segment: Segment, phase: str, step_count: int):
        entry = self.entry
        if segment.kind == "intro":
            title = self._column(entry["title"], 22, bold=True)[:3]
            meta = (
                f"{Intensity(entry['intensity']).label}  ·  {Region(entry['region']).label}"
                f"  ·  about {_duration_label(self.total)}"
            )
            cautions_top = TEXT_TOP + 29 * len(title) + 34
            cautions = self._column(entry["cautions"], 14)[:6]
            return [
                (title, 22, TEXT_TOP, 29, TEXT_COLOUR, True),
                (self._column(meta, 13), 13, TEXT_TOP + 29 * len(title) + 6, 18, MUTED_COLOUR, False),
                (cautions, 14, cautions_top, 20, TEXT_COLOUR, False),
                (["Get ready"], 22, 300, 28, ACCENT_COLOUR, True),
            ]
        if segment.kind == "outro":
            return [
                (["Well done"], 30, TEXT_TOP, 38, TEXT_COLOUR, True),
                (
                    self._column("Notice how your back and hips feel now.", 18),
                    18,
                    TEXT_TOP + 48,
                    25,
                    MUTED_COLOUR,
                    False,
                ),
            ]
        lines = self._column(segment.text, 19)[:8]
        blocks = [
            # A shade softer than white: with captions on, any word peeking past a
            # caption line reads as background.
            (lines, 19, TEXT_TOP, 26, MUTED_COLOUR, False),
            ([f"Step {segment.step_number} of {step_count}"], 14, 268, 20, MUTED_COLOUR, False),
        ]
        if phase == "settle":
            blocks.append((["Get into position"], 18, 302, 24, MUTED_COLOUR, False))
        elif phase == "hold":
            blocks.append((["Hold and breathe"], 22, 298, 28, ACCENT_COLOUR, True))
        return blocks

    def frame(self, joints, words):
        """One RGB frame: background, the words, and the figure drawn at twice the size then reduced (smooth edges)."""
        frame = self.background.copy()
        frame.paste(words, (0, 0), words)
        panel_width = round(FIGURE_PANEL_WIDTH * self.scale)
        big = self.Image.new("RGBA", (panel_width * 2, self.height * 2), (0, 0, 0, 0))
        figure.draw(self.ImageDraw.Draw(big), joints, FIGURE_COLOURS, self.scale * 2)
        small = big.resize((panel_width, self.height), self.Image.LANCZOS)
        frame.paste(small, (0, 0), small)
        return frame


def figure_at(seconds: float, segments: list[Segment], intro_pose, step_poses):
    """The figure's joints ``seconds`` into the video: moving into each step's pose, then breathing in it."""
    previous = intro_pose
    for segment in segments:
        if segment.kind == "step":
            target = step_poses[segment.step_number - 1]
            if seconds < segment.end:
                into = seconds - segment.start
                if into < figure.MOVE_SECONDS:
                    return figure.blend(previous, target, into / figure.MOVE_SECONDS)
                return figure.breathing(target, seconds)
            previous = target
        elif seconds < segment.end:
            return figure.breathing(previous, seconds)
    return figure.breathing(previous, seconds)


def phase_at(seconds: float, segment: Segment) -> str:
    if segment.kind != "step" or not segment.hold_seconds:
        return ""
    return "hold" if seconds >= segment.hold_start else "settle"


def render_frames(entry: dict, segments: list[Segment], width: int, height: int, fps: int):
    """Every frame of the video, in order, as a Pillow image."""
    canvas = _Canvas(entry, width, height, timeline_seconds(segments))
    steps = [s for s in segments if s.kind == "step"]
    intro_pose, step_poses = figure.poses_for(entry["slug"], len(steps))
    for number in range(canvas.total * fps):
        seconds = number / fps
        segment = next(s for s in segments if s.start <= seconds < s.end)
        words = canvas.words(segment, phase_at(seconds, segment), len(steps))
        yield canvas.frame(figure_at(seconds, segments, intro_pose, step_poses), words)


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
    """Draw the timeline frame by frame and encode H.264 MP4 and VP9 WebM in one ffmpeg pass."""
    total = timeline_seconds(segments)
    cmd = [
        "ffmpeg",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{width}x{height}",
        "-framerate",
        str(fps),
        "-i",
        "pipe:0",
        "-filter_complex",
        "[0:v]format=yuv420p,split=2[vmp4][vwebm]",
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
        "animation",
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
    # ffmpeg's messages go to a file, so a full pipe can never stall it while frames are written.
    with tempfile.TemporaryFile() as errors:
        encoder = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            for frame in render_frames(entry, segments, width, height, fps):
                encoder.stdin.write(frame.tobytes())
        except BrokenPipeError:
            pass  # ffmpeg stopped early; its exit status and messages say why
        finally:
            encoder.stdin.close()
            returncode = encoder.wait()
        if returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()[-2000:]
            raise RuntimeError(f"ffmpeg failed ({returncode}): {message}")


def render_poster(video_path: Path, poster_path: Path, at_seconds: float) -> None:
    """The poster is a frame of the finished MP4, as an upload's would be (stretches.media.make_poster)."""
    poster_path.write_bytes(media.make_poster(video_path, at_seconds))


def poster_time(segments: list[Segment]) -> float:
    """The middle of the first hold: the figure in the stretch, beside what to do."""
    holds = [s for s in segments if s.kind == "step" and s.hold_seconds]
    if not holds:
        return min(1.0, segments[0].end / 2)
    first = holds[0]
    return first.hold_start + first.hold_seconds / 2


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
        # Read by the product's own probe, the one staff uploads go through.
        "duration_seconds": round(media.probe(mp4).duration, 3),
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
