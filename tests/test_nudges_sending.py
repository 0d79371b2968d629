"""delivery.send_nudges on its own (Django's in-memory mail backend): the claim, and what is not sent."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from nudges import delivery, dispatch
from nudges.models import Kind, Nudge, Status
from tests.nudge_factories import at, patient_in
from tests.nudge_services import broker

pytestmark = pytest.mark.django_db

EVENING = at("Europe/London", 2026, 6, 10, 19, 0)


def pending_nudge(patient, kind=Kind.CHECKIN_REMINDER, day=dt.date(2026, 6, 10)):
    return Nudge.objects.create(
        recipient=patient, kind=kind, local_date=day, email=True, in_app=True, status=Status.PENDING
    )


def test_a_batch_sent_twice_sends_each_email_once():
    nudges = [pending_nudge(patient_in("Europe/London")) for _ in range(3)]
    ids = [str(n.pk) for n in nudges]
    assert delivery.send_nudges(ids, EVENING).sent == 3
    assert delivery.send_nudges(ids, EVENING).sent == 0  # a retried or duplicated task
    assert len(mail.outbox) == 3
    assert set(Nudge.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


def test_a_row_claimed_by_another_worker_is_left_to_it():
    nudge = pending_nudge(patient_in("Europe/London"))
    Nudge.objects.filter(pk=nudge.pk).update(
        status=Status.SENDING, claim="6f1c0a52-3a43-4c5e-9a55-0d2c3f6ad000"
    )
    assert delivery.send_nudges([str(nudge.pk)], EVENING).sent == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    "preferences, now",
    [
        ({}, at("Europe/London", 2026, 6, 11, 0, 5)),  # the local day is over
        ({}, at("Europe/London", 2026, 6, 10, 21, 45)),  # quiet hours began
        ({"checkin_reminder": False}, EVENING),  # unsubscribed since
        ({"email": False}, EVENING),  # email turned off since
    ],
)
def test_an_email_no_longer_wanted_is_not_sent_and_its_notice_stays(preferences, now):
    patient = patient_in("Europe/London", **preferences)
    nudge = pending_nudge(patient)
    assert delivery.send_nudges([str(nudge.pk)], now).expired == 1
    assert mail.outbox == []
    nudge.refresh_from_db()
    assert nudge.status == Status.EXPIRED and nudge.in_app


def test_a_daily_kind_cannot_carry_a_reference_past_the_once_a_day_rule():
    patient = patient_in("Europe/London")
    pending_nudge(patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nudge.objects.create(
            recipient=patient,
            kind=Kind.CHECKIN_REMINDER,
            local_date=dt.date(2026, 6, 10),
            reference="6f1c0a52-3a43-4c5e-9a55-0d2c3f6ad001",
            email=True,
            in_app=True,
            status=Status.PENDING,
        )
    assert Nudge.objects.count() == 1


def test_a_claim_its_worker_never_finished_is_retried_then_failed_after_the_last_attempt(settings):
    stuck = pending_nudge(patient_in("Europe/London"))
    long_ago = EVENING - dt.timedelta(seconds=settings.VIDA_NUDGE_CLAIM_SECONDS + 1)
    claimed = {
        "status": Status.SENDING,
        "claim": "6f1c0a52-3a43-4c5e-9a55-0d2c3f6ad002",
        "claimed_at": long_ago,
    }
    Nudge.objects.filter(pk=stuck.pk).update(attempts=delivery.MAX_ATTEMPTS - 1, **claimed)
    assert dispatch.release_stale_claims(EVENING) == 1
    stuck.refresh_from_db()
    assert stuck.status == Status.PENDING
    Nudge.objects.filter(pk=stuck.pk).update(attempts=delivery.MAX_ATTEMPTS, **claimed)
    assert dispatch.release_stale_claims(EVENING) == 0
    stuck.refresh_from_db()
    assert stuck.status == Status.FAILED and stuck.last_error


def test_send_here_drains_the_outbox_without_a_broker():
    for _ in range(3):
        patient_in("Europe/London", reminder_time=dt.time(18, 0))
    result = dispatch.run_pass(EVENING, publish=False)
    assert (result.recorded, result.enqueued) == (3, 0)
    assert delivery.send_pending_here(EVENING).sent == 3
    assert len(mail.outbox) == 3


def test_a_pass_with_nothing_to_hand_over_never_reaches_for_the_broker(django_capture_on_commit_callbacks):
    patient_in("Europe/London")  # not due before 19:00
    with broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        result = dispatch.run_pass(at("Europe/London", 2026, 6, 10, 9, 0))
    assert (result.recorded, result.enqueued, result.broker_error) == (0, 0, "")


def test_with_the_broker_unreachable_the_pass_keeps_the_emails_for_the_next_one(
    django_capture_on_commit_callbacks,
):
    patient_in("Europe/London")
    with broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        result = dispatch.run_pass(EVENING)
    assert (result.recorded, result.enqueued) == (1, 0) and "Error" in result.broker_error
    nudge = Nudge.objects.get()
    assert (nudge.status, nudge.enqueued_at) == (Status.PENDING, None)
