"""Nudge emails and the one-click unsubscribe; development's mail folder; password reset by email."""

import re
from html import unescape

import pytest
from django.core import mail, signing
from django.test import Client

from nudges.emails import nudge_email, unsubscribe_token
from nudges.models import PATIENT_KINDS, Kind, Nudge, NudgePreferences, Status
from tests.factories import CheckInFactory, PatientFactory, days_ago
from vida.celery import app as celery_app
from vida.mail import FolderBackend

pytestmark = pytest.mark.django_db


def make_nudge(patient, kind):
    return Nudge.objects.create(
        recipient=patient,
        kind=kind,
        local_date=patient.local_today(),
        email=True,
        in_app=True,
        status=Status.PENDING,
    )


def without_links(text):
    return re.sub(r"https?://\S+", "", text)


def body_text(message):
    return message.body, message.alternatives[0].content


def visible(html):
    """What a reader sees of an HTML body: tags dropped, entities decoded."""
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def base_url(settings):
    settings.VIDA_BASE_URL = "https://vida.example.org"
    return settings.VIDA_BASE_URL


@pytest.mark.parametrize("kind", PATIENT_KINDS)
def test_every_nudge_email_has_a_name_the_kind_a_link_and_no_health_figures(base_url, kind):
    patient = PatientFactory(display_name="Sam & Jo")
    for n in range(5):
        CheckInFactory(
            patient=patient, date=days_ago(patient, n), back_pain=7, hip_pain=9, note="sciatica 8/10"
        )
    message = nudge_email(make_nudge(patient, kind))
    text, html = body_text(message)
    assert message.to == [patient.email]
    assert "Hi Sam & Jo," in text and "Hi Sam &amp; Jo," in html  # the text part is not HTML-escaped
    link = {"checkin_reminder": "/today/", "stretch_nudge": "/stretches/", "reengagement": "/today/"}[kind]
    assert f"{base_url}{link}" in text and f'href="{base_url}{link}"' in html
    # No figure of any kind outside the links: no pain scores, no dates, no counts.
    assert not re.search(r"\d", without_links(text))
    assert not re.search(r"\d", without_links(visible(html)))
    assert "sciatica" not in text + html and not re.search(r"\d", message.subject)


def test_the_reminder_email_carries_one_click_unsubscribe_headers(base_url):
    patient = PatientFactory()
    nudge = make_nudge(patient, Kind.CHECKIN_REMINDER)
    message = nudge_email(nudge)
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(rf"<{re.escape(base_url)}/unsubscribe/[^>]+/>", unsubscribe)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Message-ID"] == f"<nudge-{nudge.pk}@vida.localhost>"
    raw = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
    assert unsubscribe[1:-1] in message.body


# --- unsubscribing --------------------------------------------------------------------------------


@pytest.fixture
def mail_client():
    # Like a mail client: no cookies, no CSRF token, and CSRF checks on.
    return Client(enforce_csrf_checks=True)


def path_for(patient, kind):
    return f"/unsubscribe/{unsubscribe_token(patient, kind)}/"


def test_get_only_asks_to_confirm(mail_client, patient):
    response = mail_client.get(path_for(patient, Kind.CHECKIN_REMINDER))
    assert response.status_code == 200
    assert "Stop daily check-in reminders?" in response.content.decode()
    assert NudgePreferences.for_user(patient).checkin_reminder is True


def test_one_click_post_turns_that_kind_off_and_answers_200_itself(mail_client, patient):
    path = path_for(patient, Kind.STRETCH_NUDGE)
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200  # not a redirect (RFC 8058)
    assert "no more stretch nudges" in response.content.decode()
    preferences = NudgePreferences.objects.get(user=patient)
    assert preferences.stretch_nudge is False
    assert preferences.checkin_reminder is True and preferences.reengagement is True
    # A second click (or a mail client's retry) changes nothing and still answers 200.
    assert mail_client.post(path).status_code == 200
    assert NudgePreferences.objects.get(user=patient).stretch_nudge is False


def spliced(payload_from, signature_from):
    return payload_from.rsplit(":", 1)[0] + ":" + signature_from.rsplit(":", 1)[1]


def tampered(token):
    value, signature = token.rsplit(":", 1)
    return f"{value}:{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}"


@pytest.mark.parametrize(
    "make_token",
    [
        lambda p: tampered(unsubscribe_token(p, Kind.CHECKIN_REMINDER)),
        # Another person's payload under this person's signature.
        lambda p: spliced(
            unsubscribe_token(PatientFactory(), Kind.CHECKIN_REMINDER),
            unsubscribe_token(p, Kind.CHECKIN_REMINDER),
        ),
        # Signed by us, for something else (another salt).
        lambda p: signing.dumps([str(p.public_id), "checkin_reminder"], salt="vida.somewhere.else"),
        # Signed with another key.
        lambda p: signing.dumps(
            [str(p.public_id), "checkin_reminder"], key="x" * 50, salt="vida.nudges.unsubscribe"
        ),
        # Properly signed, but for a kind that does not exist or a person who does not.
        lambda p: signing.dumps([str(p.public_id), "everything"], salt="vida.nudges.unsubscribe"),
        lambda p: signing.dumps(
            ["9b2f6a4e-0000-4000-8000-000000000000", "checkin_reminder"], salt="vida.nudges.unsubscribe"
        ),
        lambda p: "not-a-token",
    ],
)
def test_a_tampered_or_foreign_link_is_a_400_and_changes_nothing(mail_client, patient, make_token):
    path = f"/unsubscribe/{make_token(patient)}/"
    assert mail_client.get(path).status_code == 400
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not NudgePreferences.objects.filter(user=patient).exists()


# --- development's mail folder ----------------------------------------------------------------------


def test_the_folder_backend_writes_one_readable_eml_file_per_email(tmp_path, patient):
    messages = [nudge_email(make_nudge(patient, kind)) for kind in PATIENT_KINDS]
    assert FolderBackend(file_path=tmp_path).send_messages(messages) == 3
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 3 and not list(tmp_path.glob(".*"))
    texts = [f.read_text() for f in files]
    assert any("Subject: Time for today's check-in" in t for t in texts)
    assert all("Hi pat," in t and "List-Unsubscribe:" in t for t in texts)  # plain text, not base64


# --- password reset ----------------------------------------------------------------------------------


@pytest.fixture
def eager_tasks():
    """Tasks run where they are sent; the delivery tests run them on real workers."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def ask_for_reset(client, address, capture):
    with capture(execute=True):
        return client.post("/accounts/password-reset/", {"email": address})


def test_password_reset_mails_a_working_link_to_a_known_address(
    client, patient, eager_tasks, django_capture_on_commit_callbacks, base_url
):
    response = ask_for_reset(client, patient.email.upper(), django_capture_on_commit_callbacks)
    assert (response.status_code, response["Location"]) == (302, "/accounts/password-reset/sent/")
    [message] = mail.outbox
    assert message.to == [patient.email] and message.subject == "Reset your Vida password"
    link = re.search(rf"{re.escape(base_url)}(/accounts/password-reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "fresh-hips-2026", "new_password2": "fresh-hips-2026"}
    )
    assert done["Location"] == "/accounts/password-reset/done/"
    patient.refresh_from_db()
    assert patient.check_password("fresh-hips-2026")
    assert client.get(link, follow=True).context["validlink"] is False  # used once


def test_password_reset_answers_the_same_for_an_unknown_address(
    client, patient, eager_tasks, django_capture_on_commit_callbacks
):
    known = ask_for_reset(client, patient.email, django_capture_on_commit_callbacks)
    unknown = ask_for_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(mail.outbox) == 1
    page = client.get(unknown["Location"]).content.decode()
    assert "If a Vida account uses that address" in page


def test_the_login_page_links_to_password_reset(client):
    assert 'href="/accounts/password-reset/"' in client.get("/accounts/login/").content.decode()
