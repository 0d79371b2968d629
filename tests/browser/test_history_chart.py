"""/history/ on a phone: the chart of back against hip, the cards in words, the range switch, the table."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from demo.checkins import seed_checkins
from tests.browser.helpers import assert_fits_phone
from tests.factories import PatientFactory
from tests.stretch_factories import StretchSessionFactory, StretchVideoFactory

pytestmark = pytest.mark.browser


def chart_state(page):
    return page.evaluate(
        """() => {
          const chart = Chart.getChart(document.getElementById("history-chart"));
          const meta = chart.getDatasetMeta(0);
          return {
            datasets: chart.data.datasets.map(d => d.label),
            days: chart.data.labels.length,
            drawn: meta.data.filter(point => !point.skip).length,
            flares: chart.data.datasets[2].data.filter(v => v !== null).length,
            sessions: chart.data.datasets[3].data.filter(v => v !== null).length,
            dashed: chart.data.datasets[1].borderDash.length > 0,
          };
        }"""
    )


def test_chart_cards_range_switch_and_table_on_a_phone(page, log_in, screenshot):
    patient = PatientFactory()
    seed_checkins(patient)
    video = StretchVideoFactory()
    yesterday = dt.datetime.combine(
        patient.local_today() - dt.timedelta(days=1), dt.time(19), tzinfo=patient.zone
    )
    StretchSessionFactory(patient=patient, video=video, completed=True, started_at=yesterday)
    log_in(page, patient)
    page.goto("/history/")

    # The cards say it in words first.
    expect(page.get_by_role("heading", name="Which region leads")).to_be_visible()
    expect(page.get_by_text("Your hip usually stiffens about a day before your back")).to_be_visible()
    expect(page.get_by_role("heading", name="Sitting and your back")).to_be_visible()
    expect(page.get_by_text(re.compile(r"After days with more than [\d.]+ h sitting"))).to_be_visible()

    # The chart: two lines told apart by colour and by dash, flares and sessions marked, gaps kept.
    canvas = page.locator("#history-chart")
    expect(canvas).to_be_visible()
    state = chart_state(page)
    assert state["datasets"] == ["Lower back", "Hip", "Flare", "Stretch session done"]
    assert state["days"] == 30 and state["drawn"] == 30 and state["dashed"]
    assert state["sessions"] == 1
    screenshot(page, "history-chart")
    assert_fits_phone(page)

    # Focusing the chart and moving with the arrows reads a day out.
    canvas.focus()
    expect(page.locator("#chart-readout")).to_contain_text("lower back")
    page.keyboard.press("ArrowLeft")
    yesterday_words = (patient.local_today() - dt.timedelta(days=1)).strftime("%-d %b")
    expect(page.locator("#chart-readout")).to_contain_text(yesterday_words)
    expect(page.locator("#chart-readout")).to_contain_text("1 stretch session done")

    # Tapping a point shows that day too.
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    expect(page.locator("#chart-readout")).to_contain_text(re.compile(r"\d+ \w+: (lower back|no check-in)"))

    # The range switch, and the same days as a table.
    page.get_by_role("link", name="90 days").click()
    expect(page).to_have_url(re.compile(r"\?days=90$"))
    expect(page.get_by_role("link", name="90 days")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(91)
    state = chart_state(page)
    assert state["days"] == 90 and state["drawn"] == 60  # thirty days before the first check-in stay empty
    assert state["flares"] == 2
    screenshot(page, "history-chart-90")
    assert_fits_phone(page)

    page.get_by_role("link", name="7 days").click()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(8)
    assert chart_state(page)["days"] == 7


def test_a_new_patient_is_told_what_each_card_still_needs(page, log_in, screenshot):
    patient = PatientFactory()
    log_in(page, patient)
    page.goto("/history/")
    expect(page.get_by_text("No check-ins yet in the last 30 days")).to_be_visible()
    expect(page.get_by_text("0 of the 14 days needed")).to_be_visible()
    expect(page.locator("#history-chart")).to_have_count(0)
    screenshot(page, "history-empty")
    assert_fits_phone(page)


def test_the_chart_on_a_desk(browser, live_server, transactional_db, log_in, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    patient = PatientFactory()
    seed_checkins(patient)
    log_in(page, patient)
    page.goto("/history/?days=365")
    expect(page.locator("#history-chart")).to_be_visible()
    assert chart_state(page)["days"] == 365
    screenshot(page, "history-desk-365")
    context.close()
