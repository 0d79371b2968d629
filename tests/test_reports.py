"""The visit-ready report: GET /api/v1/me/report/, read back as a doctor and a screen reader would.

Laying out a PDF takes a noticeable fraction of a second, so the year-long
report is built once for the module (``year``) and every check on its text,
size, tags and pages reads that one file.
"""

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from checkins.trend_words import leading_sentence
from demo.checkins import seed_checkins
from reports import build
from reports.chart import chart, date_ticks
from screening import actions as screening_actions
from tests.conftest import client_for
from tests.factories import CheckInFactory, ClinicianFactory, FlareFactory, PatientFactory, days_ago
from tests.screening_answers import answers
from tests.stretch_factories import StretchSessionFactory, StretchVideoFactory

URL = "/api/v1/me/report/"
OUTPUT = Path(__file__).resolve().parents[1] / "test-output" / "reports"


def text_of(pdf):
    """The PDF's text, whitespace folded, so a sentence wrapped over two lines still matches."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def evening(patient, ago):
    return dt.datetime.combine(days_ago(patient, ago), dt.time(19), tzinfo=patient.zone)


def stretch_history(patient):
    """Three videos with rated sessions over the last weeks: the knee hug helps most."""
    videos = {
        title: StretchVideoFactory(title=title, region=region)
        for title, region in (
            ("Kneeling hip flexor", "hip_flexors"),
            ("Knee hug", "lumbar"),
            ("Cat cow", "both"),
        )
    }
    drops = {"Knee hug": 3, "Kneeling hip flexor": 2, "Cat cow": 1}
    for ago in range(20):
        title = list(drops)[ago % 3]
        StretchSessionFactory(
            patient=patient,
            video=videos[title],
            started_at=evening(patient, ago),
            completed=True,
            watched_seconds=60,
            back_pain_before=6,
            back_pain_after=6 - drops[title],
            hip_pain_before=5,
            hip_pain_after=5 - drops[title] + 1,
        )


@pytest.fixture(scope="module")
def year(django_db_setup, django_db_blocker):
    """A year of check-ins, flares, sessions and a reviewed red flag; the report read as a PDF.

    Built outside the tests' transactions, so it removes what it made when the module ends.
    """
    with django_db_blocker.unblock():
        patient = PatientFactory(username="robin", display_name="Robin Example", timezone="Europe/London")
        other = PatientFactory(username="olive.other", display_name="Olive Otherperson")
        clinician = ClinicianFactory(username="dr.reviewer", display_name="Dr Cole")
        seed_checkins(patient, days=365)
        stretch_history(patient)
        flagged = screening_actions.record_screening(
            patient, "hip-pattern-v1", answers(sitting_worse=True, front_hip=True, night_pain=True)
        )
        screening_actions.mark_reviewed(flagged, clinician)
        # Olive's record must never leak into Robin's report.
        CheckInFactory(patient=other, back_pain=9, hip_pain=9)
        screening_actions.record_screening(other, "hip-pattern-v1", answers(cancer_history=True))
        response = client_for(patient).get(URL, {"days": 365})
        gathered = build.gather(patient, 365)
        pdf = response.content
        yield {"patient": patient, "response": response, "pdf": pdf, "text": text_of(pdf), "report": gathered}
        videos = {session.video for session in patient.stretch_sessions.all()}
        patient.stretch_sessions.all().delete()  # sessions protect their videos from deletion
        for row in (*videos, patient, other, clinician):
            row.delete()
        # After a browser test these queries ran on a connection of their own (pg_stat_activity
        # shows it); close it, or dropping the test database at the end waits on it and fails.
        connection.close()


# --- the year-long report, read back ------------------------------------------------------------


def test_a_year_report_is_a_pdf_download_never_cached(year):
    response = year["response"]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = year["report"].today.isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="vida-report-robin-example-{today}-365-days.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    assert year["pdf"].startswith(b"%PDF-")


def test_its_text_holds_the_name_the_period_the_means_and_which_region_leads(year):
    report, text = year["report"], year["text"]
    assert "Robin Example" in text
    first = report.today - dt.timedelta(days=364)
    assert f"{first:%-d %b %Y} – {report.today:%-d %b %Y} (last 365 days)" in text
    summary = report.trends.summary
    back = f"Lower back {summary['back_7d_mean']:.1f} {summary['back_prev_7d_mean']:.1f} {summary['back_baseline_mean']:.1f}"
    hip = f"Hip {summary['hip_7d_mean']:.1f} {summary['hip_prev_7d_mean']:.1f} {summary['hip_baseline_mean']:.1f}"
    assert back in text and hip in text
    assert report.trends.leading_region["label"] == "hip_leads"
    assert leading_sentence(report.trends.leading_region) in text
    assert "After days with more than" in text  # the sitting link, in words
    assert "Self-reported by the patient in the Vida app. Not a diagnosis." in text


def test_it_names_the_red_flag_its_review_the_sessions_and_the_best_stretches(year):
    text = year["text"]
    assert "Red flag" in text and "Get checked by a doctor today" in text
    assert "Answered yes: constant pain that does not ease at rest or at night." in text
    assert "Reviewed by Dr Cole on" in text
    assert "a hip component is likely (2 of 3 hip patterns)" in text
    assert "20 guided stretch sessions completed in this period" in text
    # Most relief first: the knee hug eased the back by 3 points on average.
    assert re.search(r"Knee hug .*Kneeling hip flexor .*Cat cow", text)
    assert "eased by 3.0 points" in text


def test_a_year_stays_a_few_pages_and_under_a_megabyte(year):
    reader = PdfReader(io.BytesIO(year["pdf"]))
    assert 2 <= len(reader.pages) <= 4
    assert len(year["pdf"]) < 1_000_000


def test_it_is_tagged_text_with_a_title_a_language_and_a_described_chart(year):
    reader = PdfReader(io.BytesIO(year["pdf"]))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Vida back and hip report: Robin Example")

    def structure(node):
        node = node.get_object()
        yield node
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            kid = kid.get_object()
            if hasattr(kid, "get") and "/S" in kid:
                yield from structure(kid)

    roles = {}
    for node in structure(root["/StructTreeRoot"]):
        roles.setdefault(node.get("/S"), []).append(node)
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/P"} <= set(roles)
    (figure,) = roles["/Figure"]
    assert figure["/Alt"].startswith("Two line charts on the same dates, lower back above and hip below")


def test_another_patients_record_never_appears(year):
    text = year["text"]
    assert "Olive" not in text and "olive" not in text
    assert "cancer" not in text


def test_its_pages_are_rendered_for_a_person_to_look_at(year):
    """test-output/reports/: the pages as PNG, in colour and in grey as a black-and-white printer would."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm is missing: install Debian's poppler-utils ('apt-get install poppler-utils').")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for old in OUTPUT.glob("report-365-*.png"):
        old.unlink()
    source = OUTPUT / "report-365.pdf"
    source.write_bytes(year["pdf"])
    subprocess.run([pdftoppm, "-r", "100", "-png", source, OUTPUT / "report-365"], check=True, timeout=60)
    subprocess.run(
        [pdftoppm, "-r", "100", "-gray", "-f", "1", "-l", "1", "-png", source, OUTPUT / "report-365-grey"],
        check=True,
        timeout=60,
    )
    pages = sorted(OUTPUT.glob("report-365-[0-9]*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(year["pdf"])).pages)
    assert all(page.stat().st_size > 20_000 for page in pages)  # drawn pages, not blank ones
    assert list(OUTPUT.glob("report-365-grey-*.png"))


# --- asking for a report ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("days", ["0", "7", "31", "abc", "", "366", "90.0", "-90"])
def test_days_other_than_30_90_or_365_is_a_400_naming_days(patient_api, days):
    response = patient_api.get(URL, {"days": days})
    assert response.status_code == 400
    assert list(response.json()) == ["days"]
    assert "30, 90 or 365" in response.json()["days"][0]


@pytest.mark.django_db
def test_without_days_the_report_covers_90_days_whatever_the_client_accepts(patient, patient_api):
    CheckInFactory(patient=patient, date=days_ago(patient, 1), back_pain=6, hip_pain=3)
    response = patient_api.get(URL, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "(last 90 days)" in text_of(response.content)


@pytest.mark.django_db
def test_someone_signed_out_gets_401(anon_api):
    assert anon_api.get(URL, {"days": 30}).status_code == 401


@pytest.mark.django_db
def test_a_clinician_has_no_report_of_their_own(clinician_api):
    assert clinician_api.get(URL, {"days": 30}).status_code == 403


@pytest.mark.django_db
def test_a_new_patient_gets_a_report_that_says_what_is_missing(patient, patient_api):
    text = text_of(patient_api.get(URL, {"days": 30}).content)
    assert "check-ins on 0 of 30 days" in text
    assert "No check-ins in this period, so there is nothing to chart." in text
    assert "Not enough data yet: 0 of the 14 days needed" in text
    assert "Not enough data yet: no hours of sitting have been recorded" in text
    assert "No screening answered yet." in text
    assert "Flags: no recent check-in" in text


# --- what the builder gathers (no PDF needed) ---------------------------------------------------


@pytest.mark.django_db
def test_an_open_red_flag_says_it_is_not_yet_reviewed_even_when_older_than_the_period(patient):
    screening = screening_actions.record_screening(patient, "hip-pattern-v1", answers(saddle_numbness=True))
    screening.created_at -= dt.timedelta(days=60)
    screening.save()
    (flag,) = build.gather(patient, 30).red_flags
    assert flag.open and flag.title == "Go to an emergency department now"
    assert flag.status == "Not yet reviewed by a clinician."
    assert flag.findings == ["numbness in the saddle area (genitals, buttocks or inner thighs)"]


@pytest.mark.django_db
def test_a_red_flag_settled_by_a_later_clear_screening_says_so(patient):
    flagged = screening_actions.record_screening(patient, "hip-pattern-v1", answers(trauma=True))
    flagged.created_at -= dt.timedelta(days=3)
    flagged.save()
    screening_actions.record_screening(patient, "hip-pattern-v1", answers())
    report = build.gather(patient, 30)
    (flag,) = report.red_flags
    assert not flag.open
    assert flag.status.startswith("Not reviewed; a later screening on") and flag.status.endswith("was clear.")
    assert not report.screening.has_red_flag  # the latest is the clear one


@pytest.mark.django_db
def test_the_days_shown_begin_at_the_first_checkin_in_a_calendar_of_weeks(patient):
    for ago in range(10):
        CheckInFactory(patient=patient, date=days_ago(patient, ago), back_pain=3, hip_pain=ago % 5)
    FlareFactory(patient=patient, occurred_at=evening(patient, 2))
    FlareFactory(patient=patient, occurred_at=evening(patient, 2) + dt.timedelta(minutes=5))
    report = build.gather(patient, 365)
    assert len(report.shown) == 10 and report.shown[0]["date"] == days_ago(patient, 9)
    assert report.chart.days == 10
    cells = [cell for week in report.weeks for cell in week.days]
    assert all(week.monday.weekday() == 0 for week in report.weeks)
    assert report.weeks[0].monday > report.weeks[-1].monday  # newest week first
    assert sum(cell.shown for cell in cells) == 10
    (two_flares,) = [cell for cell in cells if cell.date == days_ago(patient, 2)]
    assert two_flares.text == "B 3 · H 2\n▲2"


@pytest.mark.django_db
def test_the_change_since_the_first_week_waits_as_the_note_under_it_says(patient):
    for ago in range(10):
        CheckInFactory(
            patient=patient, date=days_ago(patient, ago), back_pain=5 if ago > 6 else 4, hip_pain=3
        )
    report = build.gather(patient, 30)
    assert [row.since_first for row in report.regions] == ["–", "–"]
    assert any("10 of the 14 days needed" in note for note in report.week_notes)


@pytest.mark.django_db
def test_the_change_since_the_first_week_is_rounded_as_the_card_rounds_it(patient):
    # Hip: the first week 20/7 = 2.857, this week (six check-ins) 17/6 = 2.833: a change of -0.02.
    for ago in range(21):
        if ago != 3:
            CheckInFactory(
                patient=patient, date=days_ago(patient, ago), back_pain=4, hip_pain=2 if ago in (20, 5) else 3
            )
    report = build.gather(patient, 30)
    assert [row.since_first for row in report.regions] == ["0.0", "0.0"]
    assert not any("days needed" in note for note in report.week_notes)


@pytest.mark.django_db
def test_gathering_takes_as_many_queries_for_a_year_as_for_a_month(patient):
    seed_checkins(patient, days=60)
    screening_actions.record_screening(patient, "hip-pattern-v1", answers(front_hip=True))
    counts = {}
    for days in (30, 365):
        with CaptureQueriesContext(connection) as queries:
            build.gather(patient, days)
        counts[days] = len(queries)
    assert counts[30] == counts[365] <= 10


def test_only_30_90_or_365_days_are_built():
    with pytest.raises(ValueError):
        build.gather(None, 14)


# --- the chart ------------------------------------------------------------------------------------


def day(date, back=None, hip=None, flares=0, sessions=0):
    return {
        "date": date,
        "back_pain": back,
        "hip_pain": hip,
        "sitting_hours": None,
        "flares": flares,
        "sessions_completed": sessions,
    }


def test_a_missed_day_breaks_both_lines_and_marks_sit_in_their_bands():
    start = dt.date(2026, 3, 2)
    days = [day(start, 2, 4), day(start + dt.timedelta(1), 3, 5, flares=1), day(start + dt.timedelta(2))]
    days += [day(start + dt.timedelta(3), 6, 1, sessions=2), day(start + dt.timedelta(4), 5, 2)]
    drawn = chart(days)
    (both,) = drawn.panels  # a short range: both regions on one scale
    assert both.back_line.count("M") == 2 and both.hip_line.count("M") == 2
    assert both.back_markers.count("M") == 4 and both.hip_markers.count("M") == 4
    assert drawn.flares.count("M") == 1 and drawn.sessions.count("M") == 1


def test_a_long_range_gives_each_region_a_panel_without_markers():
    start = dt.date(2025, 1, 1)
    drawn = chart([day(start + dt.timedelta(n), n % 10, 10 - n % 10) for n in range(365)])
    back, hip = drawn.panels
    assert (back.label, hip.label) == ("Lower back", "Hip") and back.bottom < hip.top
    assert back.back_line and not back.hip_line and hip.hip_line and not hip.back_line
    assert not (back.back_markers or hip.hip_markers)
    assert [tick.label for tick in drawn.ticks][:2] == ["Jan 2025", "Feb"]


def test_date_ticks_suit_the_length_of_the_range():
    last = dt.date(2026, 11, 26)
    month = date_ticks(last - dt.timedelta(days=29), last)
    assert [label for _, label in month] == ["29 Oct", "5 Nov", "12 Nov", "19 Nov", "26 Nov"]
    quarter = date_ticks(last - dt.timedelta(days=89), last)
    assert [label for _, label in quarter] == ["1 Sep", "15 Sep", "1 Oct", "15 Oct", "1 Nov", "15 Nov"]


# --- where the pages link it --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/history/", "/settings/"])
def test_a_patients_pages_link_the_three_periods(client, patient, path):
    client.force_login(patient)
    page = client.get(path).content.decode()
    for days in (30, 90, 365):
        assert f'href="{URL}?days={days}" download' in page


@pytest.mark.django_db
def test_a_clinicians_settings_page_has_no_report_of_their_own(client, clinician):
    client.force_login(clinician)
    page = client.get("/settings/").content.decode()
    assert URL not in page and "Report for your appointment" not in page


def test_a_clinicians_page_links_the_report_url_it_is_given(rf, clinician):
    from django.template import Context, Template

    request = rf.get("/clinic/patients/x/")
    request.user = clinician
    html = Template("{% load reports %}{% report_downloads url=report_url %}").render(
        Context({"request": request, "report_url": "/api/v1/clinician/patients/x/report/"})
    )
    assert "Visit report" in html and 'href="/api/v1/clinician/patients/x/report/?days=90" download' in html


# --- the clinician's download of a linked patient's report ---------------------------------------------------


def clinician_report_url(patient, days=None):
    url = f"/api/v1/clinician/patients/{patient.public_id}/report/"
    return url if days is None else f"{url}?days={days}"


def test_a_linked_clinician_downloads_the_report_and_the_patient_sees_it_in_the_log(patient):
    from careteam.models import AccessLogEntry
    from tests.careteam_helpers import link

    clinician = ClinicianFactory(display_name="Dr Ade")
    link(clinician, patient)
    CheckInFactory(patient=patient)
    response = client_for(clinician).get(clinician_report_url(patient, 30))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Dr Ade" in text_of(response.content)
    assert AccessLogEntry.objects.filter(patient=patient, what="report").count() == 1
    log = client_for(patient).get("/api/v1/me/access-log/").json()["results"]
    assert log[0]["what"] == "report" and log[0]["who"] == "Dr Ade"


def test_the_clinician_report_answers_only_a_linked_clinician(patient, other_patient):
    from tests.careteam_helpers import link

    linked, unlinked = ClinicianFactory(), ClinicianFactory()
    link(linked, patient)
    url = clinician_report_url(patient, 90)
    assert client_for(unlinked).get(url).status_code == 404
    assert client_for(linked).get(clinician_report_url(other_patient, 90)).status_code == 404
    assert client_for(patient).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 401
    assert client_for(linked).get(clinician_report_url(patient, 45)).status_code == 400


def test_a_doctor_checked_flag_says_so_until_a_clinician_reviews(patient):
    CheckInFactory(patient=patient)
    screening_actions.record_screening(patient, "hip-pattern-v1", answers(cancer_history=True))
    screening_actions.record_doctor_checked(patient, patient.local_today())
    text = text_of(build.report_pdf(patient, 30))
    assert "Patient reports a doctor checked this on" in " ".join(text.split())
