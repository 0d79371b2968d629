"""A nudge as an email: the wording of its kind, a link straight to the page, a one-click unsubscribe.

Unsubscribe links are signed (django.core.signing) with a salt of their own,
name the person by public id and the kind, and never expire: RFC 8058 asks
that they keep working. Mail clients POST ``List-Unsubscribe=One-Click`` to the
same URL (nudges.views.unsubscribe).
"""

import operator
from functools import reduce

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from nudges.content import WORDING
from nudges.models import Kind
from vida.emails import absolute_url, build_email

UNSUBSCRIBE_SALT = "vida.nudges.unsubscribe"


class BadUnsubscribeLink(Exception):
    """Tampered, signed for something else, or naming nobody we know."""


def unsubscribe_token(user, kind):
    return signing.dumps([str(user.public_id), kind], salt=UNSUBSCRIBE_SALT, compress=False)


def read_unsubscribe_token(token):
    """``(user, kind)`` from a token, or BadUnsubscribeLink."""
    try:
        public_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadUnsubscribeLink(str(error)) from None
    if kind not in WORDING:
        raise BadUnsubscribeLink(f"unknown kind {kind!r}")
    try:
        user = User.objects.get(public_id=public_id)
    except (User.DoesNotExist, ValueError, ValidationError):
        raise BadUnsubscribeLink("nobody with that id") from None
    return user, Kind(kind)


def unsubscribe_url(user, kind):
    return absolute_url(reverse("nudges:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)}))


def message_id(nudge):
    """Stable per nudge: if a worker dies between the SMTP server's acceptance and our record of
    it, the copy sent again carries the same Message-ID, and mailboxes that deduplicate show one."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    return f"<nudge-{nudge.pk}@{domain}>"


def nudge_email(nudge):
    """The EmailMultiAlternatives for ``nudge`` (its recipient loaded)."""
    user = nudge.recipient
    wording = WORDING[nudge.kind]
    unsubscribe = unsubscribe_url(user, nudge.kind)
    context = {
        "name": user.display_name or user.username,
        "wording": wording,
        "text": nudge.presented.text,
        "link": absolute_url(nudge.presented.url),
        **(digest_patients(user) if nudge.kind == Kind.CLINICIAN_DIGEST else {}),
        "settings_link": absolute_url(reverse("settings")) + "#reminders",
        "unsubscribe_url": unsubscribe,
    }
    return build_email(
        wording.template,
        context,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": message_id(nudge),
        },
    )


# A digest names at most this many patients; the rest are "and N more" on the clinic list.
DIGEST_NAMES = 25


def digest_patients(clinician):
    """The clinician's flagged patients, worst first: the clinic list's own ranking and flags
    (careteam.clinic), nothing computed here.

    ``patients`` are the first DIGEST_NAMES as (name, flag words, absolute link), each read
    written to that patient's access log; ``flagged`` counts them all.
    """
    from careteam.clinic import ranked_patients
    from careteam.models import Read
    from checkins.trend_words import FLAG_WORDS
    from checkins.trends import flags_of
    from nudges.rules import DIGEST_FLAGS
    from vida.access import log_reads

    flagged = ranked_patients(clinician).filter(reduce(operator.or_, (Q(**{f: True}) for f in DIGEST_FLAGS)))
    named = list(flagged[:DIGEST_NAMES])
    total = len(named) if len(named) < DIGEST_NAMES else flagged.count()
    log_reads(clinician, named, Read.DIGEST)
    rows = []
    for patient in named:
        words = [FLAG_WORDS[flag] for flag in flags_of(patient) if flag in DIGEST_FLAGS]
        link = absolute_url(reverse("clinic-patient", kwargs={"patient_id": patient.public_id}))
        rows.append({"name": str(patient), "flags": ", ".join(words), "link": link})
    return {"patients": rows, "flagged": total, "more": total - len(rows)}
