"""Loading the committed demo stretches (made by ``make_demo_stretches``) into the library.

The generated files and their ``catalog.json`` live in ``demo/media/``;
loading needs no ffmpeg, since duration and poster come with them. Loading is
idempotent: each entry updates or creates the video with its slug, and a file
already in media storage with the same content is left as it is.
"""

import datetime as dt
import json
from pathlib import Path

from django.core.files import File
from django.db import transaction

from stretches.models import StretchSession, StretchStep, StretchVideo

DEMO_MEDIA = Path(__file__).resolve().parent / "media"

# catalog "files" key -> (model field, stored name)
FILES = {
    "mp4": ("video_mp4", "video.mp4"),
    "webm": ("video_webm", "video.webm"),
    "captions": ("captions", "captions.vtt"),
    "poster": ("poster", "poster.jpg"),
}


def _same_content(field_file, source):
    """Whether storage already holds exactly this file under the field's name."""
    storage = field_file.storage
    if not field_file.name or not storage.exists(field_file.name):
        return False
    if storage.size(field_file.name) != source.stat().st_size:
        return False
    with storage.open(field_file.name, "rb") as stored, source.open("rb") as new:
        while True:
            a, b = stored.read(1024 * 1024), new.read(1024 * 1024)
            if a != b:
                return False
            if not a:
                return True


def _store(video, field_name, stored_name, source):
    field_file = getattr(video, field_name)
    if _same_content(field_file, source):
        return
    old_name = field_file.name
    with source.open("rb") as handle:
        field_file.save(stored_name, File(handle), save=False)
    if old_name and old_name != field_file.name:
        field_file.storage.delete(old_name)


def load_demo_videos(directory=None):
    """Publish every video in ``directory/catalog.json`` (default DEMO_MEDIA); returns the StretchVideos.

    An empty list when there is no catalog (the demo media not generated yet).
    """
    directory = Path(directory or DEMO_MEDIA)
    catalog_path = directory / "catalog.json"
    if not catalog_path.exists():
        return []
    catalog = json.loads(catalog_path.read_text(encoding="utf-8"))
    videos = []
    for entry in catalog:
        with transaction.atomic():
            slug = entry["slug"]
            video = StretchVideo.objects.filter(slug=slug).first() or StretchVideo(slug=slug)
            video.title = entry["title"]
            video.description = entry.get("description", "")
            video.region = entry["region"]
            video.intensity = entry["intensity"]
            video.cautions = entry.get("cautions", "")
            video.duration_seconds = float(entry["duration_seconds"])
            video.published = True
            # Check the entry before copying anything, so a bad one leaves no files behind.
            video.full_clean(exclude=[field_name for field_name, _ in FILES.values()])
            for key, (field_name, stored_name) in FILES.items():
                name = entry["files"].get(key)
                if name:
                    _store(video, field_name, stored_name, directory / name)
            video.save()
            video.steps.all().delete()
            StretchStep.objects.bulk_create(
                StretchStep(
                    video=video, position=number, text=step["text"], hold_seconds=int(step["hold_seconds"])
                )
                for number, step in enumerate(entry["steps"], start=1)
            )
        videos.append(video)
    return videos


# The demo patient's recent viewings: (days ago, slug, back before, back after,
# hip before, hip after). The hip-flexor stretches ease both regions more than
# the lumbar ones, which is the pattern "what has helped you most" should show.
DEMO_SESSIONS = [
    (13, "kneeling-hip-flexor-stretch", 6, 4, 6, 3),
    (12, "pelvic-tilts", 6, 5, 5, 5),
    (10, "standing-hip-flexor-stretch", 5, 4, 6, 4),
    (9, "knee-to-chest", 5, 5, 4, 4),
    (7, "kneeling-hip-flexor-stretch", 5, 3, 5, 3),
    (5, "childs-pose", 4, 3, 4, 4),
    (4, "standing-hip-flexor-stretch", 4, 3, 5, 3),
    (2, "kneeling-hip-flexor-stretch", 4, 2, 4, 2),
    (1, "pelvic-tilts", 3, 3, 3, 2),
]


@transaction.atomic
def seed_sessions(patient, videos):
    """Replace the patient's stretch sessions with DEMO_SESSIONS, for the videos loaded."""
    by_slug = {video.slug: video for video in videos}
    StretchSession.objects.filter(patient=patient).delete()
    today = patient.local_today()
    sessions = []
    for days_ago, slug, back_before, back_after, hip_before, hip_after in DEMO_SESSIONS:
        video = by_slug.get(slug)
        if video is None:
            continue
        day = today - dt.timedelta(days=days_ago)
        evening = dt.datetime.combine(day, dt.time(19, 15), tzinfo=patient.zone)
        sessions.append(
            StretchSession(
                patient=patient,
                video=video,
                started_at=evening,
                watched_seconds=video.duration_seconds,
                completed=True,
                back_pain_before=back_before,
                back_pain_after=back_after,
                hip_pain_before=hip_before,
                hip_pain_after=hip_after,
            )
        )
    StretchSession.objects.bulk_create(sessions)
    return len(sessions)
