import pytest

from accounts.models import User
from security.api.views import TokenThrottle
from security.models import AuthToken

pytestmark = pytest.mark.django_db

GOOD = {
    "username": "newpatient",
    "email": "new@example.org",
    "password": "stretch-the-hips-daily",
    "timezone": "Pacific/Auckland",
}


def test_register_creates_a_patient_and_returns_the_profile(anon_api):
    response = anon_api.post("/api/v1/auth/register/", GOOD, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "newpatient"
    assert body["role"] == "patient"
    assert body["timezone"] == "Pacific/Auckland"
    assert "password" not in body
    user = User.objects.get(username="newpatient")
    assert str(user.public_id) == body["id"]
    assert user.check_password(GOOD["password"])


@pytest.mark.parametrize(
    "change, field",
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"email": "not-an-email"}, "email"),
        ({"password": "12345678"}, "password"),
        ({"password": "short"}, "password"),
        ({"username": ""}, "username"),
    ],
)
def test_register_rejects_bad_input_and_creates_nothing(anon_api, change, field):
    response = anon_api.post("/api/v1/auth/register/", {**GOOD, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.exists()


def test_register_cannot_choose_a_role(anon_api):
    response = anon_api.post("/api/v1/auth/register/", {**GOOD, "role": "clinician"}, format="json")
    assert response.status_code == 201
    assert User.objects.get().role == "patient"


def test_register_refuses_a_taken_username_or_email(anon_api, patient):
    taken_name = anon_api.post(
        "/api/v1/auth/register/", {**GOOD, "username": patient.username}, format="json"
    )
    taken_email = anon_api.post(
        "/api/v1/auth/register/", {**GOOD, "email": patient.email.upper()}, format="json"
    )
    assert taken_name.status_code == 400 and "username" in taken_name.json()
    assert taken_email.status_code == 400 and "email" in taken_email.json()
    assert User.objects.count() == 1


def test_token_login_returns_a_token_that_authenticates(anon_api, patient):
    response = anon_api.post(
        "/api/v1/auth/token/",
        {"username": patient.username, "password": "a-long-test-passphrase"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert AuthToken.objects.get(user=patient).token_key == token[:15]
    anon_api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert anon_api.get("/api/v1/me/").json()["username"] == patient.username


def test_token_login_with_a_wrong_password_is_refused(anon_api, patient):
    response = anon_api.post(
        "/api/v1/auth/token/", {"username": patient.username, "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_me_shows_only_my_profile(patient_api, patient):
    body = patient_api.get("/api/v1/me/").json()
    assert body == {
        "id": str(patient.public_id),
        "username": patient.username,
        "email": patient.email,
        "display_name": "",
        "timezone": "Europe/London",
        "role": "patient",
    }


def test_me_patch_changes_timezone_and_display_name(patient_api, patient):
    response = patient_api.patch(
        "/api/v1/me/", {"timezone": "Asia/Kolkata", "display_name": "Pat"}, format="json"
    )
    assert response.status_code == 200
    patient.refresh_from_db()
    assert (patient.timezone, patient.display_name) == ("Asia/Kolkata", "Pat")


def test_me_patch_cannot_change_role_or_username(patient_api, patient):
    patient_api.patch("/api/v1/me/", {"role": "staff", "username": "root"}, format="json")
    patient.refresh_from_db()
    assert (patient.role, patient.username) == ("patient", "pat")


def test_me_patch_rejects_an_unknown_timezone(patient_api, patient):
    response = patient_api.patch("/api/v1/me/", {"timezone": "Europe/Atlantis"}, format="json")
    assert response.status_code == 400
    assert "timezone" in response.json()
    patient.refresh_from_db()
    assert patient.timezone == "Europe/London"


def test_me_needs_credentials(anon_api):
    assert anon_api.get("/api/v1/me/").status_code in (401, 403)
    assert anon_api.patch("/api/v1/me/", {"timezone": "UTC"}, format="json").status_code in (401, 403)


def test_a_bad_token_is_refused(anon_api, patient):
    anon_api.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert anon_api.get("/api/v1/me/").status_code == 401


def test_an_inactive_users_token_is_refused(patient_api, patient):
    patient.is_active = False
    patient.save()
    response = patient_api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_auth_is_one_query(patient_api, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert patient_api.get("/api/v1/me/").status_code == 200


def test_token_requests_are_throttled_per_client(anon_api, patient, monkeypatch):
    monkeypatch.setattr(TokenThrottle, "rate", "3/hour", raising=False)
    codes = [
        anon_api.post(
            "/api/v1/auth/token/", {"username": patient.username, "password": "guess"}, format="json"
        ).status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]
