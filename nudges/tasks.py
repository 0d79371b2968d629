"""Celery tasks: thin wrappers around plain functions that ``manage.py dispatch_nudges`` calls too.

Both are idempotent, so both acknowledge late: a task whose worker dies is
delivered again and does no harm.
"""

import logging

from celery import shared_task

from nudges import delivery, dispatch
from vida.emails import backoff_seconds

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def dispatch_nudges():
    """One dispatch pass (beat runs it every minute)."""
    result = dispatch.run_pass()
    if result.recorded or result.enqueued or result.released:
        logger.info("Nudge dispatch: %s", result)


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=delivery.MAX_ATTEMPTS - 1)
def send_nudges(self, nudge_ids):
    """Send the emails of a batch of nudges; transient mail errors retry the unsent rest with back-off."""
    outcome = delivery.send_nudges(nudge_ids)
    if outcome.retry:
        # Past the last retry the rows stay pending and a later dispatch pass hands them
        # over again, until their attempts run out or their day ends.
        raise self.retry(args=[outcome.retry], countdown=backoff_seconds(self.request.retries))
