"""Scoring a screening: the one place where answers become a result.

The page, the API and the stored response all call :func:`score`, so a rule
never has two versions. The function is pure (no database, no request) and
expects answers that ``Questionnaire.answer_errors`` has already accepted.

The rules (DESIGN.md, "Screening"):

- ``hip_pattern_score`` counts the hip patterns answered yes (0-3). None of the
  patterns is definitive on its own; several together count, so two or more make
  a hip component ``likely``, one makes it ``possible``, none ``unlikely``.
- ``leading_region`` is reported as answered. It is context for the person and
  their clinician, not a point in the score: which region leads is measured from
  the daily check-ins, and a remembered impression should not tip the result.
- ``red_flags`` lists the red-flag ids answered yes, in the order asked.
  ``urgency`` is ``emergency`` if any of them is a cauda equina sign, else
  ``urgent`` if there is any red flag, else ``none``.
- ``explanation`` names, in plain words, the answers that drove the result:
  red flags first, then the hip component and the patterns behind it, then
  which region usually comes first.

Wording says what "needs checking"; it never names a diagnosis.
"""

from dataclasses import dataclass

from screening import questionnaire as q

LIKELY = "likely"
POSSIBLE = "possible"
UNLIKELY = "unlikely"

# Hip patterns answered yes needed for each verdict.
LIKELY_FROM = 2
POSSIBLE_FROM = 1


@dataclass(frozen=True)
class Guidance:
    title: str
    advice: str


GUIDANCE = {
    q.EMERGENCY: Guidance(
        title="Go to an emergency department now",
        advice=(
            "These signs need checking in person straight away. Go to an emergency department now. "
            "If you cannot get there safely, call your local emergency number."
        ),
    ),
    q.URGENT: Guidance(
        title="Get checked by a doctor today",
        advice=(
            "These answers need checking by a doctor. Contact your GP or an urgent care service today "
            "and tell them what you answered here. "
            "If things get worse quickly, go to an emergency department."
        ),
    ),
}

NOT_AN_EMERGENCY_SERVICE = (
    "Vida is not an emergency service. Nobody watches these answers as you give them, "
    "and Vida cannot tell you what is wrong."
)

WHERE_TO_CHECK = {
    q.EMERGENCY: "at an emergency department now",
    q.URGENT: "by a doctor today",
}

NUMBER_WORDS = {1: "one", 2: "two", 3: "three"}

# The verdict as the patient reads it: plain words, not "a hip component".
VERDICT_WORDS = {
    LIKELY: "your hips are likely part of this",
    POSSIBLE: "your hips may be part of this",
    UNLIKELY: "your hips are probably not the main part of this",
}

LEADING_REGION_SENTENCES = {
    "hip": (
        "Your hip or front of thigh usually flares first, which points towards the hips as a place to start."
    ),
    "back": (
        "Your lower back usually flares first, which is a more mixed picture; the hips can still play a part."
    ),
    "together": "Your hip and lower back usually flare at the same time.",
    "unsure": "You are not sure which area flares first; your daily check-ins will show it over time.",
}


@dataclass(frozen=True)
class Result:
    hip_pattern_score: int
    hip_component: str
    leading_region: str
    red_flags: tuple[str, ...]
    urgency: str
    explanation: tuple[str, ...]

    @property
    def guidance(self):
        """What to do about the red flags (``Guidance``), or None when there are none."""
        return GUIDANCE.get(self.urgency)


def hip_component_for(hip_pattern_score):
    if hip_pattern_score >= LIKELY_FROM:
        return LIKELY
    if hip_pattern_score >= POSSIBLE_FROM:
        return POSSIBLE
    return UNLIKELY


def urgency_for(red_flag_questions):
    urgencies = {question.urgency for question in red_flag_questions}
    if q.EMERGENCY in urgencies:
        return q.EMERGENCY
    if urgencies:
        return q.URGENT
    return q.NO_URGENCY


def number_word(n):
    return NUMBER_WORDS.get(n, str(n))


def component_sentence(hip_pattern_score, out_of, hip_component):
    """ "Two of the three hip patterns are present, so your hips are likely part of this." and its kin."""
    patterns = f"the {number_word(out_of)} hip patterns"
    if hip_pattern_score == 0:
        opening = f"None of {patterns} is present"
    elif hip_pattern_score == out_of:
        opening = f"All {number_word(out_of)} hip patterns are present"
    elif hip_pattern_score == 1:
        opening = f"One of {patterns} is present"
    else:
        opening = f"{number_word(hip_pattern_score).capitalize()} of {patterns} are present"
    return f"{opening}, so {VERDICT_WORDS[hip_component]}."


def red_flag_sentence(question):
    return f"You answered yes to {question.finding}: this needs checking {WHERE_TO_CHECK[question.urgency]}."


def score(answers, questionnaire=q.CURRENT):
    """The result of one set of answers to ``questionnaire`` (see the module docstring)."""
    flagged = [question for question in questionnaire.of_role(q.RED_FLAG) if answers[question.id]]
    patterns = questionnaire.of_role(q.HIP_PATTERN)
    present = [question for question in patterns if answers[question.id]]
    (region_question,) = questionnaire.of_role(q.LEADING_REGION)
    leading_region = answers[region_question.id]

    hip_pattern_score = len(present)
    hip_component = hip_component_for(hip_pattern_score)
    explanation = [
        *(red_flag_sentence(flag) for flag in flagged),
        component_sentence(hip_pattern_score, len(patterns), hip_component),
        *(pattern.finding for pattern in present),
        LEADING_REGION_SENTENCES[leading_region],
    ]
    return Result(
        hip_pattern_score=hip_pattern_score,
        hip_component=hip_component,
        leading_region=leading_region,
        red_flags=tuple(flag.id for flag in flagged),
        urgency=urgency_for(flagged),
        explanation=tuple(explanation),
    )
