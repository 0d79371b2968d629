"""The two regions Vida watches, and the answer to "which came first?"."""

from django.db import models


class LeadingRegion(models.TextChoices):
    """Which region's pain or stiffness came first: a check-in's ``first_region``
    and the screening's ``leading_region`` ask the same question."""

    HIP = "hip", "Hip or front of thigh"
    BACK = "back", "Lower back"
    TOGETHER = "together", "Both together"
    UNSURE = "unsure", "Not sure"
