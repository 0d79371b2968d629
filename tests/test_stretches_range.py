"""Serving stretch media: signed-in only, whole or by byte range, byte-exact, never a 500."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from tests.conftest import client_for
from tests.factories import UserFactory
from tests.security_helpers import sign_in
from tests.stretch_factories import StretchVideoFactory

pytestmark = pytest.mark.django_db

# 1,000 bytes that differ from their neighbours, so an off-by-one shows.
DATA = bytes(i % 251 for i in range(1000))
SIZE = len(DATA)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def stored_video(**kwargs):
    video = StretchVideoFactory.build(**kwargs)
    video.video_mp4.save("video.mp4", ContentFile(DATA), save=False)
    video.captions.save("captions.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n"), save=False)
    video.poster.save("poster.jpg", ContentFile(b"\xff\xd8\xffposter"), save=False)
    video.save()
    return video


@pytest.fixture
def video(media_root):
    return stored_video(title="Pelvic tilts", slug="pelvic-tilts")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


URL = "/stretches/pelvic-tilts/video.mp4"


def body(response):
    assert response.streaming, "media must be streamed, not read whole into memory"
    return b"".join(response.streaming_content)


def test_the_whole_file_is_200_with_accept_ranges(patient_client, video):
    response = patient_client.get(URL)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(SIZE)
    assert "Content-Range" not in response
    assert body(response) == DATA


@pytest.mark.parametrize(
    "header, first, last",
    [
        ("bytes=0-99", 0, 99),
        ("bytes=0-0", 0, 0),
        ("bytes=100-", 100, 999),
        ("bytes=-100", 900, 999),
        ("bytes=999-999", 999, 999),
        ("bytes=990-5000", 990, 999),  # an end past the file is cut to the file
        ("bytes=-5000", 0, 999),  # a suffix longer than the file is the whole file
        ("bytes=0-999", 0, 999),
        (" bytes=10-19 ", 10, 19),
        ("BYTES=10-19", 10, 19),  # the unit is case-insensitive
    ],
)
def test_a_range_is_206_with_exactly_those_bytes(patient_client, video, header, first, last):
    response = patient_client.get(URL, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == DATA[first : last + 1]


@pytest.mark.parametrize(
    "header",
    [
        "bytes=1000-",  # starts at the end
        "bytes=5000-6000",
        "bytes=1000-1000",
        "bytes=-0",  # an empty suffix
        "bytes=5-2",  # backwards
        "bytes=",
        "bytes=-",
        "bytes=abc",
        "bytes=a-b",
        "bytes=1-2-3",
        "bytes=0x10-20",
        "bytes=+1-2",
        "bytes=\u0661-\u0665",  # Arabic-Indic digits, which int() would read
        "bytes 0-5",
        "items=0-5",
        "=0-5",
        "bytes=0-5,",
        "",
        "bytes=99999999999999999999999999-",
        "bytes=" + "9" * 5000 + "-",  # more digits than int() reads
        "bytes=" + "9" * 5000 + "-" + "9" * 5000,
    ],
)
def test_an_unsatisfiable_or_malformed_range_is_416_never_500(patient_client, video, header):
    response = patient_client.get(URL, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert response.content == b""


@pytest.mark.parametrize(
    "header", ["bytes=0-" + "9" * 5000, "bytes=-" + "9" * 5000, "bytes=" + "0" * 5000 + "-"]
)
def test_ranges_of_any_length_that_cover_the_file_send_it(patient_client, video, header):
    response = patient_client.get(URL, HTTP_RANGE=header)
    assert response.status_code == 206
    assert body(response) == DATA


def test_several_ranges_get_the_whole_file(patient_client, video):
    response = patient_client.get(URL, HTTP_RANGE="bytes=0-1, 5-6")
    assert response.status_code == 200
    assert body(response) == DATA


def test_if_range_sends_the_range_only_for_the_same_file(patient_client, video):
    etag = patient_client.get(URL)["ETag"]
    same = patient_client.get(URL, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    changed = patient_client.get(URL, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"an-older-version"')
    assert (same.status_code, body(same)) == (206, DATA[:10])
    assert (changed.status_code, body(changed)) == (200, DATA)


def test_head_has_the_headers_of_get(patient_client, video):
    response = patient_client.head(URL, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-19/{SIZE}"
    assert response["Content-Length"] == "10"


@pytest.mark.parametrize(
    "kind, content_type, start",
    [("poster.jpg", "image/jpeg", b"\xff\xd8\xff"), ("captions.vtt", "text/vtt; charset=utf-8", b"WEBVTT")],
)
def test_posters_and_captions_are_served_too(patient_client, video, kind, content_type, start):
    response = patient_client.get(f"/stretches/pelvic-tilts/{kind}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert body(response).startswith(start)


def test_anonymous_visitors_are_sent_to_log_in_without_the_bytes(client, video):
    response = client.get(URL, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/stretches/pelvic-tilts/video.mp4")
    assert DATA[:100] not in response.content


def test_an_api_token_works_and_a_bad_one_is_401(video, patient):
    good = client_for(patient).get(URL, HTTP_RANGE="bytes=0-9")
    assert (good.status_code, body(good)) == (206, DATA[:10])
    bad = client_for(None).get(URL, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad.status_code == 401
    assert DATA[:10] not in bad.content


def test_an_unpublished_video_is_404_to_patients_and_served_to_staff(client, patient, media_root):
    stored_video(title="Draft", slug="draft", published=False)
    client.force_login(patient)
    assert client.get("/stretches/draft/video.mp4").status_code == 404
    sign_in(client, UserFactory(username="editor", role="staff", is_staff=True))
    assert client.get("/stretches/draft/video.mp4").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/stretches/pelvic-tilts/video.webm",  # this video has no WebM
        "/stretches/pelvic-tilts/video.avi",
        "/stretches/pelvic-tilts/../../settings.py",
        "/stretches/no-such-stretch/video.mp4",
    ],
)
def test_files_that_do_not_exist_are_404(patient_client, video, path):
    assert patient_client.get(path).status_code == 404


def test_a_file_missing_from_storage_is_404_not_500(patient_client, media_root):
    StretchVideoFactory(slug="ghost")  # names files that were never written
    assert patient_client.get("/stretches/ghost/video.mp4").status_code == 404


def test_production_hands_the_bytes_to_nginx_after_checking_access(client, patient, video, settings):
    settings.VIDA_MEDIA_ACCEL_REDIRECT = "/protected-media/"
    assert client.get(URL).status_code == 302  # still only for signed-in people
    client.force_login(patient)
    response = client.get(URL, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 200  # nginx turns it into the 206
    assert response["X-Accel-Redirect"] == f"/protected-media/{video.video_mp4.name}"
    assert response["Content-Type"] == "video/mp4"
    assert response.content == b""


# --- under gunicorn, as in production without nginx ---------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(transactional_db, media_root):
    """Vida under gunicorn, on the test database and the test MEDIA_ROOT."""
    port = free_port()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "VIDA_MEDIA_ROOT": str(media_root),
        "DATABASE_CONN_MAX_AGE": "0",
    }
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen(
        [
            str(gunicorn_bin),
            "vida.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"gunicorn exited: {process.stderr.read().decode()}")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url, **headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_ranges_work_under_gunicorn(gunicorn, client, patient, video):
    client.force_login(patient)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    status, headers, content = fetch(gunicorn + URL, Cookie=cookie)
    assert (status, headers["Accept-Ranges"], content) == (200, "bytes", DATA)
    status, headers, content = fetch(gunicorn + URL, Cookie=cookie, Range="bytes=500-509")
    assert (status, headers["Content-Range"], content) == (206, f"bytes 500-509/{SIZE}", DATA[500:510])
    status, headers, content = fetch(gunicorn + URL, Cookie=cookie, Range="bytes=-3")
    assert (status, content) == (206, DATA[-3:])
    status, headers, _ = fetch(gunicorn + URL, Cookie=cookie, Range="bytes=2000-")
    assert (status, headers["Content-Range"]) == (416, f"bytes */{SIZE}")
    status, _, content = fetch(gunicorn + URL, Range="bytes=0-9")  # no session cookie
    assert status in (200, 302) and DATA[:10] not in content  # urllib follows to the login page
