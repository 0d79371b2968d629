"""Staff uploads: good files are stored with length and poster; bad ones are refused and leave nothing.

Every video here is made by ffmpeg in the test; files go to a temporary MEDIA_ROOT.
"""

import json
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accounts.models import User
from demo import stretches as demo
from stretches.captions import CaptionsError, parse_webvtt
from stretches.forms import StretchVideoForm
from stretches.models import StretchSession, StretchStep, StretchVideo
from tests.factories import UserFactory
from tests.security_helpers import sign_in
from tests.stretch_factories import ffmpeg_video, media_files, vtt

pytestmark = pytest.mark.django_db

JPEG_MAGIC = b"\xff\xd8\xff"
CAPTIONS = vtt((0, 1, "Kneel on one knee."), (1, 1.9, "Tuck your pelvis under."))
FIELDS = {
    "title": "Kneeling hip flexor stretch",
    "slug": "kneeling-hip-flexor",
    "description": "Opens the front of the hip.",
    "region": "hip_flexors",
    "intensity": "gentle",
    "cautions": "Stop if the knee hurts.",
    "published": "on",
}


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """Small real files, made once for the module."""
    folder = tmp_path_factory.mktemp("clips")
    return {
        "mp4": ffmpeg_video(folder / "good.mp4", seconds=2, codec="mp4", audio="aac"),
        "webm": ffmpeg_video(folder / "good.webm", seconds=2, codec="webm", audio="libopus"),
        "long_webm": ffmpeg_video(folder / "long.webm", seconds=6, codec="webm"),
        "avi": ffmpeg_video(folder / "old.avi", seconds=2, codec="mpeg4"),
        "mkv_mpeg4": ffmpeg_video(folder / "old.mkv", seconds=2, codec="mpeg4"),
        "mp4_mpeg4": ffmpeg_video(folder / "part2.mp4", seconds=2, codec="mpeg4"),
    }


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def upload(path, name=None, content_type="application/octet-stream"):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type=content_type)


def captions_upload(text=CAPTIONS, name="captions.vtt"):
    data = text if isinstance(text, bytes) else text.encode()
    return SimpleUploadedFile(name, data, content_type="text/vtt")


def form_with(clips, **files):
    defaults = {"video_mp4": upload(clips["mp4"]), "captions": captions_upload()}
    chosen = {name: value for name, value in {**defaults, **files}.items() if value is not None}
    return StretchVideoForm(data=FIELDS, files=chosen)


# --- good files ------------------------------------------------------------------------


def test_a_good_mp4_webm_and_captions_are_stored_with_length_and_poster(clips, media_root):
    form = form_with(clips, video_webm=upload(clips["webm"]))
    assert form.is_valid(), form.errors
    video = form.save()

    video.refresh_from_db()
    assert video.duration_seconds == pytest.approx(2.0, abs=0.2)
    assert video.poster.name.startswith("stretches/kneeling-hip-flexor/")
    with video.poster.open("rb") as poster:
        assert poster.read(3) == JPEG_MAGIC
    stored = media_files(media_root)
    assert len(stored) == 4  # mp4, webm, captions, poster
    assert all(name.startswith("stretches/kneeling-hip-flexor/") for name in stored)


def test_the_admin_upload_saves_the_video_and_its_steps(client, clips, media_root):
    staff = UserFactory(username="editor", role="staff", is_staff=True, is_superuser=True)
    sign_in(client, staff)
    response = client.post(
        "/admin/stretches/stretchvideo/add/",
        {
            **FIELDS,
            "video_mp4": upload(clips["mp4"]),
            "captions": captions_upload(),
            "steps-TOTAL_FORMS": "2",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
            "steps-0-position": "1",
            "steps-0-text": "Kneel on your right knee.",
            "steps-0-hold_seconds": "0",
            "steps-1-position": "2",
            "steps-1-text": "Tuck the pelvis and hold.",
            "steps-1-hold_seconds": "30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    video = StretchVideo.objects.get(slug="kneeling-hip-flexor")
    assert video.duration_seconds == pytest.approx(2.0, abs=0.2)
    assert video.poster
    assert [(s.text, s.hold_seconds) for s in video.steps.all()] == [
        ("Kneel on your right knee.", 0),
        ("Tuck the pelvis and hold.", 30),
    ]


def test_editing_without_new_files_keeps_them_and_does_not_reprobe(clips, media_root, monkeypatch):
    form = form_with(clips)
    assert form.is_valid(), form.errors
    video = form.save()
    names = (video.video_mp4.name, video.poster.name, video.duration_seconds)

    def no_probe(*args, **kwargs):
        raise AssertionError("an unchanged file is not probed again")

    monkeypatch.setattr("stretches.media.probe", no_probe)
    renamed = {**FIELDS, "title": "Kneeling hip flexor, renamed"}
    edit = StretchVideoForm(data=renamed, files={}, instance=video)
    assert edit.is_valid(), edit.errors
    edited = edit.save()
    assert (edited.video_mp4.name, edited.poster.name, edited.duration_seconds) == names
    assert edited.title == "Kneeling hip flexor, renamed"


def test_replacing_the_video_in_the_admin_removes_the_old_files(
    client, clips, media_root, django_capture_on_commit_callbacks
):
    form = form_with(clips)
    assert form.is_valid()
    video = form.save()
    old_mp4, old_poster = video.video_mp4.name, video.poster.name
    staff = UserFactory(username="editor", role="staff", is_staff=True, is_superuser=True)
    sign_in(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/stretches/stretchvideo/{video.pk}/change/",
            {
                **FIELDS,
                "video_mp4": upload(clips["mp4"], name="take-two.mp4"),
                "steps-TOTAL_FORMS": "0",
                "steps-INITIAL_FORMS": "0",
                "steps-MIN_NUM_FORMS": "0",
                "steps-MAX_NUM_FORMS": "1000",
            },
        )
    assert response.status_code == 302
    video.refresh_from_db()
    stored = media_files(media_root)
    assert video.video_mp4.name in stored and video.poster.name in stored
    assert old_mp4 not in stored and old_poster not in stored


# --- bad files are refused, with the reason, and nothing is stored ----------------------


@pytest.mark.parametrize(
    "field, make, message",
    [
        (
            "video_mp4",
            lambda c: SimpleUploadedFile("notes.mp4", b"these are not moving pictures\n" * 50),
            "not a video",
        ),
        ("video_mp4", lambda c: upload(c["avi"], name="old.mp4"), "avi format"),
        ("video_mp4", lambda c: upload(c["mp4_mpeg4"]), "encoded as mpeg4"),
        ("video_mp4", lambda c: upload(c["webm"], name="clip.mp4"), "format"),
        ("video_webm", lambda c: upload(c["mkv_mpeg4"], name="old.webm"), "encoded as mpeg4"),
        ("video_webm", lambda c: upload(c["mp4"], name="clip.webm"), "format"),
        ("video_webm", lambda c: upload(c["long_webm"]), "upload the same video in both formats"),
    ],
    ids=[
        "text-file",
        "avi-renamed",
        "mpeg4-in-mp4",
        "webm-as-mp4",
        "mpeg4-in-mkv",
        "mp4-as-webm",
        "webm-of-another-length",
    ],
)
def test_bad_videos_are_refused_and_nothing_is_stored(clips, media_root, field, make, message):
    form = form_with(clips, **{field: make(clips)})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field]).lower()
    assert not StretchVideo.objects.exists()
    assert media_files(media_root) == []


def test_a_file_over_the_size_limit_is_refused(clips, media_root, settings):
    settings.VIDA_VIDEO_MAX_BYTES = 1000
    form = form_with(clips)
    assert not form.is_valid()
    assert "videos can be at most 0.0 MB" in form.errors["video_mp4"][0]
    assert media_files(media_root) == []


def test_a_video_over_the_length_limit_is_refused(clips, media_root, settings):
    settings.VIDA_VIDEO_MAX_SECONDS = 1
    form = form_with(clips)
    assert not form.is_valid()
    assert form.errors["video_mp4"] == ["This video is 2 s long; stretch videos can be at most 1 s."]
    assert media_files(media_root) == []


def test_a_missing_ffprobe_is_a_clear_refusal_not_a_crash(clips, media_root, settings):
    settings.VIDA_FFPROBE = "/nonexistent/ffprobe"
    form = form_with(clips)
    assert not form.is_valid()
    assert "is not installed on the server" in form.errors["video_mp4"][0]


@pytest.mark.parametrize(
    "captions, message",
    [
        ("1\n00:00.000 --> 00:01.000\nHello\n", 'must start with the line "WEBVTT"'),
        ("WEBVTT\n\n00:01 --> 00:02.000\nHello\n", "is not a valid cue timing"),
        ("WEBVTT\n\n00:00.000 -> 00:02.000\nHello\n", "missing its timing line"),
        ("WEBVTT\n\n00:02.000 --> 00:01.000\nBackwards\n", "ends before it starts"),
        (
            "WEBVTT\n\n00:01.000 --> 00:01.500\nB\n\n00:00.000 --> 00:00.500\nA\n",
            "in order of their start time",
        ),
        ("WEBVTT\n\n00:00.000 --> 00:00.500\nA\n00:00.500 --> 00:01.000\nB\n", "leave a blank line"),
        ("WEBVTT\n\nNOTE nothing here\n", "has no captions"),
        ("WEBVTT\n\n00:00.000 --> 00:00.500\n\xe9t\xe9\n".encode("latin-1"), "UTF-8"),
        ("WEBVTT\n\n00:30.000 --> 00:31.000\nLate\n", "after the video ends"),
    ],
    ids=[
        "no-header",
        "short-timestamp",
        "bad-arrow",
        "backwards",
        "out-of-order",
        "no-blank-line",
        "empty",
        "latin-1",
        "past-the-end",
    ],
)
def test_malformed_captions_are_refused_and_nothing_is_stored(clips, media_root, captions, message):
    form = form_with(clips, captions=captions_upload(captions))
    assert not form.is_valid()
    assert message in form.errors["captions"][0]
    assert not StretchVideo.objects.exists()
    assert media_files(media_root) == []


def test_captions_with_ids_notes_hours_bom_and_crlf_parse():
    text = (
        "\ufeffWEBVTT - stretch captions\r\nKind: captions\r\n\r\n"
        "NOTE written by hand\r\n\r\n"
        "intro\r\n00:00:00.000 --> 00:00:02.500 line:90%\r\nKneel down.\r\n\r\n"
        "00:02.500 --> 00:04.000\r\nHold.\r\nBreathe.\r\n"
    )
    cues = parse_webvtt(text.encode())
    assert [(c.start, c.end, c.text) for c in cues] == [
        (0, 2.5, "Kneel down."),
        (2.5, 4.0, "Hold.\nBreathe."),
    ]


def test_captions_errors_name_the_line():
    with pytest.raises(CaptionsError, match="Line 6"):
        parse_webvtt("WEBVTT\n\n00:00.000 --> 00:01.000\nOne\n\n1:00.000 --> 1:02.000\nTwo\n")


# --- the demo loader ---------------------------------------------------------------------


@pytest.fixture
def demo_catalog(tmp_path, clips):
    """A catalog in the shape make_demo_stretches writes, with two tiny videos."""
    folder = tmp_path / "demo_media"
    folder.mkdir()
    entries = []
    for slug, region in [("pelvic-tilts", "lumbar"), ("standing-hip-flexor", "hip_flexors")]:
        shutil.copy(clips["mp4"], folder / f"{slug}.mp4")
        shutil.copy(clips["webm"], folder / f"{slug}.webm")
        (folder / f"{slug}.vtt").write_text(CAPTIONS)
        (folder / f"{slug}.jpg").write_bytes(JPEG_MAGIC + b"demo poster")
        entries.append(
            {
                "slug": slug,
                "title": slug.replace("-", " ").capitalize(),
                "description": "Demo stretch.",
                "region": region,
                "intensity": "gentle",
                "cautions": "Stop if it hurts.",
                "duration_seconds": 2.0,
                "steps": [{"text": "Get ready.", "hold_seconds": 0}, {"text": "Hold.", "hold_seconds": 20}],
                "files": {
                    "mp4": f"{slug}.mp4",
                    "webm": f"{slug}.webm",
                    "captions": f"{slug}.vtt",
                    "poster": f"{slug}.jpg",
                },
            }
        )
    (folder / "catalog.json").write_text(json.dumps(entries))
    return folder


def test_the_demo_loader_publishes_the_catalog_and_is_idempotent(demo_catalog, media_root):
    first = demo.load_demo_videos(demo_catalog)
    stored_after_first = media_files(media_root)
    assert len(first) == 2 and len(stored_after_first) == 8

    catalog = json.loads((demo_catalog / "catalog.json").read_text())
    catalog[0]["title"] = "Pelvic tilts, renamed"
    catalog[0]["steps"] = [{"text": "Only step.", "hold_seconds": 10}]
    (demo_catalog / "catalog.json").write_text(json.dumps(catalog))
    demo.load_demo_videos(demo_catalog)

    assert StretchVideo.objects.count() == 2
    assert media_files(media_root) == stored_after_first  # same files, not copies of copies
    tilts = StretchVideo.objects.get(slug="pelvic-tilts")
    assert (tilts.title, tilts.region, tilts.published, tilts.duration_seconds) == (
        "Pelvic tilts, renamed",
        "lumbar",
        True,
        2.0,
    )
    assert list(tilts.steps.values_list("text", "hold_seconds")) == [("Only step.", 10)]
    assert StretchStep.objects.count() == 3
    with tilts.poster.open("rb") as poster:
        assert poster.read() == JPEG_MAGIC + b"demo poster"


def test_the_demo_loader_replaces_a_changed_file(demo_catalog, media_root):
    demo.load_demo_videos(demo_catalog)
    (demo_catalog / "pelvic-tilts.jpg").write_bytes(JPEG_MAGIC + b"a new poster")
    demo.load_demo_videos(demo_catalog)
    tilts = StretchVideo.objects.get(slug="pelvic-tilts")
    with tilts.poster.open("rb") as poster:
        assert poster.read() == JPEG_MAGIC + b"a new poster"
    assert len(media_files(media_root)) == 8  # the old poster is gone


def test_seed_demo_loads_the_demo_videos(demo_catalog, media_root, monkeypatch, capsys):
    monkeypatch.setattr(demo, "DEMO_MEDIA", demo_catalog)
    call_command("seed_demo")
    assert set(StretchVideo.objects.published().values_list("slug", flat=True)) == {
        "pelvic-tilts",
        "standing-hip-flexor",
    }
    assert "2 demo stretch videos, 2 stretch sessions" in capsys.readouterr().out
    # The demo patient has rated sessions, so "what has helped you most" has something to show.
    demo_patient = User.objects.get(username="demo.patient")
    assert StretchSession.objects.filter(patient=demo_patient, completed=True).count() == 2
    call_command("seed_demo")  # again: replaced, not added to
    assert StretchSession.objects.filter(patient=demo_patient).count() == 2


def test_seed_demo_without_demo_media_still_seeds_the_rest(tmp_path, media_root, monkeypatch, capsys):
    monkeypatch.setattr(demo, "DEMO_MEDIA", tmp_path / "nothing-here")
    call_command("seed_demo")
    assert not StretchVideo.objects.exists()
    assert "No demo stretch videos found" in capsys.readouterr().out
