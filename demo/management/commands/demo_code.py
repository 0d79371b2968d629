import base64

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from demo.accounts import DEMO_CLINICIAN_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the demo clinician's current second-factor code (its TOTP key is published). Development only."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_code refuses to run with production settings.")
        self.stdout.write(f"{TOTP(base64.b32decode(DEMO_CLINICIAN_TOTP_SECRET)).token():06d}")
