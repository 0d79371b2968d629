"""API tokens: hashed at rest, expiring, one per sign-in, ended by logout; the second factor for clinicians."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.db import connection
from django_otp.plugins.otp_static.models import StaticDevice
from rest_framework.test import APIClient

from security.models import AuthToken
from security.second_factor import new_backup_codes
from security.tokens import issue_token
from tests.conftest import client_for
from tests.factories import TEST_PASSWORD, UserFactory
from tests.security_helpers import authenticator, current_code

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def ask_token(user, **extra):
    return APIClient().post(
        TOKEN, {"username": user.username, "password": TEST_PASSWORD, **extra}, format="json"
    )


def with_token(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_stored_only_as_its_sha512_digest_and_expires(patient):
    response = ask_token(patient)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    stored = AuthToken.objects.get(user=patient)
    assert stored.digest == hashlib.sha512(body["token"].encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM security_authtoken WHERE digest = %s", [body["token"]])
        assert cursor.fetchone()[0] == 0
    assert dt.timedelta(days=29) < stored.expiry - stored.created <= dt.timedelta(days=30)


def test_each_sign_in_gets_its_own_token_and_logout_ends_only_that_one(patient):
    phone, laptop = ask_token(patient).json()["token"], ask_token(patient).json()["token"]
    assert with_token(phone).post("/api/v1/auth/logout/").status_code == 204
    assert with_token(phone).get("/api/v1/me/").status_code == 401
    assert with_token(laptop).get("/api/v1/me/").status_code == 200
    assert AuthToken.objects.filter(user=patient).count() == 1


def test_logout_needs_a_token(patient, client):
    client.force_login(patient)
    assert client.post("/api/v1/auth/logout/").status_code in (401, 403)


def test_an_expired_token_is_refused(patient):
    token = ask_token(patient).json()["token"]
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=31)):
        assert with_token(token).get("/api/v1/me/").status_code == 401


def test_expired_tokens_are_deleted_at_the_next_sign_in(patient):
    old = ask_token(patient).json()["token"]
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=31)):
        ask_token(patient)
    assert AuthToken.objects.filter(user=patient).count() == 1
    assert with_token(old).get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("header", ["Token \xff\xfe", "Token ", "Token a b", "Token " + "z" * 64])
def test_malformed_tokens_are_401_never_500(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/me/").status_code == 401


# --- the second factor -----------------------------------------------------------------------------


def test_a_clinician_needs_the_code_for_a_token(clinician):
    authenticator(clinician)
    response = ask_token(clinician)
    assert response.status_code == 400
    assert "otp" in response.json()
    assert not AuthToken.objects.exists()


def test_a_wrong_code_gets_no_token(clinician):
    authenticator(clinician)
    response = ask_token(clinician, otp="000000" if current_code(clinician) != "000000" else "111111")
    assert response.status_code == 400
    assert "otp" in response.json()
    assert not AuthToken.objects.exists()


def test_the_right_code_gets_a_token_that_works_for_a_clinicians_endpoints(clinician):
    response = ask_token(clinician, otp=current_code(clinician))
    assert response.status_code == 200
    token = AuthToken.objects.get(user=clinician)
    assert token.second_factor == authenticator(clinician).persistent_id
    assert token.expiry - token.created <= dt.timedelta(hours=12)
    assert with_token(response.json()["token"]).get("/api/v1/clinician/patients/").status_code == 200


def test_a_backup_code_works_once(clinician):
    authenticator(clinician)
    code = new_backup_codes(clinician)[0]
    assert ask_token(clinician, otp=code).status_code == 200
    assert ask_token(clinician, otp=code).status_code == 400
    assert StaticDevice.objects.get(user=clinician).token_set.count() == 9


def test_a_clinician_who_has_not_set_up_the_second_factor_is_told_to(clinician):
    response = ask_token(clinician, otp="123456")
    assert response.status_code == 400
    assert "set up" in response.json()["otp"][0]


def test_a_clinicians_token_issued_without_the_second_factor_is_refused(clinician):
    _, token = issue_token(clinician, device=None)
    response = with_token(token).get("/api/v1/clinician/patients/")
    assert response.status_code == 401


def test_staff_need_the_second_factor_too():
    staff = UserFactory(role="staff", is_staff=True)
    assert ask_token(staff).status_code == 400
    assert ask_token(staff, otp=current_code(staff)).status_code == 200


# --- a new password ends every token and the other sessions --------------------------------------------


def test_a_password_change_ends_every_token_and_other_sessions(patient, client):
    api = client_for(patient)
    client.force_login(patient)
    assert client.get("/today/").status_code == 200
    patient.set_password("a-brand-new-passphrase")
    patient.save()
    assert api.get("/api/v1/me/").status_code == 401
    assert client.get("/today/").status_code == 302
    assert not AuthToken.objects.filter(user=patient).exists()


def test_saving_a_profile_without_a_new_password_keeps_the_tokens(patient):
    api = client_for(patient)
    patient.display_name = "Pat"
    patient.save()
    assert api.get("/api/v1/me/").status_code == 200


def test_removing_an_authenticator_ends_the_tokens_issued_with_it(clinician):
    device = authenticator(clinician)
    api = client_for(clinician)
    assert api.get("/api/v1/clinician/patients/").status_code == 200
    device.delete()  # staff resetting a lost phone in the admin
    assert api.get("/api/v1/clinician/patients/").status_code == 401
