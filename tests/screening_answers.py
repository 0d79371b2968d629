"""The hip-pattern-v1 question ids as the API contract names them, and answer sets built from them."""

RED_FLAGS = [
    "bladder_bowel",
    "saddle_numbness",
    "leg_weakness",
    "bilateral_sciatica",
    "fever_unwell",
    "cancer_history",
    "weight_loss",
    "night_pain",
    "trauma",
]
EMERGENCY_FLAGS = RED_FLAGS[:4]
HIP_PATTERNS = ["sitting_worse", "front_hip", "walking_better"]


def answers(**given):
    """A complete set of answers with no red flag and no hip pattern, changed by ``given``."""
    return {**{qid: False for qid in RED_FLAGS + HIP_PATTERNS}, "leading_region": "unsure", **given}
