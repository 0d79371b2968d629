"""The Content-Security-Policy holds on every kind of page: the browser reports no violation."""

import pytest
from playwright.sync_api import expect

from tests.careteam_helpers import link
from tests.factories import CheckInFactory, ClinicianFactory, PatientFactory, UserFactory, days_ago
from tests.screening_answers import answers

pytestmark = pytest.mark.browser

# Collects every violation the page reports, before any of its own scripts run.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || ''));
});
"""


def violations(page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    return page.evaluate("() => window.__violations")


def test_patient_pages_run_without_a_policy_violation(page, log_in):
    from screening import actions as screening_actions

    patient = PatientFactory()
    for n in range(20):
        CheckInFactory(patient=patient, date=days_ago(patient, n), back_pain=3 + n % 4, hip_pain=2 + n % 5)
    screening_actions.record_screening(patient, "hip-pattern-v1", answers())
    page.add_init_script(WATCH)
    log_in(page, patient)
    seen = {
        path: violations(page, path)
        for path in ["/today/", "/history/", "/flares/", "/screening/", "/stretches/", "/settings/"]
    }
    assert seen == {path: [] for path in seen}


def test_clinician_pages_and_the_second_factor_step_run_without_a_policy_violation(page, log_in):
    clinician, patient = ClinicianFactory(), PatientFactory()
    CheckInFactory(patient=patient)
    link(clinician, patient)
    page.add_init_script(WATCH)
    log_in(page, clinician)  # through the second-factor step
    assert page.evaluate("() => window.__violations") == []
    seen = {
        path: violations(page, path)
        for path in ["/clinic/", f"/clinic/patients/{patient.public_id}/", "/settings/"]
    }
    assert seen == {path: [] for path in seen}


def test_the_admin_and_the_api_docs_run_without_a_policy_violation(page, log_in):
    staff = UserFactory(role="staff", is_staff=True, is_superuser=True)
    page.add_init_script(WATCH)
    log_in(page, staff)
    paths = ["/admin/", "/admin/stretches/stretchvideo/add/", "/admin/accounts/user/", "/api/docs/"]
    seen = {path: violations(page, path) for path in paths}
    assert seen == {path: [] for path in seen}
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Vida API")
