"""Today's stretch recommendation (placeholder until the stretches issue lands)."""


def today_recommendation(patient):
    """``{"focus", "reason", "videos"}`` for the patient's local today, or None before any videos exist."""
    return None
