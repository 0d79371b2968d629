"""The demo stretch videos: the committed catalog and files, and the generator itself."""

import html
import itertools
import json
import re

import pytest

from demo import figure
from demo import video as demo_media
from stretches.captions import parse_webvtt
from stretches.media import probe
from stretches.models import StretchVideo

CUE_TIME = re.compile(
    r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3}) "
    + re.escape(demo_media.CUE_SETTINGS)
    + "$"
)

needs_ffmpeg = pytest.mark.skipif(
    not demo_media.ffmpeg_available(), reason="ffmpeg/ffprobe are not installed (Debian package `ffmpeg`)"
)


def parse_vtt(text):
    """(start, end, text) per cue; asserts the basic WebVTT shape on the way."""
    assert text.startswith("WEBVTT"), "a WebVTT file starts with WEBVTT"
    cues = []
    for block in text.strip().split("\n\n")[1:]:
        lines = block.splitlines()
        timing = next(i for i, line in enumerate(lines) if "-->" in line)
        match = CUE_TIME.match(lines[timing])
        assert match, f"bad cue timing line: {lines[timing]!r}"
        h1, m1, s1, ms1, h2, m2, s2, ms2 = map(int, match.groups())
        start = h1 * 3600 + m1 * 60 + s1 + ms1 / 1000
        end = h2 * 3600 + m2 * 60 + s2 + ms2 / 1000
        cues.append((start, end, html.unescape(" ".join(lines[timing + 1 :]))))
    return cues


def load_committed():
    path = demo_media.DEMO_MEDIA_DIR / demo_media.CATALOG_FILENAME
    return json.loads(path.read_text(encoding="utf-8"))


def test_committed_catalog_is_consistent():
    records = load_committed()
    assert len(records) == 6
    slugs = [r["slug"] for r in records]
    assert len(set(slugs)) == 6
    assert slugs == [e["slug"] for e in demo_media.CATALOG]

    for record, entry in zip(records, demo_media.CATALOG):
        slug = record["slug"]
        assert list(record) == [
            "slug",
            "title",
            "description",
            "region",
            "intensity",
            "cautions",
            "duration_seconds",
            "steps",
            "files",
        ]
        assert record["region"] in StretchVideo.Region.values
        assert record["intensity"] in StretchVideo.Intensity.values
        assert record["title"] and record["description"] and record["cautions"]
        assert isinstance(record["duration_seconds"], float)
        assert 45 <= record["duration_seconds"] <= 120, slug
        # The committed files were made from the catalog as it is now.
        for key in ("title", "description", "region", "intensity", "cautions", "steps"):
            assert record[key] == entry[key], f"{slug}: {key} changed; run make_demo_stretches --only {slug}"
        timeline = demo_media.timeline_seconds(demo_media.build_timeline(entry))
        assert abs(record["duration_seconds"] - timeline) < 0.5, slug

        assert record["steps"], slug
        for step in record["steps"]:
            assert set(step) == {"text", "hold_seconds"}
            assert isinstance(step["text"], str) and step["text"].strip()
            assert isinstance(step["hold_seconds"], int) and 0 <= step["hold_seconds"] <= 60

        assert record["files"] == {
            "mp4": f"{slug}.mp4",
            "webm": f"{slug}.webm",
            "captions": f"{slug}.vtt",
            "poster": f"{slug}.jpg",
        }
        for name in record["files"].values():
            path = demo_media.DEMO_MEDIA_DIR / name
            assert path.is_file() and path.stat().st_size > 0, name

        captions = demo_media.DEMO_MEDIA_DIR / record["files"]["captions"]
        assert parse_webvtt(captions.read_bytes())  # what a staff upload must pass
        cues = parse_vtt(captions.read_text(encoding="utf-8"))
        cue_texts = [text for _, _, text in cues]
        for step in record["steps"]:
            assert step["text"] in cue_texts, f"{slug}: step missing from captions: {step['text']!r}"
        previous_end = 0.0
        for start, end, _ in cues:
            assert previous_end <= start < end <= record["duration_seconds"] + 0.01, (slug, start, end)
            previous_end = end


def test_committed_media_stays_small():
    total = sum(p.stat().st_size for p in demo_media.DEMO_MEDIA_DIR.iterdir())
    assert total < 6 * 1024 * 1024


@needs_ffmpeg
def test_committed_videos_have_the_right_codecs():
    for record in load_committed():
        mp4 = probe(demo_media.DEMO_MEDIA_DIR / record["files"]["mp4"])
        webm = probe(demo_media.DEMO_MEDIA_DIR / record["files"]["webm"])
        assert (mp4.video_codecs, mp4.pixel_format) == (("h264",), "yuv420p")
        assert webm.video_codecs == ("vp9",)
        assert mp4.duration == pytest.approx(record["duration_seconds"], abs=0.01)
        assert webm.duration == pytest.approx(record["duration_seconds"], abs=0.5)


SHORT_ENTRY = {
    "slug": "test-stretch",
    "title": "Test: it's a short one",
    "description": "A tiny stretch for the test.",
    "region": "both",
    "intensity": "gentle",
    "cautions": "Stop if it hurts: don't push through pain.",
    "steps": [
        {"text": "Sit tall: feet flat, it's time to begin.", "hold_seconds": 0},
        {"text": "Lean forward gently and hold.", "hold_seconds": 3},
    ],
}
SHORT_TIMING = {"intro_seconds": 2, "settle_seconds": 1, "outro_seconds": 1}


@needs_ffmpeg
def test_generating_one_stretch(tmp_path):
    messages = []
    record = demo_media.generate_stretch(
        SHORT_ENTRY,
        tmp_path,
        progress=messages.append,
        timeline_options=SHORT_TIMING,
        width=320,
        height=180,
        fps=10,
    )

    segments = demo_media.build_timeline(SHORT_ENTRY, **SHORT_TIMING)
    expected = (
        SHORT_TIMING["intro_seconds"]
        + demo_media.transition_seconds(SHORT_ENTRY["steps"][0]["text"])
        + SHORT_TIMING["settle_seconds"]
        + 3
        + SHORT_TIMING["outro_seconds"]
    )
    assert demo_media.timeline_seconds(segments) == expected

    mp4 = probe(tmp_path / "test-stretch.mp4")
    webm = probe(tmp_path / "test-stretch.webm")
    assert (mp4.video_codecs, mp4.pixel_format, mp4.width, mp4.height) == (("h264",), "yuv420p", 320, 180)
    assert webm.video_codecs == ("vp9",)
    assert abs(mp4.duration - expected) <= 0.5
    assert abs(webm.duration - expected) <= 0.5
    assert record["duration_seconds"] == pytest.approx(mp4.duration, abs=0.001)
    assert probe(tmp_path / "test-stretch.jpg").video_codecs == ("mjpeg",)

    # +faststart: the index (moov) comes before the media data (mdat).
    head = (tmp_path / "test-stretch.mp4").read_bytes()
    assert 0 <= head.find(b"moov") < head.find(b"mdat")

    cues = parse_vtt((tmp_path / "test-stretch.vtt").read_text(encoding="utf-8"))
    assert [(start, end) for start, end, _ in cues] == [(s.start, s.end) for s in segments]
    assert [text for _, _, text in cues[1:-1]] == [s["text"] for s in SHORT_ENTRY["steps"]]

    assert record["files"] == demo_media.files_for("test-stretch")
    assert record["steps"] == SHORT_ENTRY["steps"]
    assert len(messages) == 4  # one line per file written


def test_timeline_rules():
    entry = {
        "title": "T",
        "steps": [{"text": "one two", "hold_seconds": 0}, {"text": "x", "hold_seconds": 20}],
    }
    segments = demo_media.build_timeline(entry)
    assert [s.kind for s in segments] == ["intro", "step", "step", "outro"]
    # Contiguous: each segment starts where the previous one ended.
    assert all(a.end == b.start for a, b in itertools.pairwise(segments))
    assert segments[1].end - segments[1].start == demo_media.MIN_TRANSITION_SECONDS
    assert segments[2].end - segments[2].start == demo_media.SETTLE_SECONDS + 20
    assert segments[2].hold_start == segments[2].end - 20
    long_text = " ".join(["word"] * 200)
    assert demo_media.transition_seconds(long_text) == demo_media.MAX_TRANSITION_SECONDS


def test_every_demo_stretch_has_a_pose_for_each_step_and_moves():
    for entry in demo_media.CATALOG:
        intro, poses = figure.poses_for(entry["slug"], len(entry["steps"]))
        assert len(poses) == len(entry["steps"])
        # A figure, not slides: the poses change over the stretch.
        distinct = {tuple(sorted(pose.items())) for pose in [intro, *poses]}
        assert len(distinct) >= 2, entry["slug"]


def test_the_figure_moves_into_each_pose_then_holds_it_breathing():
    entry = demo_media.CATALOG[0]
    segments = demo_media.build_timeline(entry)
    intro, poses = figure.poses_for(entry["slug"], len(entry["steps"]))
    step = next(s for s in segments if s.kind == "step" and s.hold_seconds)
    before = poses[step.step_number - 2]
    target = poses[step.step_number - 1]

    start = demo_media.figure_at(step.start, segments, intro, poses)
    moving = demo_media.figure_at(step.start + figure.MOVE_SECONDS / 2, segments, intro, poses)
    holding = demo_media.figure_at(step.hold_start + 1, segments, intro, poses)

    assert start["hip"] == pytest.approx(before["hip"])
    assert moving["hip"] != pytest.approx(before["hip"]) and moving["hip"] != pytest.approx(target["hip"])
    assert holding["hip"] == pytest.approx(target["hip"])
    assert abs(holding["neck"][1] - target["neck"][1]) <= figure.BREATH_PIXELS + 1e-9


def test_the_video_draws_no_countdown_only_what_to_do():
    """The page's hold timer is the one clock: a frame says "Hold and breathe", never a number of seconds."""
    entry = demo_media.CATALOG[0]
    segments = demo_media.build_timeline(entry)
    canvas = demo_media._Canvas(entry, 640, 360, demo_media.timeline_seconds(segments))
    step = next(s for s in segments if s.kind == "step" and s.hold_seconds)
    words = [line for block in canvas._blocks(step, "hold", 5) for line in block[0]]
    assert "Hold and breathe" in words
    assert not any(
        re.search(r"\d+\s*s\b|^\d+$|Hold \d", line) for line in words if not line.startswith("Step")
    )


def test_switching_sides_swaps_the_legs():
    pose = figure.HALF_KNEEL
    other = figure.swapped(pose)
    assert other["r_knee"] == pose["l_knee"] and other["l_knee"] == pose["r_knee"]
    assert other["hip"] == pose["hip"]
