import getpass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.timezones import validate_timezone


class Command(BaseCommand):
    help = "Create a clinician account (clinicians cannot sign up themselves)."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="Asked for when omitted (also --username).")
        parser.add_argument("--username", dest="username_option", metavar="USERNAME")
        parser.add_argument("--email", help="Asked for when omitted: digests and alerts go there.")
        parser.add_argument("--timezone", default="UTC")
        parser.add_argument("--display-name", default="")
        parser.add_argument("--password", help="Read from a prompt when omitted.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(
        self,
        *args,
        username,
        username_option,
        email,
        timezone,
        display_name,
        password,
        interactive,
        **options,
    ):
        username = username or username_option
        if not username or not email or password is None:
            if not interactive:
                raise CommandError("With --noinput, give the username, --email and --password.")
            username = username or input("Username: ").strip()
            email = email or input("Email: ").strip()
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
