"""Factories and media makers for the stretches tests.

Factory videos name their files without writing them (most tests never fetch
bytes); tests that serve or upload files make real ones with ``ffmpeg`` into a
temporary MEDIA_ROOT.
"""

import subprocess
from pathlib import Path

import factory
from django.utils.text import slugify

from stretches.models import StretchSession, StretchStep, StretchVideo
from tests.factories import PatientFactory


class StretchVideoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StretchVideo
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Stretch {n}")
    slug = factory.LazyAttribute(lambda v: slugify(v.title))
    description = "A short guided stretch."
    region = StretchVideo.Region.HIP_FLEXORS
    intensity = StretchVideo.Intensity.GENTLE
    duration_seconds = 60.0
    video_mp4 = factory.LazyAttribute(lambda v: f"stretches/{v.slug}/video.mp4")
    captions = factory.LazyAttribute(lambda v: f"stretches/{v.slug}/captions.vtt")
    poster = factory.LazyAttribute(lambda v: f"stretches/{v.slug}/poster.jpg")
    published = True

    @factory.post_generation
    def steps(video, create, extracted, **kwargs):
        if not create:
            return
        steps = extracted if extracted is not None else [("Get into position.", 0), ("Hold the stretch.", 30)]
        StretchStep.objects.bulk_create(
            StretchStep(video=video, position=number, text=text, hold_seconds=hold)
            for number, (text, hold) in enumerate(steps, start=1)
        )


class StretchSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StretchSession

    patient = factory.SubFactory(PatientFactory)
    video = factory.SubFactory(StretchVideoFactory)


# --- real media, made by ffmpeg ----------------------------------------------------------

CODECS = {
    "mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart"],
    "webm": ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"],
    "mpeg4": ["-c:v", "mpeg4"],
}


def ffmpeg_video(path, seconds=2, codec="mp4", size="320x180", fmt=None, audio=None):
    """Write a test-pattern video (with a running clock) to ``path`` and return it."""
    path = Path(path)
    args = [
        "ffmpeg",
        "-v",
        "error",
        "-nostdin",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc=duration={seconds}:size={size}:rate=15",
    ]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:a", audio]
    args += CODECS[codec]
    if fmt:
        args += ["-f", fmt]
    subprocess.run([*args, str(path)], check=True, timeout=120, capture_output=True)
    return path


def vtt(*cues):
    """WebVTT text from ``(start, end, text)`` seconds."""

    def stamp(seconds):
        minutes, rest = divmod(seconds, 60)
        return f"{int(minutes):02d}:{rest:06.3f}"

    blocks = [f"{stamp(start)} --> {stamp(end)}\n{text}" for start, end, text in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def media_files(root):
    """Every file under a MEDIA_ROOT, relative, for "nothing was stored" checks."""
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
