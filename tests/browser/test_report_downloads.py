"""The visit-ready report from a phone: the links on /history/ and /settings/ download the PDF."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from demo.checkins import seed_checkins
from tests.browser.helpers import assert_fits_phone
from tests.factories import PatientFactory

pytestmark = pytest.mark.browser


def test_the_report_downloads_from_history_and_from_settings(page, log_in, screenshot):
    patient = PatientFactory(display_name="Robin Example")
    seed_checkins(patient, days=20)
    log_in(page, patient)
    for path, days in (("/history/", 90), ("/settings/", 30)):
        page.goto(path)
        section = page.get_by_role("region", name="Report for your appointment")
        for period in (30, 90, 365):
            expect(section.get_by_role("link", name=f"{period}-day PDF")).to_be_visible()
        section.scroll_into_view_if_needed()
        screenshot(page, f"report-links{path.replace('/', '-').rstrip('-')}")
        assert_fits_phone(page)

        with page.expect_download() as download:
            section.get_by_role("link", name=f"{days}-day PDF").click()
        name = download.value.suggested_filename
        assert name.startswith("vida-report-robin-example-") and name.endswith(f"-{days}-days.pdf")
        with open(download.value.path(), "rb") as file:
            pdf = file.read()
        text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
        assert "Robin Example" in text and f"(last {days} days)" in text
