"""Every email Vida sends is three templates rendered by one helper.

``<name>-subject.txt``, ``<name>-body.txt`` and ``<name>-body.html``: the
subject line, the plain-text body and the HTML body of one kind of email. The
text templates are rendered without HTML escaping (a name like "Sam & Jo" stays
as written); the HTML one escapes as every page does.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template


def _render_text(template_name, context):
    template = get_template(template_name).template  # the engine's Template, for a Context of our own
    return template.render(Context(context, autoescape=False))


def build_email(name, context, *, to, headers=None):
    """The email ``name`` for ``context``, ready to send: an EmailMultiAlternatives."""
    # A subject is one line, whatever the template's line breaks.
    subject = " ".join(_render_text(f"{name}-subject.txt", context).split())
    text = _render_text(f"{name}-body.txt", context)
    html = get_template(f"{name}-body.html").render(context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        to,
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    return message


def absolute_url(path):
    """A link that works from an email: VIDA_BASE_URL in front of a site path."""
    return f"{settings.VIDA_BASE_URL}{path}"


def backoff_seconds(retries):
    """How long to wait before retrying a transient mail error: 30 s, 1, 2, 4, 8 minutes.
    A mail server restarting or a greylisting pause both fit."""
    return 30 * 2**retries


def is_transient_mail_error(error):
    """Worth retrying later: the connection failed or the server said 4xx ("try again"). A 5xx is final."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    # smtplib.SMTPServerDisconnected and the socket errors (refused, reset, timed out) are all OSError.
    return isinstance(error, OSError)
