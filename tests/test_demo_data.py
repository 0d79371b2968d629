"""The demo data a newcomer meets after `make run`."""

import itertools
import statistics

import pytest
from django.core.management import call_command

from accounts.models import User
from checkins.models import CheckIn
from demo.accounts import DEMO_CLINICIAN, DEMO_PATIENT
from demo.checkins import DEMO_DAYS, demo_series
from screening.models import ScreeningResponse
from stretches.recommend import today_recommendation


def changes(values):
    return [b - a for a, b in itertools.pairwise(values)]


def test_in_the_demo_series_the_hip_leads_the_back():
    hip = [h for h, _, _ in demo_series()]
    back = [b for _, b, _ in demo_series()]
    d_hip, d_back = changes(hip), changes(back)
    # Yesterday's hip change predicts today's back change far better than the reverse.
    hip_then_back = statistics.correlation(d_hip[:-1], d_back[1:])
    back_then_hip = statistics.correlation(d_back[:-1], d_hip[1:])
    assert hip_then_back > 0.4
    assert hip_then_back > back_then_hip + 0.3


def test_demo_series_stays_on_the_scale():
    for hip, back, sitting in demo_series():
        assert 0 <= hip <= 10 and 0 <= back <= 10
        assert 0 <= sitting <= 24 and (sitting * 2) % 1 == 0


@pytest.mark.django_db
def test_seed_demo_makes_the_accounts_and_60_days_ending_today_and_can_run_again(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    call_command("seed_demo")
    patient = User.objects.get(username=DEMO_PATIENT["username"])
    clinician = User.objects.get(username=DEMO_CLINICIAN["username"])
    assert (patient.role, clinician.role) == ("patient", "clinician")
    assert patient.check_password(DEMO_PATIENT["password"])
    days = CheckIn.objects.filter(patient=patient)
    assert days.count() == DEMO_DAYS
    assert days.order_by("-date").first().date == patient.local_today()


@pytest.mark.django_db
def test_the_demo_patient_has_a_clear_screening_so_today_suggests_stretches(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    call_command("seed_demo")
    patient = User.objects.get(username=DEMO_PATIENT["username"])
    (screening,) = ScreeningResponse.objects.filter(patient=patient)
    assert (screening.urgency, screening.hip_component, screening.leading_region) == ("none", "likely", "hip")
    assert screening.created_at.astimezone(patient.zone).date() < patient.local_today()
    recommendation = today_recommendation(patient)
    assert recommendation["focus"] not in ("screen_first", "paused")
    assert recommendation["videos"]


@pytest.mark.django_db
def test_the_demo_clinician_has_the_published_totp_key_and_gets_a_token_with_its_code(settings, tmp_path):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.test import APIClient

    from demo.accounts import DEMO_CLINICIAN_TOTP_SECRET

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    device = TOTPDevice.objects.get(user__username=DEMO_CLINICIAN["username"], confirmed=True)
    assert DEMO_CLINICIAN_TOTP_SECRET == "JBSWY3DPEHPK3PXP"
    assert device.bin_key == b"Hello!\xde\xad\xbe\xef"  # what JBSWY3DPEHPK3PXP decodes to
    code = f"{TOTP(device.bin_key).token():06d}"
    response = APIClient().post(
        "/api/v1/auth/token/", {**DEMO_CLINICIAN, "otp": code}, format="json", REMOTE_ADDR="127.0.0.9"
    )
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_seed_demo_refuses_production_settings(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_demo_code_prints_the_demo_clinicians_current_code(capsys):
    from django_otp.oath import TOTP

    key = b"Hello!\xde\xad\xbe\xef"  # JBSWY3DPEHPK3PXP
    before = f"{TOTP(key).token():06d}"
    call_command("demo_code")
    after = f"{TOTP(key).token():06d}"  # the code may turn over meanwhile
    assert capsys.readouterr().out.strip() in {before, after}


@pytest.mark.django_db
def test_the_demo_clinicians_code_can_be_given_twice_in_its_half_minute(client):
    import base64

    from django_otp.oath import TOTP

    call_command("seed_demo")
    code = f"{TOTP(base64.b32decode('JBSWY3DPEHPK3PXP')).token():06d}"
    body = {"username": "demo.clinician", "password": "vida-demo-clinician", "otp": code}
    assert client.post("/api/v1/auth/token/", body, content_type="application/json").status_code == 200
    assert client.post("/api/v1/auth/token/", body, content_type="application/json").status_code == 200
