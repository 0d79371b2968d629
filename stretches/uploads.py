"""What an uploaded stretch video or captions file must be, checked before anything is stored.

The limits can be changed per deployment (and per test) through Django settings:
``VIDA_VIDEO_MAX_BYTES``, ``VIDA_VIDEO_MAX_SECONDS`` and ``VIDA_CAPTIONS_MAX_BYTES``.
"""

import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from stretches import media
from stretches.captions import CaptionsError, parse_webvtt
from stretches.models import format_length

# A ten-minute stretch at a good phone-screen bitrate is well under this.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
# Guided stretches are a minute or two; ten minutes leaves room for a routine.
DEFAULT_MAX_SECONDS = 10 * 60
DEFAULT_CAPTIONS_MAX_BYTES = 512 * 1024

# What every current browser plays, by the container staff upload it in.
CONTAINERS = {
    "mp4": {
        "label": "an MP4 with H.264 video",
        "formats": {"mp4", "mov"},  # ffprobe names the ISO family "mov,mp4,m4a,3gp,3g2,mj2"
        "video": {"h264"},
        "audio": {"aac", "mp3"},
    },
    "webm": {
        "label": "a WebM with VP9 or VP8 video",
        "formats": {"webm", "matroska"},  # ffprobe names both "matroska,webm"
        "video": {"vp9", "vp8"},
        "audio": {"opus", "vorbis"},
    },
}


def max_bytes():
    return getattr(settings, "VIDA_VIDEO_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_seconds():
    return getattr(settings, "VIDA_VIDEO_MAX_SECONDS", DEFAULT_MAX_SECONDS)


def captions_max_bytes():
    return getattr(settings, "VIDA_CAPTIONS_MAX_BYTES", DEFAULT_CAPTIONS_MAX_BYTES)


def megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB"


@contextmanager
def local_path(upload):
    """A filesystem path to an uploaded file, for tools that read files.

    Large uploads already sit in a temporary file; small ones live in memory
    and are written out for as long as the check takes.
    """
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    suffix = os.path.splitext(upload.name or "")[1][:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        upload.seek(0)
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        yield copy.name
    upload.seek(0)


@dataclass(frozen=True)
class CheckedVideo:
    probe: media.Probe
    poster: bytes | None = None


def check_video(upload, container, *, with_poster=False):
    """Refuse anything but a short video a browser plays; returns what was read from it.

    Raises ValidationError with a message for the person uploading. With
    ``with_poster`` a poster frame is taken now, while the file is at hand, so a
    video that cannot be decoded is refused rather than saved without one.
    """
    rules = CONTAINERS[container]
    if upload.size > max_bytes():
        raise ValidationError(
            f"This file is {megabytes(upload.size)}; videos can be at most {megabytes(max_bytes())}.",
            code="too_large",
        )
    with local_path(upload) as path:
        try:
            probe = media.probe(path)
        except media.MediaError as error:
            raise ValidationError(str(error), code="unreadable") from None
        if not probe.video_codecs:
            raise ValidationError("This file has no video in it.", code="no_video")
        if not probe.formats & rules["formats"]:
            found = "/".join(sorted(probe.formats)) or "unknown"
            raise ValidationError(
                f"This file is in the {found} format; upload {rules['label']}.", code="format"
            )
        codec = probe.video_codecs[0]
        if codec not in rules["video"] or len(probe.video_codecs) > 1:
            raise ValidationError(
                f"The video is encoded as {codec}, which browsers do not all play; upload {rules['label']}.",
                code="codec",
            )
        odd_audio = [name for name in probe.audio_codecs if name not in rules["audio"]]
        if odd_audio:
            allowed = " or ".join(sorted(rules["audio"]))
            raise ValidationError(
                f"The sound is encoded as {odd_audio[0]}; in this container use {allowed}, or no sound.",
                code="audio_codec",
            )
        if not probe.duration or probe.duration <= 0:
            raise ValidationError("The length of this video could not be read.", code="no_duration")
        if probe.duration > max_seconds():
            raise ValidationError(
                f"This video is {format_length(probe.duration)} long; "
                f"stretch videos can be at most {format_length(max_seconds())}.",
                code="too_long",
            )
        poster = None
        if with_poster:
            try:
                # A second in, past any fade from black, but inside very short clips.
                poster = media.make_poster(path, min(1.0, probe.duration / 2))
            except media.MediaError as error:
                raise ValidationError(str(error), code="no_poster") from None
    upload.seek(0)
    return CheckedVideo(probe=probe, poster=poster)


def check_captions(upload):
    """The cues of an uploaded WebVTT file; raises ValidationError if it is not one."""
    if upload.size > captions_max_bytes():
        raise ValidationError(
            f"This captions file is {megabytes(upload.size)}; "
            f"the limit is {megabytes(captions_max_bytes())}.",
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        return parse_webvtt(data)
    except CaptionsError as error:
        raise ValidationError(str(error), code="captions") from None
