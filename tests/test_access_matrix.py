"""The access matrix: every API endpoint and method by {owner, linked clinician, unlinked clinician,
other patient, anonymous}, generated from the URL conf.

``MATRIX`` says what each persona gets from each (route, method): OK (2xx), DENIED (401/403), HIDDEN
(404), BAD (400) or CONFLICT (409). A route or method in the URL conf that is missing from it fails
the suite, so a new endpoint cannot ship without saying who may use it. Every request runs against a
fresh world (rolled back after it), and every answer to someone who may not see the owner's record is
searched for the owner's data: a hit is a leak, whatever the status.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.db import transaction

from careteam.actions import make_share_code
from careteam.models import ClinicianNote
from nudges.models import Kind, Nudge, Status
from screening import actions as screening_actions
from tests.careteam_helpers import link
from tests.conftest import client_for
from tests.factories import TEST_PASSWORD, CheckInFactory, ClinicianFactory, FlareFactory, PatientFactory
from tests.reliability.summary import report
from tests.screening_answers import answers
from tests.security_helpers import current_code
from tests.stretch_factories import StretchSessionFactory, StretchVideoFactory
from tests.test_access_layer import api_views

OK, DENIED, HIDDEN, BAD, CONFLICT = "ok", "denied", "hidden", "bad", "conflict"
PERSONAS = ["owner", "linked", "unlinked", "other", "anonymous"]
STATUSES = {OK: {200, 201, 204}, DENIED: {401, 403}, HIDDEN: {404}, BAD: {400}, CONFLICT: {409}}
SECRET_NOTE = "owner-private-note-7f3a"
OWNER_NAME = "Olwen Ownerly"


@dataclass
class World:
    owner: object
    linked: object
    unlinked: object
    other: object
    video: object
    session: object
    response: object
    notice: object
    anonymous: object = None
    today: dt.date = field(init=False)

    def __post_init__(self):
        self.today = self.owner.local_today()

    def markers(self):
        """Text only the owner and their clinician may ever see."""
        return [
            SECRET_NOTE,
            OWNER_NAME,
            str(self.owner.public_id),
            str(self.response.pk),
            str(self.session.pk),
            str(self.notice.pk),
        ]


def make_world():
    owner = PatientFactory(display_name=OWNER_NAME, timezone="Europe/London")
    other = PatientFactory(timezone="Europe/London")
    linked, unlinked = ClinicianFactory(), ClinicianFactory()
    CheckInFactory(patient=owner, note=SECRET_NOTE)
    FlareFactory(patient=owner, note=SECRET_NOTE)
    response = screening_actions.record_screening(owner, "hip-pattern-v1", answers(night_pain=True))
    video = StretchVideoFactory()
    session = StretchSessionFactory(patient=owner, video=video)
    link(linked, owner)
    ClinicianNote.objects.create(patient=owner, author=linked, text=SECRET_NOTE)
    notice = Nudge.objects.create(
        recipient=owner,
        kind=Kind.CHECKIN_REMINDER,
        local_date=owner.local_today(),
        email=False,
        in_app=True,
        status=Status.IN_APP_ONLY,
    )
    return World(owner, linked, unlinked, other, video, session, response, notice)


def all_patients(ok=OK, clinicians=DENIED):
    return {"owner": ok, "other": ok, "linked": clinicians, "unlinked": clinicians, "anonymous": DENIED}


def owner_only(other=HIDDEN):
    return {"owner": OK, "other": other, "linked": DENIED, "unlinked": DENIED, "anonymous": DENIED}


def signed_in():
    return {"owner": OK, "other": OK, "linked": OK, "unlinked": OK, "anonymous": DENIED}


def linked_only():
    return {"owner": DENIED, "other": DENIED, "linked": OK, "unlinked": HIDDEN, "anonymous": DENIED}


def credentials(world, persona):
    user = getattr(world, persona)
    if user is None:
        return {"username": "nobody", "password": "not-a-password"}
    extra = {"otp": current_code(user)} if user.needs_second_factor else {}
    return {"username": user.username, "password": TEST_PASSWORD, **extra}


def own_notice():
    """A person's own in-app notice: anyone else's is a 404, whatever their role."""
    return {"owner": OK, "other": HIDDEN, "linked": HIDDEN, "unlinked": HIDDEN, "anonymous": DENIED}


def reminder_settings(world, persona):
    """A PUT body with the kinds of the persona's own role."""
    user = getattr(world, persona)
    kinds = ["clinician_digest"] if user is not None and user.is_clinician else ["checkin_reminder"]
    return {
        "kinds": kinds,
        "channels": ["in_app"],
        "reminder_time": "09:00",
        "timezone": "Europe/London",
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:00",
    }


DAY = "checkins/{today}/"
PATIENT = "clinician/patients/{owner_id}/"

# (route, method): (expected per persona, body or None, query string)
MATRIX = {
    ("auth/register/", "post"): (
        {p: OK for p in PERSONAS},
        lambda w, p: {
            "username": f"new-{p}",
            "email": f"new-{p}@example.org",
            "password": "stretch-hips-daily",
            "timezone": "UTC",
        },
        "",
    ),
    ("auth/token/", "post"): ({**signed_in(), "anonymous": BAD}, credentials, ""),
    ("auth/logout/", "post"): (signed_in(), None, ""),
    ("me/", "get"): (signed_in(), None, ""),
    ("me/", "patch"): (signed_in(), lambda w, p: {"display_name": "Renamed"}, ""),
    ("me/", "delete"): (all_patients(), lambda w, p: {"password": TEST_PASSWORD}, ""),
    ("checkins/", "get"): (all_patients(), None, ""),
    ("checkins/", "post"): (
        {**all_patients(), "owner": CONFLICT},  # the owner has today's check-in already
        lambda w, p: {"back_pain": 3, "hip_pain": 4},
        "",
    ),
    ("checkins/<isodate:day>/", "get"): (owner_only(), None, ""),
    ("checkins/<isodate:day>/", "put"): (
        owner_only(other=OK),
        lambda w, p: {"back_pain": 2, "hip_pain": 2},
        "",
    ),
    ("checkins/<isodate:day>/", "patch"): (owner_only(), lambda w, p: {"back_pain": 1}, ""),
    ("checkins/<isodate:day>/", "delete"): (owner_only(), None, ""),
    ("flares/", "get"): (all_patients(), None, ""),
    ("flares/", "post"): (all_patients(), lambda w, p: {"region": "back", "intensity": 5}, ""),
    ("trends/", "get"): (all_patients(), None, ""),
    ("screening/questions/", "get"): (signed_in(), None, ""),
    ("screening/responses/", "get"): (all_patients(), None, ""),
    ("screening/responses/", "post"): (
        all_patients(),
        lambda w, p: {"version": "hip-pattern-v1", "answers": answers()},
        "",
    ),
    ("screening/responses/latest/", "get"): (owner_only(), None, ""),
    ("screening/doctor-checked/", "post"): (
        owner_only(other=BAD),  # the other patient has no urgent flag to say was checked
        lambda w, p: {"checked_on": w.today.isoformat()},
        "",
    ),
    ("screening/responses/<uuid:response_id>/", "get"): (owner_only(), None, ""),
    ("stretches/videos/", "get"): (signed_in(), None, ""),
    ("stretches/videos/<slug:slug>/", "get"): (signed_in(), None, ""),
    ("stretches/recommended/", "get"): (all_patients(), None, ""),
    ("stretches/relief/", "get"): (all_patients(), None, ""),
    ("stretches/sessions/", "get"): (all_patients(), None, ""),
    ("stretches/sessions/", "post"): (all_patients(), lambda w, p: {"video": w.video.slug}, ""),
    ("stretches/sessions/<uuid:session_id>/", "get"): (owner_only(), None, ""),
    ("stretches/sessions/<uuid:session_id>/", "patch"): (
        owner_only(),
        lambda w, p: {"watched_seconds": 10},
        "",
    ),
    ("me/share-codes/", "post"): (all_patients(), None, ""),
    ("me/clinicians/", "get"): (all_patients(), None, ""),
    ("me/clinicians/<uuid:clinician_id>/", "delete"): (owner_only(), None, ""),
    ("me/access-log/", "get"): (all_patients(), None, ""),
    ("me/export/", "get"): (all_patients(), None, ""),
    ("clinician/links/", "post"): (
        {"owner": DENIED, "other": DENIED, "linked": CONFLICT, "unlinked": OK, "anonymous": DENIED},
        lambda w, p: {"code": make_share_code(w.owner).code},
        "",
    ),
    ("clinician/patients/", "get"): (
        {"owner": DENIED, "other": DENIED, "linked": OK, "unlinked": OK, "anonymous": DENIED},
        None,
        "",
    ),
    ("clinician/patients/<uuid:patient_id>/trends/", "get"): (linked_only(), None, ""),
    ("clinician/patients/<uuid:patient_id>/review/", "post"): (linked_only(), None, ""),
    ("clinician/patients/<uuid:patient_id>/notes/", "get"): (linked_only(), None, ""),
    ("clinician/patients/<uuid:patient_id>/notes/", "post"): (
        linked_only(),
        lambda w, p: {"text": "Seen today."},
        "",
    ),
    ("clinician/patients/<uuid:patient_id>/export/", "get"): (linked_only(), None, "?format=csv"),
    ("clinician/patients/<uuid:patient_id>/report/", "get"): (linked_only(), None, "?days=30"),
    ("me/report/", "get"): (all_patients(), None, "?days=30"),
    ("me/reminders/", "get"): (signed_in(), None, ""),
    ("me/reminders/", "put"): (signed_in(), reminder_settings, ""),
    ("me/reminders/", "patch"): (signed_in(), lambda w, p: {"reminder_time": "09:30"}, ""),
    ("me/notifications/", "get"): (signed_in(), None, ""),
    ("me/notifications/read-all/", "post"): (signed_in(), None, ""),
    ("me/notifications/<uuid:pk>/", "get"): (own_notice(), None, ""),
    ("me/notifications/<uuid:pk>/", "patch"): (own_notice(), lambda w, p: {"read": True}, ""),
}

# Who may see the owner's data in an answer: the owner and their clinician; for redeeming the
# owner's share code, also the clinician who redeems it (that is what the code is for).
MAY_SEE = {("clinician/links/", "post"): {"owner", "linked", "unlinked"}}


def concrete(route, world):
    return "/api/v1/" + (
        route.replace("<isodate:day>", world.today.isoformat())
        .replace("<uuid:response_id>", str(world.response.pk))
        .replace("<slug:slug>", world.video.slug)
        .replace("<uuid:session_id>", str(world.session.pk))
        .replace("<uuid:clinician_id>", str(world.linked.public_id))
        .replace("<uuid:patient_id>", str(world.owner.public_id))
        .replace("<uuid:pk>", str(world.notice.pk))
    )


def endpoints():
    """Every (route under api/v1/, method) the URL conf serves."""
    for route, view in api_views():
        if route.startswith("api/v1/"):
            for method in view.http_method_names:
                if method not in ("options", "head") and hasattr(view, method):
                    yield route.removeprefix("api/v1/"), method


def test_every_endpoint_is_in_the_matrix():
    served = set(endpoints())
    assert served - set(MATRIX) == set(), "endpoints missing from MATRIX: say who may use them"
    assert set(MATRIX) - served == set(), "MATRIX names endpoints that no longer exist"


@pytest.mark.django_db
def test_every_persona_gets_what_the_matrix_says_and_nothing_leaks():
    requests = server_errors = leaks = 0
    wrong = []
    for (route, method), (expected, body, query) in sorted(MATRIX.items()):
        assert set(expected) == set(PERSONAS), route
        for persona in PERSONAS:
            with transaction.atomic():
                world = make_world()
                user = getattr(world, persona)
                client = client_for(user)
                url = concrete(route, world) + query
                data = body(world, persona) if body else None
                response = (
                    getattr(client, method)(url, data, format="json")
                    if data is not None
                    else getattr(client, method)(url)
                )
                requests += 1
                server_errors += response.status_code >= 500
                if response.status_code not in STATUSES[expected[persona]]:
                    wrong.append(
                        f"{method.upper()} {route} as {persona}: {response.status_code}, expected {expected[persona]}"
                    )
                if persona not in MAY_SEE.get((route, method), {"owner", "linked"}):
                    text = response.content.decode(errors="replace")
                    found = [marker for marker in world.markers() if marker in text]
                    if found:
                        leaks += 1
                        wrong.append(f"LEAK {method.upper()} {route} as {persona}: {found}")
                transaction.set_rollback(True)
    report(
        f"access matrix: {len(MATRIX)} endpoint methods x {len(PERSONAS)} personas, {requests} requests, {server_errors} 5xx, {leaks} leaks"
    )
    assert wrong == []
    assert server_errors == 0
