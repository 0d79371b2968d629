"""Password reset by email: Django's views, forms and tokens, Vida's email helper, a Celery task between.

The reset page answers the same, and as fast, whether or not an account uses the
address: the request only hands the address to a task, which looks it up and
sends the email. (Django's PasswordResetForm.save sends during the request, so
how long the answer took would tell.) If the broker is down the request sends
it itself: slower, and still the same answer.
"""

import logging

from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from vida.emails import absolute_url, build_email

logger = logging.getLogger(__name__)


class PasswordResetForm(auth_forms.PasswordResetForm):
    def save(self, **kwargs):
        # Nothing is written before the task runs, so it is handed over at once.
        enqueue_reset_email(self.cleaned_data["email"])


def enqueue_reset_email(email):
    from accounts.tasks import send_password_reset

    try:
        send_password_reset.apply_async(args=[email], retry_policy={"max_retries": 1})
    except Exception:  # the broker's errors come from several libraries
        logger.warning("Broker unreachable: sending a password reset email from the request itself")
        try:
            send_reset_email(email)
        except Exception:
            # The page answers the same whatever happens here (as Django's own form does).
            logger.exception("Password reset email not sent")


def send_reset_email(email):
    """Email a reset link to every account Django would reset for ``email`` (active, with a usable password)."""
    for user in auth_forms.PasswordResetForm().get_users(email):
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context = {
            "name": user.display_name or user.username,
            "username": user.username,
            "reset_url": absolute_url(path),
        }
        build_email("accounts/email/password_reset", context, to=[user.email]).send()
