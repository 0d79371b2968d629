"""What the rest of Vida asks the screening app (placeholder until the screening issue lands)."""


def stretches_paused(patient):
    """True while the patient has a red flag that no clear screening or clinician review has settled."""
    return False


def red_flag_banner(patient):
    """Context for the banner on /today/ while a red flag is unsettled, or None."""
    return None
