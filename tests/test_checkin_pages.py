"""The server-rendered pages, through Django's test client (the browser tests drive them for real)."""

import datetime as dt
import json
import re

import pytest

from checkins.models import CheckIn, Flare
from tests.factories import CheckInFactory, FlareFactory, days_ago
from tests.security_helpers import sign_in

pytestmark = pytest.mark.django_db

PATIENT_PAGES = ["/today/", "/flares/", "/history/"]


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


@pytest.mark.parametrize("path", [*PATIENT_PAGES, "/settings/"])
def test_pages_send_anonymous_visitors_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", PATIENT_PAGES)
def test_patient_pages_do_not_exist_for_clinicians(client, clinician, path):
    sign_in(client, clinician)
    assert client.get(path).status_code == 404


def test_home_says_what_vida_is_to_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "hip" in main and "lower back" in main
    assert "Who it is for" in main and "Who it is not for" in main
    assert "Vida is not an emergency service" in main
    assert 'href="/accounts/signup/"' in main and 'href="/accounts/login/"' in main


def test_home_redirects_by_role(client, patient, clinician):
    client.force_login(patient)
    assert client.get("/")["Location"] == "/today/"


def test_today_form_uses_the_api_field_names(patient_client):
    html = patient_client.get("/today/").content.decode()
    for name in [
        "back_pain",
        "hip_pain",
        "sitting_hours",
        "worse_after_sitting",
        "eased_by_walking",
        "first_region",
        "note",
        "date",
    ]:
        assert f'name="{name}"' in html


def test_today_saves_then_edits_the_same_day(patient_client, patient):
    patient_client.post("/today/", {"back_pain": "6", "hip_pain": "3", "sitting_hours": "8.5"})
    patient_client.post("/today/", {"back_pain": "4", "hip_pain": "3", "worse_after_sitting": "true"})
    stored = CheckIn.objects.get(patient=patient)
    assert (stored.back_pain, stored.sitting_hours, stored.worse_after_sitting) == (4, None, True)


def test_today_shows_errors_and_keeps_the_answers(patient_client):
    response = patient_client.post("/today/", {"hip_pain": "7", "sitting_hours": "30", "note": "kept"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Rate it with a whole number from 0 (no pain) to 10" in html
    assert "between 0 and 24 hours" in html
    assert 'value="7" checked' in html
    assert ">kept</textarea>" in html
    assert not CheckIn.objects.exists()


def test_today_refuses_a_future_date(patient_client, patient):
    tomorrow = patient.local_today() + dt.timedelta(days=1)
    response = patient_client.post(
        "/today/", {"back_pain": "1", "hip_pain": "1", "date": tomorrow.isoformat()}
    )
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_flare_page_logs_a_flare(patient_client, patient):
    response = patient_client.post("/flares/", {"region": "hip", "intensity": "8", "trigger": "car"})
    assert response.status_code == 302
    flare = Flare.objects.get(patient=patient)
    assert (flare.region, flare.intensity, flare.trigger) == ("hip", 8, "car")


def test_flare_page_refuses_missing_region(patient_client):
    response = patient_client.post("/flares/", {"intensity": "8"})
    assert response.status_code == 400
    assert "region" in response.content.decode()
    assert not Flare.objects.exists()


def test_history_shows_only_my_days(patient_client, patient, other_patient):
    CheckInFactory(patient=patient, date=days_ago(patient, 1), back_pain=2, hip_pain=6)
    CheckInFactory(
        patient=other_patient, date=days_ago(other_patient, 1), back_pain=9, hip_pain=9, note="secret"
    )
    FlareFactory(patient=other_patient, trigger="their trigger")
    response = patient_client.get("/history/")
    chart = json.loads(
        re.search(
            r'<script id="history-data" type="application/json">(.*?)</script>', response.content.decode()
        ).group(1)
    )
    assert [v for v in chart["hip"] if v is not None] == [6]
    assert [v for v in chart["back"] if v is not None] == [2]
    assert sum(chart["flares"]) == 0
    assert "their trigger" not in response.content.decode()


def test_flares_page_shows_only_my_flares(patient_client, patient, other_patient):
    FlareFactory(patient=patient, trigger="my trigger")
    FlareFactory(patient=other_patient, trigger="their trigger")
    html = patient_client.get("/flares/").content.decode()
    assert "my trigger" in html and "their trigger" not in html


def test_history_query_count_does_not_grow_with_days(patient_client, patient, django_assert_max_num_queries):
    CheckIn.objects.bulk_create(
        CheckIn(patient=patient, date=days_ago(patient, n), back_pain=4, hip_pain=5) for n in range(400)
    )
    FlareFactory.create_batch(40, patient=patient)
    # session, user, the summary with its flags, check-ins, flares and sessions per day
    with django_assert_max_num_queries(6):
        assert patient_client.get("/history/?days=365").status_code == 200


def test_signup_creates_a_patient_and_logs_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "email": "newbie@example.org",
            "password": "stretch-the-hips-daily",
            "timezone": "Asia/Tokyo",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/today/"
    assert client.get("/today/").status_code == 200


def test_signup_errors_keep_the_answers_but_not_the_password(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "email": "bad",
            "password": "stretch-the-hips-daily",
            "timezone": "Asia/Tokyo",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="newbie"' in html
    assert "stretch-the-hips-daily" not in html
    assert '<option value="Asia/Tokyo" selected>' in html


def test_settings_change_the_timezone(client, patient):
    client.force_login(patient)
    client.post("/settings/", {"timezone": "America/Chicago", "display_name": "P"})
    patient.refresh_from_db()
    assert patient.timezone == "America/Chicago"
    response = client.post("/settings/", {"timezone": "Nowhere/City"})
    assert response.status_code == 400
    patient.refresh_from_db()
    assert patient.timezone == "America/Chicago"


def test_nav_marks_the_current_section_on_pages_below_it(patient_client):
    html = patient_client.get("/today/").content.decode()
    assert '<a href="/today/" aria-current="page">Today</a>' in html
    assert '<a href="/history/">History</a>' in html


def test_clinicians_see_no_patient_sections_in_the_nav(client, clinician):
    sign_in(client, clinician)
    html = client.get("/settings/").content.decode()
    assert 'href="/today/"' not in html
    assert '<a href="/settings/" aria-current="page">Settings</a>' in html


def test_a_failed_edit_of_today_still_says_today_is_saved(patient_client, patient):
    CheckInFactory(patient=patient, back_pain=5, hip_pain=5)
    response = patient_client.post("/today/", {"back_pain": "12", "hip_pain": "5"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your check-in for today" in html and "Update today" in html
    assert CheckIn.objects.get(patient=patient).back_pain == 5


def test_today_shows_one_line_of_progress_against_the_first_week(patient_client, patient):
    for n in range(20, 13, -1):
        CheckInFactory(patient=patient, date=days_ago(patient, n), back_pain=6, hip_pain=4)
    for n in range(6, -1, -1):
        CheckInFactory(patient=patient, date=days_ago(patient, n), back_pain=3, hip_pain=4)
    html = patient_client.get("/today/").content.decode()
    assert "Lower back: 7-day average 3.0, down from 6.0 in your first week." in html
    assert "Hip: 7-day average 4.0, the same as your first week." in html


def test_today_progress_waits_for_the_first_week_to_be_over(patient_client, patient):
    CheckInFactory(patient=patient, date=days_ago(patient, 2), back_pain=3, hip_pain=4)
    html = patient_client.get("/today/").content.decode()
    assert "Lower back: 7-day average 3.0. Hip: 7-day average 4.0." in html
    assert "first week" not in html


def test_history_cards_say_what_is_missing(patient_client, patient):
    for n in range(9):
        CheckInFactory(patient=patient, date=days_ago(patient, n))
    html = patient_client.get("/history/").content.decode()
    assert "8 of the 14 days needed" in html  # which region leads: nine days, eight with a day before
    assert "9 of the 14 days needed" in html  # the first-week comparison
    assert "Add your hours of sitting" in html


def test_history_falls_back_to_thirty_days_for_an_unknown_range(patient_client):
    response = patient_client.get("/history/?days=abc")
    assert response.status_code == 200
    assert "last 30 days" in response.content.decode()


def test_the_signup_page_shares_the_apis_limit_per_address(client):
    from accounts.api.views import RegisterThrottle

    RegisterThrottle.THROTTLE_RATES = {**RegisterThrottle.THROTTLE_RATES, "register": "2/hour"}
    try:
        for n in range(2):
            body = {"username": f"new{n}", "email": f"new{n}@example.org", "password": "stretch-hips-daily"}
            assert client.post("/accounts/signup/", {**body, "timezone": "UTC"}).status_code == 302
            client.logout()
        refused = client.post("/accounts/signup/", {**body, "username": "new9", "timezone": "UTC"})
    finally:
        del RegisterThrottle.THROTTLE_RATES
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many new accounts from this address" in refused.content.decode()
