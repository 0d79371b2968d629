"""Schemathesis over the whole OpenAPI schema, as a patient and as a clinician: no 5xx, and every answer
(status, content type, body) is one the schema documents.

``make test`` runs a few examples per operation (``VIDA_FUZZ_EXAMPLES``, default 4); ``make reliability``
runs many more. The requests go straight to the WSGI application in this process (no network).
"""

import json
import os
from collections import Counter

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.careteam_helpers import link
from tests.factories import CheckInFactory, ClinicianFactory, PatientFactory
from tests.reliability.summary import report
from tests.screening_answers import answers
from tests.security_helpers import api_token
from vida.wsgi import application

EXAMPLES = int(os.environ.get("VIDA_FUZZ_EXAMPLES", "4"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
)
schema.app = application

SEEN = {"patient": Counter(), "clinician": Counter()}


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: the requests share the test's transaction, so they must not close it."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db):
    """A patient with a record and a clinician linked to them, each with an API token."""
    from screening import actions as screening_actions

    patient, clinician = PatientFactory(), ClinicianFactory()
    CheckInFactory(patient=patient)
    screening_actions.record_screening(patient, "hip-pattern-v1", answers(night_pain=True))
    link(clinician, patient)
    return {"patient": api_token(patient), "clinician": api_token(clinician)}


def run(case, token, persona):
    headers = {"Authorization": f"Token {token}"}
    if case.path == "/api/v1/auth/logout/":
        headers = {}  # ending the test's own token would make every later example a 401
    response = case.call(headers=headers)
    SEEN[persona][response.status_code // 100] += 1
    case.validate_response(response, checks=CHECKS, headers=headers)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ
def test_the_api_as_a_patient(case, tokens):
    run(case, tokens["patient"], "patient")


@schema.parametrize()
@FUZZ
def test_the_api_as_a_clinician(case, tokens):
    run(case, tokens["clinician"], "clinician")


def test_report_the_fuzzing_figures():
    """Runs after the two above (file order): one summary line with their counts."""
    for persona, counts in SEEN.items():
        total = sum(counts.values())
        report(
            f"schemathesis as {persona}: {len(list(schema.get_all_operations()))} operations, {total} requests, "
            f"{counts[5]} 5xx, {counts[2]} 2xx, {counts[4]} 4xx ({EXAMPLES} examples per operation)"
        )
        assert counts[5] == 0
