import getpass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.timezones import validate_timezone


class Command(BaseCommand):
    help = "Create a clinician account (clinicians cannot sign up themselves)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--timezone", default="UTC")
        parser.add_argument("--display-name", default="")
        parser.add_argument("--password", help="Read from a prompt when omitted.")

    def handle(self, *args, username, email, timezone, display_name, password, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        try:
            validate_timezone(timezone)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        if password is None:
            password = getpass.getpass("Password: ")
        candidate = User(username=username, email=email)
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        User.objects.create_user(
            username=username,
            email=email,
            password=password,
            timezone=timezone,
            display_name=display_name,
            role=User.Role.CLINICIAN,
        )
        self.stdout.write(f"Clinician {username!r} created.")
