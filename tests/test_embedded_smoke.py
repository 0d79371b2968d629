"""The embedded default, as a newcomer meets it: `make run`'s stack on a free port, walked end to end.

Starts what `make run` starts (migrate, seed_demo, then scripts/run.sh: runserver, a Celery
worker and beat) with no configuration at all, so SQLite, kombu's filesystem broker, the
database cache and email to files, in a throwaway VIDA_VAR_DIR. Then walks every page and
read endpoint of DESIGN.md as the demo patient and as the demo clinician (second factor
included), and has the worker send a password-reset email into the mail folder. Any 5xx,
or a page that is not there, fails.
"""

import base64
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parents[1]
DEMO_TOTP_KEY = "JBSWY3DPEHPK3PXP"

PATIENT_PAGES = [
    "/today/",
    "/flares/",
    "/history/",
    "/history/?days=365",
    "/screening/",
    "/stretches/",
    "/settings/",
]
PATIENT_READS = [
    "/api/v1/me/",
    "/api/v1/checkins/",
    "/api/v1/flares/",
    "/api/v1/screening/questions/",
    "/api/v1/screening/responses/",
    "/api/v1/screening/responses/latest/",
    "/api/v1/trends/",
    "/api/v1/trends/?days=365",
    "/api/v1/stretches/videos/",
    "/api/v1/stretches/recommended/",
    "/api/v1/stretches/sessions/",
    "/api/v1/me/reminders/",
    "/api/v1/me/notifications/",
    "/api/v1/me/clinicians/",
    "/api/v1/me/access-log/",
    "/api/v1/me/export/",
    "/api/v1/me/report/?days=30",
]
SIGNED_OUT_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password-reset/",
    "/healthz",
    "/readyz",
    "/api/schema/",
    "/api/docs/",
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """A cookie-keeping HTTP client that records every answer it gets."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.seen = []  # (method, path, status)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=60) as reply:
                status, text, final = reply.status, reply.read(), reply.url
        except urllib.error.HTTPError as error:
            status, text, final = error.code, error.read(), error.url
        self.seen.append(("POST" if data is not None else "GET", path, status))
        return status, text, final

    def get(self, path):
        return self.request(path)

    def post_form(self, path, fields):
        """A form post with the CSRF token the page's cookie holds."""
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        return self.request(path, {"csrfmiddlewaretoken": token, **fields})

    def json(self, path):
        status, text, _ = self.get(path)
        assert status == 200, (path, status)
        return json.loads(text)

    def log_in(self, username, password):
        self.get("/accounts/login/")
        return self.post_form("/accounts/login/", {"username": username, "password": password})


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """`make run` on a free port with nothing configured; yields its base URL and var folder."""
    var = tmp_path_factory.mktemp("embedded-var")
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIDA_", "DATABASE_", "CELERY_"))
    }
    env = {k: v for k, v in env.items() if k not in ("EMAIL_URL", "CACHE_URL")}
    env.update(
        VIDA_ENV="development",
        VIDA_VAR_DIR=str(var),
        VIDA_PORT=str(port),
        DJANGO_SETTINGS_MODULE="vida.settings",
    )
    python = str(Path(sys.executable))
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        done = subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:]
    log = (var / "run.log").open("w")
    server = subprocess.Popen(
        ["bash", "scripts/run.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, (var / "run.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "make run's server did not answer within 60 s"
                time.sleep(0.5)
        yield base, var
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def problems(browser):
    return [
        f"{method} {path}: {status}"
        for method, path, status in browser.seen
        if status >= 500 or status == 404
    ]


def test_every_page_and_read_endpoint_as_the_demo_patient(stack):
    base, _ = stack
    browser = Browser(base)
    for path in SIGNED_OUT_PAGES:
        browser.get(path)
    _, _, final = browser.log_in("demo.patient", "vida-demo-patient")
    assert final.endswith("/today/"), final
    for path in PATIENT_PAGES:
        assert browser.get(path)[0] == 200, path
    for path in PATIENT_READS:
        assert browser.get(path)[0] == 200, path
    today = browser.json("/api/v1/checkins/")["results"][0]["date"]
    browser.get(f"/api/v1/checkins/{today}/")
    latest = browser.json("/api/v1/screening/responses/latest/")
    assert browser.get(f"/screening/{latest['id']}/")[0] == 200
    video = browser.json("/api/v1/stretches/videos/")["results"][0]
    for path in (
        f"/api/v1/stretches/videos/{video['slug']}/",
        f"/stretches/{video['slug']}/",
        video["poster_url"],
    ):
        assert browser.get(path)[0] == 200, path
    assert browser.json("/api/v1/trends/")["leading_region"]["label"] == "hip_leads"
    assert problems(browser) == []


def test_every_page_and_read_endpoint_as_the_demo_clinician(stack):
    base, _ = stack
    browser = Browser(base)
    _, _, final = browser.log_in("demo.clinician", "vida-demo-clinician")
    assert "/accounts/two-factor/" in final, final
    code = f"{TOTP(base64.b32decode(DEMO_TOTP_KEY)).token():06d}"
    _, _, final = browser.post_form("/accounts/two-factor/", {"otp": code})
    assert final.endswith("/clinic/"), final
    listed = browser.json("/api/v1/clinician/patients/")
    assert listed["count"] == 26
    patient = listed["results"][0]["id"]
    for path in (
        "/clinic/",
        "/clinic/?flag=worsening",
        f"/clinic/patients/{patient}/",
        "/settings/",
        "/api/v1/me/",
        "/api/v1/me/reminders/",
        "/api/v1/me/notifications/",
        f"/api/v1/clinician/patients/{patient}/trends/",
        f"/api/v1/clinician/patients/{patient}/notes/",
        f"/api/v1/clinician/patients/{patient}/export/?format=csv",
        f"/api/v1/clinician/patients/{patient}/export/?format=fhir",
        f"/api/v1/clinician/patients/{patient}/report/?days=30",
    ):
        assert browser.get(path)[0] == 200, path
    assert problems(browser) == []


def test_the_worker_sends_email_into_the_mail_folder(stack):
    base, var = stack
    browser = Browser(base)
    browser.get("/accounts/password-reset/")
    status, _, _ = browser.post_form("/accounts/password-reset/", {"email": "demo.patient@example.org"})
    assert status == 200
    deadline = time.monotonic() + 60
    while not list((var / "mail").glob("*.eml")) and time.monotonic() < deadline:
        time.sleep(0.5)
    [message] = list((var / "mail").glob("*.eml"))
    assert re.search(r"^Subject: Reset your Vida password", message.read_text(), re.M)
