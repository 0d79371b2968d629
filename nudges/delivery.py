"""Sending a batch of nudge emails exactly once: claim, send, record, one email at a time.

1. Claim: one conditional UPDATE turns the batch's ``pending`` rows into
   ``sending`` with a token of this call's own; rows another worker claimed (or
   sent) are not ``pending`` any more and are left alone. Only rows carrying our
   token are sent.
2. Send each email over one connection, and record it ``sent`` right after the
   server accepted it (an UPDATE that also checks our token).
3. A transient mail error (connection trouble, a 4xx answer) hands the unsent
   rest of the batch back to ``pending`` for a retry with back-off; a permanent
   one (5xx) fails that email only.

A worker killed mid-batch leaves its unsent rows ``sending``; the dispatch pass
hands them back after VIDA_NUDGE_CLAIM_SECONDS, and this function stops sending
from a claim half that old, so a live worker never races the hand-back.

The one email a worker is handing to the SMTP server at the instant it is killed
is the single case no outbox can settle: the server may have accepted it before
we could record that. It is sent again (the same Message-ID), rather than lost.

On PostgreSQL the per-email records are committed without waiting for the WAL to
reach the disk (``synchronous_commit = off`` for this worker's session while it
sends; the claim itself is committed as usual). Waiting on that flush was most of
a worker's time on a busy server (bench/README.md). A worker killed right after
recording still leaves the record in the database; only a crash of the database
server within the fraction of a second before the flush could forget one, and
then that email would go out a second time.
"""

import enum
import logging
import time
import uuid
import zoneinfo
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, connection
from django.db.models import F
from django.utils import timezone

from nudges.emails import nudge_email
from nudges.models import Nudge, NudgePreferences, Status
from screening.models import ScreeningResponse
from vida.emails import is_transient_mail_error

logger = logging.getLogger(__name__)

# Attempts per email, the first included, before a run of transient errors fails it.
MAX_ATTEMPTS = 6


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    expired: int = 0
    held: int = 0  # red-flag alerts waiting out quiet hours
    retry: list = field(default_factory=list)  # ids handed back after a transient error


class Verdict(enum.Enum):
    SEND = "send"
    EXPIRE = "expire"  # no longer wanted: never sent
    HOLD = "hold"  # back to the outbox for a later pass


def verdict(nudge, now):
    """What to do with a claimed email now.

    Any kind expires once it or email is turned off. A daily one expires when it
    waited past its local day or into quiet hours. A red-flag alert waits out
    quiet hours (its in-app notice is already there) and expires once the flag
    is reviewed or the patient is out of the clinician's sight (unlinked).
    """
    preferences = NudgePreferences.for_user(nudge.recipient)
    if not (preferences.wants(nudge.kind) and preferences.email):
        return Verdict.EXPIRE
    local = now.astimezone(zoneinfo.ZoneInfo(preferences.zone_name))
    quiet = preferences.is_quiet(local.time().replace(second=0, microsecond=0))
    if nudge.reference is None:
        return Verdict.SEND if local.date() == nudge.local_date and not quiet else Verdict.EXPIRE
    open_flag = ScreeningResponse.objects.for_user(nudge.recipient).unreviewed().filter(pk=nudge.reference)
    if not open_flag.exists():
        return Verdict.EXPIRE
    return Verdict.HOLD if quiet else Verdict.SEND


def send_nudges(nudge_ids, now=None):
    """Send the emails of the pending nudges among ``nudge_ids``. Safe to call twice with the same ids."""
    token = uuid.uuid4()
    claimed_at = timezone.now()
    claimed = Nudge.objects.filter(pk__in=nudge_ids, status=Status.PENDING).update(
        status=Status.SENDING, claim=token, claimed_at=claimed_at, attempts=F("attempts") + 1
    )
    outcome = Outcome()
    if not claimed:
        return outcome
    nudges = list(
        Nudge.objects.filter(pk__in=nudge_ids, claim=token)
        .select_related("recipient", "recipient__nudge_preferences")
        .order_by("created_at", "pk")
    )
    deadline = time.monotonic() + settings.VIDA_NUDGE_CLAIM_SECONDS / 2
    mail = get_connection()
    with _records_not_waiting_for_the_disk():
        try:
            for position, nudge in enumerate(nudges):
                if time.monotonic() > deadline:
                    # Our claim will soon be handed back to the outbox: stop before racing it.
                    outcome.retry = _hand_back(nudges[position:], token)
                    break
                decided = verdict(nudge, now or timezone.now())
                if decided is Verdict.EXPIRE:
                    _finish(nudge, token, Status.EXPIRED)
                    outcome.expired += 1
                    continue
                if decided is Verdict.HOLD:
                    # Back to the outbox: a later pass hands it over again (REQUEUE_AFTER).
                    _release(nudge, token)
                    outcome.held += 1
                    continue
                try:
                    mail.send_messages([nudge_email(nudge)])
                except Exception as error:
                    if is_transient_mail_error(error):
                        logger.warning(
                            "Transient mail error, %d emails to retry: %r", len(nudges) - position, error
                        )
                        outcome.retry = _hand_back(nudges[position:], token, error)
                        break
                    logger.error("Nudge %s not sent: %r", nudge.pk, error)
                    _finish(nudge, token, Status.FAILED, error)
                    outcome.failed += 1
                    continue
                _finish(nudge, token, Status.SENT)
                outcome.sent += 1
        finally:
            mail.close()
    return outcome


@contextmanager
def _records_not_waiting_for_the_disk():
    """This session's commits return before the WAL flush, on PostgreSQL (see the module docstring)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:
            pass  # a broken connection is closed and never reused


def send_pending_here(now=None):
    """Send every pending email in this process, batch by batch: no broker, no worker.

    For ``dispatch_nudges --send-here``: trying it by hand, or draining the outbox
    while the broker is down. The same claims keep it exactly-once next to workers.
    """
    ids = [
        str(pk)
        for pk in Nudge.objects.filter(status=Status.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)
    ]
    total = Outcome()
    size = settings.VIDA_NUDGE_BATCH_SIZE
    for start in range(0, len(ids), size):
        outcome = send_nudges(ids[start : start + size], now)
        total.sent += outcome.sent
        total.failed += outcome.failed
        total.expired += outcome.expired
        total.retry += outcome.retry
    return total


def _finish(nudge, token, status, error=None):
    Nudge.objects.filter(pk=nudge.pk, claim=token, status=Status.SENDING).update(
        status=status,
        sent_at=timezone.now() if status == Status.SENT else None,
        last_error=_describe(error),
    )


def _release(nudge, token):
    """Our claimed row back to pending, handed over just now, its attempt not counted."""
    Nudge.objects.filter(pk=nudge.pk, claim=token, status=Status.SENDING).update(
        status=Status.PENDING, claim=None, enqueued_at=timezone.now(), attempts=F("attempts") - 1
    )


def _hand_back(nudges, token, error=None):
    """Return our unsent claimed rows to pending (or fail those out of attempts); their ids to retry."""
    ids = [n.pk for n in nudges]
    mine = Nudge.objects.filter(pk__in=ids, claim=token, status=Status.SENDING)
    mine.filter(attempts__gte=MAX_ATTEMPTS).update(status=Status.FAILED, last_error=_describe(error))
    mine.update(status=Status.PENDING, claim=None, last_error=_describe(error))
    return [str(n.pk) for n in nudges if n.attempts < MAX_ATTEMPTS]


def _describe(error):
    return "" if error is None else f"{type(error).__name__}: {error}"[:300]
