"""Every write of the care team: share codes, links, notes, reviews. From the API and the pages alike."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from careteam.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CODE_LIFETIME_DAYS,
    CareLink,
    ClinicianNote,
    ShareCode,
    new_code,
)
from screening import actions as screening_actions
from screening.models import ScreeningResponse


class CodeRefused(Exception):
    """A share code that cannot be redeemed; the message says why, fit to show the clinician."""


class AlreadyLinked(Exception):
    def __init__(self, link):
        super().__init__("This patient already shares their record with you.")
        self.link = link


def make_share_code(patient):
    """A new single-use code, valid for CODE_LIFETIME_DAYS. Earlier codes stay valid until used or expired."""
    now = timezone.now()
    for _ in range(5):  # a clash among 27^8 codes is all but impossible; retry rather than fail
        try:
            with transaction.atomic():
                return ShareCode.objects.create(
                    patient=patient,
                    code=new_code(),
                    created_at=now,
                    expires_at=now + dt.timedelta(days=CODE_LIFETIME_DAYS),
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not make a unique share code.")


def normalise_code(raw):
    """The code as stored: spaces and dashes dropped, capitals; CodeRefused if it cannot be one."""
    code = "".join(str(raw).split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        raise CodeRefused(
            f"A share code is {CODE_LENGTH} letters and digits, like K7QH-3MXA. Check it with the patient."
        )
    return code


@transaction.atomic
def redeem_code(clinician, raw_code):
    """Link ``clinician`` to the patient whose code this is; returns the new CareLink.

    The code is claimed by a conditional UPDATE (unused and unexpired), so of two
    clinicians redeeming one code at once exactly one succeeds. Raises
    CodeRefused with the reason, or AlreadyLinked (the code is then left unused).
    """
    code = normalise_code(raw_code)
    now = timezone.now()
    share = ShareCode.objects.select_related("patient").filter(code=code).first()
    if share is None:
        raise CodeRefused("No share code like this exists. Check it with the patient.")
    if share.used_at is not None:
        raise CodeRefused("This share code has been used already. Ask the patient for a new one.")
    if share.expires_at <= now:
        raise CodeRefused("This share code has expired. Ask the patient for a new one.")
    existing = CareLink.objects.active().filter(clinician=clinician, patient=share.patient).first()
    if existing is not None:
        raise AlreadyLinked(existing)
    claimed = ShareCode.objects.filter(pk=share.pk, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now, used_by=clinician
    )
    if claimed != 1:
        raise CodeRefused("This share code has been used already. Ask the patient for a new one.")
    try:
        with transaction.atomic():
            return CareLink.objects.create(patient=share.patient, clinician=clinician, linked_at=now)
    except IntegrityError:  # linked by another of this clinician's codes at the same moment
        raise AlreadyLinked(
            CareLink.objects.active().get(clinician=clinician, patient=share.patient)
        ) from None


def unlink(patient, clinician_public_id):
    """End the patient's active link with that clinician at once; False if there was none."""
    ended = CareLink.objects.active().filter(patient=patient, clinician__public_id=clinician_public_id)
    return ended.update(unlinked_at=timezone.now()) > 0


def add_note(clinician, patient, text):
    return ClinicianNote.objects.create(author=clinician, patient=patient, text=text)


def review_red_flag(clinician, patient):
    """Mark the patient's unreviewed red flag reviewed (the caller checked the link).

    Returns the screening response, or None when no red flag waits for review.
    """
    response = ScreeningResponse.objects.unreviewed().filter(patient=patient).first()
    if response is None:
        return None
    screening_actions.mark_reviewed(response, clinician)
    return response
