from django.core.management.base import BaseCommand
from django.utils import timezone

from security.models import AuthToken


class Command(BaseCommand):
    help = "Delete expired API tokens (they are refused anyway; this keeps the table small)."

    def handle(self, *args, **options):
        deleted, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
        self.stdout.write(f"Deleted {deleted} expired API tokens.")
