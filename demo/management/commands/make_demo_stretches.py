"""Render the demo stretch videos (MP4, WebM, captions, poster) and catalog.json: Pillow draws, ffmpeg encodes."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demo import video as demo_media


class Command(BaseCommand):
    help = (
        "Make the demo guided-stretch videos, a stick figure moving through each step beside its text "
        "(drawn with Pillow, from requirements-dev.txt; encoded with ffmpeg): H.264 MP4, VP9 WebM, WebVTT "
        "captions, a JPEG poster per stretch, and catalog.json. The output is committed, so this only needs "
        "running after changing the catalog in demo/video.py or the poses in demo/figure.py."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            type=Path,
            default=demo_media.DEMO_MEDIA_DIR,
            help=f"output directory (default: {demo_media.DEMO_MEDIA_DIR})",
        )
        parser.add_argument(
            "--only",
            metavar="SLUG",
            choices=[entry["slug"] for entry in demo_media.CATALOG],
            help="make just this stretch; catalog.json keeps the others already there",
        )

    def handle(self, *args, out, only, **options):
        if not demo_media.ffmpeg_available():
            raise CommandError("ffmpeg and ffprobe are needed (Debian package `ffmpeg`).")
        started = time.monotonic()
        try:
            records = demo_media.generate_all(out_dir=out, only=only, progress=self.stdout.write)
        except (KeyError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        total = sum(r["duration_seconds"] for r in records)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.monotonic() - started:.0f} s: {len(records)} stretches "
                f"({total:.0f} s of video) in {out}"
            )
        )
