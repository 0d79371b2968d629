"""Every call to ffprobe and ffmpeg, each with a timeout.

Uploaded files are untrusted: they are only ever read by these tools, with
fixed arguments and the path last, and a file that makes them hang or fail is
reported as a MediaError rather than left to block a request.
"""

import json
import subprocess
from dataclasses import dataclass, field

from django.conf import settings

# A probe reads headers only; a few seconds is ample even for a large file. A
# poster decodes one frame near the start.
PROBE_TIMEOUT_SECONDS = 20
POSTER_TIMEOUT_SECONDS = 30
POSTER_MAX_WIDTH = 1280


class MediaError(Exception):
    """ffprobe or ffmpeg could not read the file; the message is fit to show staff."""


@dataclass(frozen=True)
class Probe:
    """What ffprobe says a file is."""

    formats: frozenset  # ffprobe's format_name split on commas, e.g. {"mov", "mp4", ...}
    duration: float | None
    video_codecs: tuple = field(default=())
    audio_codecs: tuple = field(default=())
    width: int | None = None
    height: int | None = None
    pixel_format: str | None = None  # of the first video stream, e.g. "yuv420p" (what browsers play)


def _run(args, timeout, what):
    try:
        return subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError:
        raise MediaError(
            f"{args[0]} is not installed on the server, so the {what} cannot be checked."
        ) from None
    except subprocess.TimeoutExpired:
        raise MediaError(
            f"Reading the {what} took longer than {timeout} seconds; it may be damaged."
        ) from None


def probe(path):
    """Container, codecs, size and duration of a media file."""
    result = _run(
        [
            getattr(settings, "VIDA_FFPROBE", "ffprobe"),
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            str(path),
        ],
        PROBE_TIMEOUT_SECONDS,
        "file",
    )
    if result.returncode != 0:
        raise MediaError("This file is not a video that can be read.")
    try:
        info = json.loads(result.stdout or b"{}")
    except ValueError:
        raise MediaError("This file is not a video that can be read.") from None
    fmt = info.get("format") or {}
    streams = info.get("streams") or []
    # Cover art in MP4 and still images show up as "video" streams too; only a
    # moving picture counts.
    videos = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    try:
        duration = float(fmt["duration"])
    except (KeyError, TypeError, ValueError):
        duration = None
    first = videos[0] if videos else {}
    return Probe(
        formats=frozenset(filter(None, (fmt.get("format_name") or "").split(","))),
        duration=duration,
        video_codecs=tuple(s.get("codec_name", "") for s in videos),
        audio_codecs=tuple(s.get("codec_name", "") for s in audios),
        width=first.get("width"),
        height=first.get("height"),
        pixel_format=first.get("pix_fmt"),
    )


def make_poster(path, at_seconds):
    """A JPEG of the frame at ``at_seconds``, no wider than POSTER_MAX_WIDTH, as bytes."""
    result = _run(
        [
            getattr(settings, "VIDA_FFMPEG", "ffmpeg"),
            "-v",
            "error",
            "-nostdin",
            "-ss",
            f"{max(0.0, at_seconds):.3f}",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-vf",
            f"scale='min({POSTER_MAX_WIDTH},iw)':-2",
            "-q:v",
            "3",
            "-f",
            "image2",
            "-c:v",
            "mjpeg",
            "pipe:1",
        ],
        POSTER_TIMEOUT_SECONDS,
        "video to make its poster",
    )
    if result.returncode != 0 or not result.stdout:
        raise MediaError("No picture could be taken from this video to make its poster.")
    return result.stdout
