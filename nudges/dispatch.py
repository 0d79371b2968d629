"""The dispatch pass: record who is due, then hand the outbox to the workers in batches.

Run every minute by Celery beat (nudges.tasks.dispatch_nudges) and by
``manage.py dispatch_nudges``. A pass is idempotent and safe to run twice at
once: the outbox's unique constraint keeps one nudge per kind, person and local
day, and each email is sent by whichever worker claims it first.

Never lost: a nudge is a database row before anything is sent. If the broker is
down, its row stays ``pending`` and a later pass hands it over; if a worker dies
holding a claim, the claim is released after VIDA_NUDGE_CLAIM_SECONDS and the
nudge goes back to ``pending``. Every pass does all three steps.
"""

import datetime as dt
import itertools
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from nudges import rules
from nudges.delivery import MAX_ATTEMPTS
from nudges.models import Nudge, Status

logger = logging.getLogger(__name__)

# A pending email handed to the workers this long ago and still pending was lost
# on the way (a broker restart without persistence): hand it over again. Being
# handed over twice is harmless, only one worker can claim it.
REQUEUE_AFTER = dt.timedelta(minutes=10)
# Rows per INSERT or UPDATE ... IN (...): well inside SQLite's limit on parameters.
CHUNK = 500


@dataclass
class PassResult:
    released: int = 0  # dead workers' claims handed back
    recorded: int = 0  # new nudges written
    enqueued: int = 0  # pending emails handed to the workers
    batches: int = 0
    broker_error: str = ""

    def __str__(self):
        text = (
            f"{self.recorded} new nudges; {self.enqueued} emails handed to the workers in "
            f"{self.batches} batches; {self.released} stale claims released"
        )
        if self.broker_error:
            text += f"; broker unreachable ({self.broker_error}), the emails wait for the next pass"
        return text


def run_pass(now=None, *, publish=True):
    """One pass. ``publish=False`` records and claims nothing for the workers (see send_pending_here)."""
    now = now or timezone.now()
    result = PassResult(released=release_stale_claims(now))
    with transaction.atomic():
        result.recorded = record_due_nudges(now)
        if publish:
            batches = take_pending_for_workers(now)
            # After commit: a worker must find the rows it is handed.
            transaction.on_commit(lambda: hand_to_workers(batches, result))
    return result


def release_stale_claims(now):
    """Claims older than VIDA_NUDGE_CLAIM_SECONDS belonged to a worker that died: back to pending.

    A row claimed ``MAX_ATTEMPTS`` times fails instead: if it is what stops its
    worker, it would otherwise stall every batch it joins, forever.
    """
    cutoff = now - dt.timedelta(seconds=settings.VIDA_NUDGE_CLAIM_SECONDS)
    stale = Nudge.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED, last_error="Its worker stopped before sending it, on every attempt."
    )
    released = stale.update(status=Status.PENDING, claim=None, enqueued_at=None)
    if released:
        logger.warning("Released %d nudge claims older than %s (a worker died mid-batch)", released, cutoff)
    return released


def record_due_nudges(now):
    """Write a row for every nudge due now; returns how many were new.

    A row another pass wrote first is skipped by the unique constraint. Rows go
    in sorted by person and kind, so two passes inserting the same rows queue
    behind each other instead of deadlocking.
    """
    due = sorted(rules.due_nudges(now), key=lambda d: (d.recipient_id, d.kind))
    nudges = [
        Nudge(
            id=uuid.uuid4(),
            recipient_id=d.recipient_id,
            kind=d.kind,
            local_date=d.local_date,
            reference=d.reference,
            email=d.email,
            in_app=d.in_app,
            status=Status.PENDING if d.email else Status.IN_APP_ONLY,
        )
        for d in due
    ]
    Nudge.objects.bulk_create(nudges, batch_size=CHUNK, ignore_conflicts=True)
    # Our ids are fresh uuids: those that exist now are the rows this pass wrote.
    ids = [n.id for n in nudges]
    return sum(Nudge.objects.filter(pk__in=chunk).count() for chunk in _chunks(ids, CHUNK))


def take_pending_for_workers(now):
    """Mark the pending emails not handed over lately as handed over now; returns them in batches.

    Inside the pass's transaction. On PostgreSQL, rows another pass is handing
    over right now are locked and skipped, so two passes split the work rather
    than both sending it (either way only one worker can claim a row).
    """
    stale = now - REQUEUE_AFTER
    pending = (
        Nudge.objects.filter(status=Status.PENDING)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale))
        .select_for_update(skip_locked=True)
        .order_by("created_at")
    )
    ids = [str(pk) for pk in pending.values_list("pk", flat=True)]
    for chunk in _chunks(ids, CHUNK):
        Nudge.objects.filter(pk__in=chunk).update(enqueued_at=now)
    return list(_chunks(ids, settings.VIDA_NUDGE_BATCH_SIZE))


def hand_to_workers(batches, result):
    """Publish one send task per batch. If the broker is unreachable, the rest wait in the outbox."""
    from nudges.tasks import send_nudges
    from vida.celery import app

    if not batches:
        return  # nothing to hand over: no need to reach the broker at all
    published = 0
    try:
        with app.producer_or_acquire() as producer:
            for batch in batches:
                # Fail fast: the outbox keeps the emails, a later pass publishes them.
                send_nudges.apply_async(args=[batch], producer=producer, retry_policy={"max_retries": 1})
                published += 1
    except Exception as error:  # the broker's errors come from several libraries
        result.broker_error = f"{type(error).__name__}: {error}"[:200]
        unsent = list(itertools.chain.from_iterable(batches[published:]))
        for chunk in _chunks(unsent, CHUNK):
            Nudge.objects.filter(pk__in=chunk, status=Status.PENDING).update(enqueued_at=None)
        logger.warning(
            "Broker unreachable; %d nudge emails stay pending: %s", len(unsent), result.broker_error
        )
    result.batches = published
    result.enqueued = sum(len(batch) for batch in batches[:published])


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
