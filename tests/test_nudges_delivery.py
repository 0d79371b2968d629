"""Nudges delivered for real: Redis as broker, Celery workers, an SMTP server on loopback.

Each test makes people due *now*, in a zone where it is around midday (so no
local day turns mid-test), runs dispatch passes as beat would, and reads what
the SMTP server accepted. The shared Redis server is only used through the
configured test queue; the broker-outage test stops a Redis server of its own.
"""

import datetime as dt
import os
import signal
import threading
import time
from collections import Counter

import pytest
from django.db import connections
from django.utils import timezone

from nudges import dispatch, tasks
from nudges.models import Nudge, NudgePreferences, Status
from tests.conftest import client_for
from tests.factories import CheckInFactory, PatientFactory
from tests.nudge_services import (
    PrivateRedis,
    broker,
    child_environment,
    empty_queue,
    in_process_worker,
    session_database_url,
    smtp_server,
    subprocess_worker,
)

pytestmark = pytest.mark.django_db(transaction=True)

SEND = "nudges.tasks.send_nudges"
DISPATCH = "nudges.tasks.dispatch_nudges"


def zone_at_midday():
    """A fixed-offset IANA zone (Etc/GMT-N is UTC+N) where it is now between 11:00 and 13:00."""
    offset = (12 - timezone.now().hour + 12) % 24 - 12  # -12 ... +11 hours
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def due_patient(zone, **preferences):
    """A patient whose check-in reminder is due now: reminder at 09:00, quiet hours the default 21:30-08:00."""
    patient = PatientFactory(timezone=zone)
    NudgePreferences.objects.create(user=patient, **{"reminder_time": dt.time(9, 0), **preferences})
    return patient


def settled():
    """No email left waiting or being sent."""
    return not Nudge.objects.filter(status__in=[Status.PENDING, Status.SENDING]).exists()


def statuses():
    return Counter(Nudge.objects.values_list("status", flat=True))


@pytest.fixture
def mailbox(settings):
    settings.VIDA_BASE_URL = "https://vida.example.org"
    with smtp_server(settings) as mailbox:
        yield mailbox


def test_beat_pass_on_a_real_worker_sends_exactly_the_due_reminders_once_over_smtp(mailbox):
    zone = zone_at_midday()
    due = due_patient(zone)
    in_app_only = due_patient(zone, email=False)
    not_yet = due_patient(zone, reminder_time=dt.time(15, 0))
    checked_in = due_patient(zone)
    CheckInFactory(patient=checked_in, back_pain=9, hip_pain=8)
    quiet = due_patient(zone, quiet_hours_start=dt.time(10, 0), quiet_hours_end=dt.time(14, 0))
    opted_out = due_patient(zone, checkin_reminder=False)
    with in_process_worker() as worker:
        tasks.dispatch_nudges.delay()  # what beat sends every minute
        worker.wait_for(SEND, 1)
        tasks.dispatch_nudges.delay()  # the next minute's pass finds nothing new
        worker.wait_for(DISPATCH, 2)
    assert mailbox.recipients() == [due.email]
    [message] = mailbox.messages
    assert message["Subject"] == "Time for today's check-in"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].strip().startswith("<https://vida.example.org/unsubscribe/")
    assert "https://vida.example.org/today/" in message.get_body(("plain",)).get_content()
    assert "https://vida.example.org/today/" in message.get_body(("html",)).get_content()
    assert set(Nudge.objects.values_list("recipient__username", "status")) == {
        (due.username, Status.SENT),
        (in_app_only.username, Status.IN_APP_ONLY),
    }
    assert not Nudge.objects.filter(recipient__in=[not_yet, checked_in, quiet, opted_out]).exists()


def test_two_dispatch_passes_at_once_send_one_email_each(mailbox):
    zone = zone_at_midday()
    patients = [due_patient(zone) for _ in range(30)]
    barrier, results = threading.Barrier(2), []

    def one_pass():
        try:
            barrier.wait()
            results.append(dispatch.run_pass())
        finally:
            connections.close_all()

    with in_process_worker() as worker:
        passes = [threading.Thread(target=one_pass) for _ in range(2)]
        for thread in passes:
            thread.start()
        for thread in passes:
            thread.join()
        worker.wait_for(SEND, sum(r.batches for r in results))
    assert sum(r.recorded for r in results) == 30
    assert mailbox.recipients() == sorted(p.email for p in patients)
    assert statuses() == {Status.SENT: 30}


def test_a_transient_smtp_error_is_retried_with_backoff_and_each_email_sent_once(mailbox, monkeypatch):
    monkeypatch.setattr(tasks, "backoff_seconds", lambda retries: 0)  # 30 s in production
    zone = zone_at_midday()
    patients = [due_patient(zone) for _ in range(3)]
    mailbox.replies = ["451 4.3.0 Mailbox busy, try again later"]
    with in_process_worker() as worker:
        dispatch.run_pass()
        worker.wait_for(SEND, 2)  # the first run and its retry
    assert mailbox.recipients() == sorted(p.email for p in patients)
    assert statuses() == {Status.SENT: 3}
    # The 451 handed the whole batch back; the retry claimed it a second time.
    assert sorted(Nudge.objects.values_list("attempts", flat=True)) == [2, 2, 2]


def test_a_permanent_smtp_error_fails_that_email_only(mailbox):
    zone = zone_at_midday()
    first, refused, last = (due_patient(zone) for _ in range(3))
    mailbox.refuse[refused.email] = "550 5.1.1 No such mailbox"
    with in_process_worker() as worker:
        dispatch.run_pass()
        worker.wait_for(SEND, 1)
    assert mailbox.recipients() == sorted([first.email, last.email])
    failed = Nudge.objects.get(recipient=refused)
    assert failed.status == Status.FAILED and "550" in failed.last_error and failed.attempts == 1
    assert statuses() == {Status.SENT: 2, Status.FAILED: 1}


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(mailbox, settings, tmp_path):
    zone = zone_at_midday()
    patients = [due_patient(zone) for _ in range(5)]
    mailbox.hold_rcpt_number = 3  # the worker waits on the third email's RCPT TO: there we kill it
    env = child_environment(
        DATABASE_URL=session_database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        EMAIL_URL=f"smtp://127.0.0.1:{mailbox.port}",
        VIDA_BASE_URL=settings.VIDA_BASE_URL,
    )
    empty_queue()
    assert dispatch.run_pass().batches == 1  # all five in one batch
    with subprocess_worker(env, tmp_path / "worker.log") as worker:
        held = mailbox.held.wait(timeout=30)
        assert held, (tmp_path / "worker.log").read_text()
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    empty_queue()  # the dead worker's unacknowledged message: Redis would redeliver it in an hour
    mailbox.release(mailbox.loop)  # its answer goes to a closed connection; no DATA ever came
    assert len(mailbox.messages) == 2
    assert statuses() == {Status.SENT: 2, Status.SENDING: 3}

    settings.VIDA_NUDGE_CLAIM_SECONDS = 1  # 600 in production
    time.sleep(1.1)
    with in_process_worker() as worker:
        result = dispatch.run_pass()  # the next minute's pass hands the dead worker's claim back
        assert (result.released, result.recorded, result.enqueued) == (3, 0, 3)
        worker.wait_for(SEND, 1)
    assert mailbox.recipients() == sorted(p.email for p in patients)  # each exactly once
    assert statuses() == {Status.SENT: 5}


def test_with_the_broker_down_checkins_save_and_the_nudges_go_out_once_it_is_back(mailbox, tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    zone = zone_at_midday()
    patients = [due_patient(zone) for _ in range(3)]
    try:
        with broker(redis.url):
            redis.stop()
            # Saving a check-in never waits for the broker.
            started = time.monotonic()
            response = client_for(patients[0]).post(
                "/api/v1/checkins/", {"back_pain": 3, "hip_pain": 4}, format="json"
            )
            assert response.status_code == 201 and time.monotonic() - started < 1.0
            # The pass records the nudges; handing them over fails, and they wait in the outbox.
            result = dispatch.run_pass()
            assert (result.recorded, result.enqueued) == (2, 0) and result.broker_error
            assert statuses() == {Status.PENDING: 2}
            assert not Nudge.objects.filter(enqueued_at__isnull=False).exists()

            redis.start()  # back the same day
            with in_process_worker() as worker:
                result = dispatch.run_pass()
                assert (result.recorded, result.enqueued, result.broker_error) == (0, 2, "")
                worker.wait_for(SEND, 1)
    finally:
        redis.stop()
    assert mailbox.recipients() == sorted(p.email for p in patients[1:])
    assert statuses() == {Status.SENT: 2}


def test_password_reset_on_a_real_worker_mails_a_known_address_and_nobody_else(mailbox, client):
    patient = PatientFactory()
    with in_process_worker() as worker:
        known = client.post("/accounts/password-reset/", {"email": patient.email})
        unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
        worker.wait_for("accounts.tasks.send_password_reset", 2)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert mailbox.recipients() == [patient.email]
    [message] = mailbox.messages
    assert "https://vida.example.org/accounts/password-reset/" in message.get_body(("plain",)).get_content()
