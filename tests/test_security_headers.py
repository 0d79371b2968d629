"""Headers every answer carries: Content-Security-Policy, Permissions-Policy, no-store; JSON logs."""

import io
import json
import logging
import re
from pathlib import Path

import pytest

from tests.security_helpers import sign_in

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


def test_pages_have_a_self_only_policy_without_unsafe_inline(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/today/", "/history/", "/settings/", "/api/v1/me/", "/api/v1/trends/"])
def test_authenticated_pages_and_api_answers_are_never_stored(client, patient, path):
    client.force_login(patient)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_clinician_pages_are_never_stored(client, clinician):
    sign_in(client, clinician)
    assert client.get("/clinic/")["Cache-Control"] == "no-store"


# Templates that are never served as pages: email bodies (mail clients read them, the policy does
# not apply there, and inline styles are how email is styled) and the PDF report's layout (WeasyPrint
# reads it on the server).
NOT_PAGES = ("email", "reports/report.html")


def template_files():
    """Every page template."""
    return sorted(
        p
        for p in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in p.parts and not any(part in str(p.relative_to(ROOT)) for part in NOT_PAGES)
    )


@pytest.mark.parametrize("template", template_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_style_or_event_handlers(template):
    html = template.read_text()
    assert not re.search(r"\sstyle\s*=", html, re.I), "inline style= attribute"
    assert not re.search(r"<style", html, re.I), "inline <style> element"
    assert not re.search(r"\son[a-z]+\s*=", html, re.I), "inline event handler"
    for tag in re.findall(r"<script\b[^>]*>", html, re.I):
        assert "src=" in tag or 'type="application/json"' in tag, f"inline script: {tag}"


def test_the_api_docs_page_runs_no_inline_script(client):
    html = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S | re.I)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)


def test_each_request_logs_one_json_line_with_its_id_and_no_body(client):
    from tests.factories import PatientFactory
    from vida.logs import JsonFormatter, RequestIdFilter

    patient = PatientFactory(username="zebediah.quinn")

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)
    try:
        client.force_login(patient)
        response = client.post(
            "/api/v1/checkins/",
            {"back_pain": 7, "hip_pain": 3, "note": "secret note"},
            content_type="application/json",
        )
    finally:
        logging.getLogger().removeHandler(handler)
    assert response.status_code == 201 and len(response["X-Request-ID"]) == 32
    logged = [json.loads(line) for line in stream.getvalue().splitlines()]  # every line is one JSON object
    mine = [entry for entry in logged if entry.get("request_id") == response["X-Request-ID"]]
    assert mine[-1]["route"] == "api/v1/checkins/" and mine[-1]["status"] == 201
    assert mine[-1]["level"] == "INFO" and mine[-1]["logger"] == "vida.request" and "timestamp" in mine[-1]
    text = stream.getvalue()
    assert "secret note" not in text and patient.username not in text and patient.email not in text
