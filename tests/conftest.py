"""Shared fixtures: the personas every feature is tested with, and API clients."""

import os

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from tests.factories import ClinicianFactory, PatientFactory
from tests.security_helpers import api_token

# Playwright's sync API runs an event loop in the test thread; the test's own
# database calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    engine = django_settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(
            "The tests run on PostgreSQL only. Use `make test`, or set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/vida and "
            "CELERY_BROKER_URL=redis://127.0.0.1:6379/15."
        )


@pytest.fixture(autouse=True)
def _fast_passwords_and_clean_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    cache.clear()  # throttling counters must not leak between tests
    yield


@pytest.fixture
def patient(db):
    return PatientFactory(username="pat", timezone="Europe/London")


@pytest.fixture
def other_patient(db):
    return PatientFactory(username="olive", timezone="America/New_York")


@pytest.fixture
def clinician(db):
    return ClinicianFactory(username="dr.cole")


def client_for(user):
    """An API client signed in with a token, issued as the token endpoint issues it (second factor included)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


@pytest.fixture
def anon_api():
    return APIClient()


@pytest.fixture
def patient_api(patient):
    return client_for(patient)


@pytest.fixture
def other_api(other_patient):
    return client_for(other_patient)


@pytest.fixture
def clinician_api(clinician):
    return client_for(clinician)


def pytest_collection_modifyitems(config, items):
    """The slow reliability tests run under make reliability only."""
    if os.environ.get("VIDA_RELIABILITY"):
        return
    skip = pytest.mark.skip(reason="minutes long: make reliability runs it")
    for item in items:
        if "reliability" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    """The reliability checks' one-line summaries (requests, 5xx, leaks, lost writes), after the results."""
    from tests.reliability.summary import LINES

    if LINES:
        terminalreporter.section("reliability")
        for line in LINES:
            terminalreporter.write_line(line)
