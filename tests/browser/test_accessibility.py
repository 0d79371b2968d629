"""Every page checked by a machine as well as by eye: axe-core at 390 px and 1280 px, signed out,
as a patient and as a clinician. Any serious or critical violation fails, naming the page and rule."""

from pathlib import Path

import pytest

from demo.checkins import seed_checkins
from screening import actions as screening_actions
from tests.careteam_helpers import link
from tests.factories import ClinicianFactory, PatientFactory
from tests.screening_answers import answers
from tests.stretch_factories import StretchSessionFactory, StretchVideoFactory

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 800}}
FAILING_IMPACTS = {"serious", "critical"}

SIGNED_OUT = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password-reset/"]


def patient_pages(screening, video):
    return [
        "/today/",
        "/flares/",
        "/history/",
        "/history/?days=365",
        "/screening/",
        f"/screening/{screening.pk}/",
        "/stretches/",
        f"/stretches/{video.slug}/",
        "/settings/",
    ]


def clinician_pages(patient):
    return ["/clinic/", f"/clinic/patients/{patient.public_id}/", "/settings/"]


def violations(page):
    """Serious and critical axe violations of the page as it stands, as readable lines."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} -> "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in v["nodes"][:3]
        )
        for v in found
        if v["impact"] in FAILING_IMPACTS
    ]


@pytest.fixture
def people(transactional_db):
    patient = PatientFactory(display_name="Robin")
    seed_checkins(patient)
    screening = screening_actions.record_screening(
        patient, "hip-pattern-v1", answers(sitting_worse=True, front_hip=True)
    )
    video = StretchVideoFactory(title="Kneeling hip flexor stretch")
    StretchSessionFactory(patient=patient, video=video, completed=True, back_pain_before=5, back_pain_after=3)
    clinician = ClinicianFactory(display_name="Dr Ade")
    link(clinician, patient)
    return {"patient": patient, "clinician": clinician, "screening": screening, "video": video}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_serious_or_critical_violations_on_any_page(width, browser, live_server, people, log_in):
    found = []

    def check(paths, user=None):
        context = browser.new_context(viewport=WIDTHS[width], base_url=live_server.url, bypass_csp=True)
        context.set_default_timeout(10_000)
        page = context.new_page()
        if user is not None:
            log_in(page, user)
        for path in paths:
            page.goto(path)
            found.extend(violations(page))
        context.close()

    check(SIGNED_OUT)
    check(patient_pages(people["screening"], people["video"]), people["patient"])
    check(clinician_pages(people["patient"]), people["clinician"])
    assert found == [], "\n".join(found)


def test_the_check_itself_catches_a_violation(page):
    """So the test above cannot pass by checking nothing: an image without a text alternative."""
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><img src="x.png"></main></html>')
    assert any("image-alt" in line for line in violations(page))
