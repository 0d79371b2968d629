"""Care-team set-ups the tests share: linking a clinician to a patient the way the product does."""

from careteam import actions


def link(clinician, patient):
    """Link through a real share code, as a patient and clinician would."""
    return actions.redeem_code(clinician, actions.make_share_code(patient).code)
