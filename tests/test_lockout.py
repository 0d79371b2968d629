"""Lockout on every sign-in path (django-axes), by account and by client, counted in the shared cache."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from security.api.views import TokenThrottle
from security.second_factor import new_backup_codes
from tests.factories import TEST_PASSWORD, UserFactory
from tests.security_helpers import api_token, authenticator, current_code

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture(autouse=True)
def low_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def web_login(user, password, addr="10.0.0.1", client=None):
    client = client or Client(REMOTE_ADDR=addr)
    return client.post("/accounts/login/", {"username": user.username, "password": password})


def token_login(user, password, addr="10.0.0.1", **headers):
    return APIClient(REMOTE_ADDR=addr).post(
        "/api/v1/auth/token/", {"username": user.username, "password": password}, format="json", **headers
    )


def test_the_web_login_locks_the_account_after_repeated_wrong_passwords(caplog):
    patient = UserFactory(username="quentin.zabriskie")
    codes = [web_login(patient, "wrong", addr=f"10.0.0.{n}").status_code for n in range(LIMIT)]
    assert codes[:-1] == [200] * (LIMIT - 1)
    assert codes[-1] == 429
    locked = web_login(patient, TEST_PASSWORD, addr="10.9.9.9")  # the right password, from anywhere
    assert locked.status_code == 429
    assert "Retry-After" in locked and b"Too many failed sign-in attempts" in locked.content
    events = [getattr(r, "event", None) for r in caplog.records]
    assert events.count("sign_in_failed") >= LIMIT and "locked_out" in events
    assert patient.username not in caplog.text  # named by a keyed hash, never by name


def test_the_web_login_locks_the_client_whatever_usernames_it_tries(patient):
    for _ in range(LIMIT):
        web_login(UserFactory(), "wrong", addr="10.0.0.7")
    assert web_login(patient, TEST_PASSWORD, addr="10.0.0.7").status_code == 429
    assert web_login(patient, TEST_PASSWORD, addr="10.0.0.8").status_code == 302


def test_the_token_endpoint_locks_out_with_a_json_429_whatever_x_forwarded_for_says(patient):
    codes = [
        token_login(patient, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(LIMIT + 2)
    ]
    assert codes[: LIMIT - 1] == [400] * (LIMIT - 1)
    assert set(codes[LIMIT - 1 :]) == {429}
    locked = token_login(patient, TEST_PASSWORD, addr="10.9.9.9")
    assert locked.status_code == 429
    assert "Too many" in locked.json()["detail"] and locked["Retry-After"].isdigit()


def test_the_admin_login_locks_out_too():
    staff = UserFactory(role="staff", is_staff=True)
    client = Client(REMOTE_ADDR="10.0.0.3")
    codes = [
        client.post("/admin/login/", {"username": staff.username, "password": "wrong"}).status_code
        for _ in range(LIMIT)
    ]
    assert codes[-1] == 429


def test_wrong_second_factor_codes_count_toward_the_lockout(client, clinician):
    authenticator(clinician)
    client = Client(REMOTE_ADDR="10.0.0.4")
    web_login(clinician, TEST_PASSWORD, client=client)
    wrong = "000000" if current_code(clinician) != "000000" else "111111"
    codes = [client.post("/accounts/two-factor/", {"otp": wrong}).status_code for _ in range(LIMIT)]
    assert codes[-1] == 429 or web_login(clinician, TEST_PASSWORD, addr="10.0.0.5").status_code == 429


def test_once_locked_out_the_right_second_factor_code_is_refused_too(clinician):
    authenticator(clinician)
    client = Client(REMOTE_ADDR="10.0.0.4")
    web_login(clinician, TEST_PASSWORD, client=client)
    wrong = "000000" if current_code(clinician) != "000000" else "111111"
    for _ in range(LIMIT):
        client.post("/accounts/two-factor/", {"otp": wrong})
    right = client.post("/accounts/two-factor/", {"otp": current_code(clinician)})
    assert right.status_code == 429
    assert client.get("/clinic/").status_code == 302  # still only half signed in


def test_a_nul_in_the_second_factor_code_is_a_wrong_code_not_an_error(client, clinician):
    authenticator(clinician)
    new_backup_codes(clinician)  # the backup-code device looks codes up in the database
    web_login(clinician, TEST_PASSWORD, client=client)
    response = client.post("/accounts/two-factor/", {"otp": "abc\x00def12"})
    assert response.status_code == 400
    assert b"That code is not right" in response.content


def test_wrong_passwords_when_deleting_the_account_count_toward_the_lockout(patient):
    api = APIClient(REMOTE_ADDR="10.0.0.6")
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(patient)}")
    codes = [
        api.delete("/api/v1/me/", {"password": "guess"}, format="json").status_code for _ in range(LIMIT)
    ]
    assert codes[:-1] == [400] * (LIMIT - 1) and codes[-1] == 429
    assert api.delete("/api/v1/me/", {"password": TEST_PASSWORD}, format="json").status_code == 429
    assert User.objects.filter(pk=patient.pk).exists()
    assert web_login(patient, TEST_PASSWORD, addr="10.9.9.9").status_code == 429


def test_a_token_sign_in_clears_the_earlier_failures_as_the_web_does(patient):
    for _ in range(LIMIT - 1):
        assert token_login(patient, "wrong").status_code == 400
    assert token_login(patient, TEST_PASSWORD).status_code == 200
    codes = [token_login(patient, "wrong").status_code for _ in range(LIMIT - 1)]
    assert codes == [400] * (LIMIT - 1)
    patient.refresh_from_db()
    assert patient.last_login is not None


def test_the_token_throttle_counts_per_address_not_per_forwarded_header(patient, monkeypatch, settings):
    settings.AXES_FAILURE_LIMIT = 100  # the throttle, not the lockout
    monkeypatch.setattr(TokenThrottle, "rate", "3/hour", raising=False)
    codes = [
        APIClient(REMOTE_ADDR="10.1.1.1")
        .post(
            "/api/v1/auth/token/",
            {"username": f"nobody{n}", "password": "guess"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        .status_code
        for n in range(4)
    ]
    assert codes == [400, 400, 400, 429]


def test_with_one_trusted_proxy_the_address_it_saw_is_the_client(settings, rf):
    from vida.clients import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert client_ip(request) == "10.0.0.1"
    settings.VIDA_TRUSTED_PROXIES = 1
    assert client_ip(request) == "198.51.100.7"
    settings.VIDA_TRUSTED_PROXIES = 2
    assert client_ip(request) == "1.2.3.4"
