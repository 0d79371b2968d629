from django.core.management.base import BaseCommand

from nudges import delivery, dispatch


class Command(BaseCommand):
    help = (
        "One nudge dispatch pass: record the nudges due now and hand their emails to the Celery "
        "workers (beat runs the same pass every minute). Safe to run at any time, and twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--send-here",
            action="store_true",
            help="Send the pending emails from this process instead of through the broker and workers "
            "(trying it out, or draining the outbox while the broker is down).",
        )

    def handle(self, *args, send_here=False, **options):
        result = dispatch.run_pass(publish=not send_here)
        self.stdout.write(str(result))
        if send_here:
            outcome = delivery.send_pending_here()
            self.stdout.write(
                f"Sent here: {outcome.sent} emails, {outcome.failed} failed, {outcome.expired} too late to send, "
                f"{len(outcome.retry)} left pending after a transient mail error."
            )
