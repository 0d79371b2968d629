"""The second factor on the web: a password alone does not sign a clinician or staff member in."""

import re
import time

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import reauth
from tests.factories import TEST_PASSWORD, UserFactory
from tests.security_helpers import authenticator, current_code, sign_in

pytestmark = pytest.mark.django_db


def password_only(client, user, next_url=""):
    return client.post(f"/accounts/login/{next_url}", {"username": user.username, "password": TEST_PASSWORD})


def test_after_the_password_a_clinician_is_sent_to_the_second_step_and_pages_are_closed(client, clinician):
    authenticator(clinician)
    response = password_only(client, clinician, "?next=/clinic/")
    assert response.status_code == 302
    page = client.get("/clinic/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/two-factor/?next=")
    assert client.get("/settings/").status_code == 302
    assert client.get("/api/v1/clinician/patients/").status_code in (401, 403)
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_the_right_code_completes_the_sign_in_and_goes_where_they_were_going(client, clinician):
    authenticator(clinician)
    password_only(client, clinician, "?next=/clinic/")
    before = client.session.session_key
    response = client.post("/accounts/two-factor/", {"otp": current_code(clinician), "next": "/clinic/"})
    assert response.status_code == 302 and response["Location"] == "/clinic/"
    assert client.session.session_key != before  # a new session key once fully signed in
    assert client.get("/clinic/").status_code == 200
    assert client.get("/api/v1/clinician/patients/").status_code == 200


def test_a_wrong_code_is_refused_and_logged(client, clinician, caplog):
    authenticator(clinician)
    password_only(client, clinician)
    wrong = "000000" if current_code(clinician) != "000000" else "111111"
    response = client.post("/accounts/two-factor/", {"otp": wrong})
    assert response.status_code == 400
    assert client.get("/clinic/").status_code == 302
    assert any(getattr(r, "event", None) == "second_factor_failed" for r in caplog.records)


def test_the_next_url_must_stay_on_this_site(client, clinician):
    authenticator(clinician)
    password_only(client, clinician)
    response = client.post(
        "/accounts/two-factor/", {"otp": current_code(clinician), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_first_sign_in_sets_up_the_authenticator_with_a_qr_code_then_shows_backup_codes(client, clinician):
    password_only(client, clinician)
    step = client.get("/accounts/two-factor/")
    assert step.status_code == 302 and step["Location"].startswith("/accounts/two-factor/setup/")
    setup = client.get("/accounts/two-factor/setup/")
    html = setup.content.decode()
    assert "<svg" in html and "otpauth" not in html  # the QR code is drawn here; the URL is not in the page
    key = re.search(r'<code class="otp-key">([A-Z2-7]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    assert device.bin_key.hex() == device.key and len(key) >= 32
    code = current_code_for_device(device)
    done = client.post("/accounts/two-factor/setup/", {"otp": code})
    assert done.status_code == 200
    assert len(re.findall(r"<li><code>[a-z0-9]+</code></li>", done.content.decode())) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/clinic/").status_code == 200


def current_code_for_device(device):
    from django_otp.oath import TOTP

    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def test_a_patient_signs_in_with_the_password_alone(client, patient):
    response = password_only(client, patient)
    assert response.status_code == 302
    assert client.get("/today/").status_code == 200


def test_the_admin_asks_staff_for_the_second_factor():
    staff = UserFactory(role="staff", is_staff=True, is_superuser=True)
    authenticator(staff)
    client = Client()
    client.post("/admin/login/", {"username": staff.username, "password": TEST_PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    client.post("/accounts/two-factor/", {"otp": current_code(staff)})
    assert client.get("/admin/").status_code == 200


def test_clinician_sessions_end_after_fifteen_idle_minutes(client, clinician, patient):
    sign_in(client, clinician)
    client.get("/clinic/")
    assert client.session.get_expiry_age() == 15 * 60
    patient_client = Client()
    patient_client.force_login(patient)
    patient_client.get("/today/")
    assert patient_client.session.get_expiry_age() == 14 * 24 * 60 * 60


def test_changing_the_second_factor_asks_for_the_password_again(client, clinician):
    sign_in(client, clinician)
    session = client.session
    session[reauth.SESSION_KEY] = int(time.time()) - reauth.REAUTH_SECONDS - 1  # signed in a while ago
    session.save()
    response = client.get("/settings/two-factor/new-app/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/confirm-password/")
    assert client.post("/accounts/confirm-password/", {"password": "wrong"}).status_code == 400
    confirmed = client.post(
        "/accounts/confirm-password/", {"password": TEST_PASSWORD, "next": "/settings/two-factor/new-app/"}
    )
    assert confirmed["Location"] == "/settings/two-factor/new-app/"
    assert b"<svg" in client.get("/settings/two-factor/new-app/").content


def test_moving_to_a_new_app_retires_the_old_one_and_keeps_this_session(client, clinician):
    old = authenticator(clinician)
    sign_in(client, clinician)
    client.post("/accounts/confirm-password/", {"password": TEST_PASSWORD})
    client.get("/settings/two-factor/new-app/")
    new = TOTPDevice.objects.get(user=clinician, confirmed=False)
    assert (
        client.post("/settings/two-factor/new-app/", {"otp": current_code_for_device(new)}).status_code == 200
    )
    assert list(TOTPDevice.objects.filter(user=clinician)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert client.get("/clinic/").status_code == 200


def test_new_backup_codes_replace_the_old_ones(client, clinician):
    sign_in(client, clinician)
    client.post("/accounts/confirm-password/", {"password": TEST_PASSWORD})
    first = client.post("/settings/two-factor/backup-codes/").content.decode()
    second = client.post("/settings/two-factor/backup-codes/").content.decode()
    codes = re.findall(r"<code>([a-z0-9]+)</code>", first)
    assert len(codes) == 10 and not set(codes) & set(re.findall(r"<code>([a-z0-9]+)</code>", second))


def test_the_second_step_can_be_abandoned_by_logging_out(client, clinician):
    authenticator(clinician)
    password_only(client, clinician)
    assert b"Cancel and log out" in client.get("/accounts/two-factor/").content
    client.post("/accounts/logout/")
    response = client.get("/accounts/two-factor/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
