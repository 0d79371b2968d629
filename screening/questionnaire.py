"""The screening questionnaires, as versioned data in code.

A version is a contract: its question ids, answer types and meaning never change
once released, because stored responses and API clients rely on them. A changed
question is a new version (``hip-pattern-v2``) added beside the old one, which
stays here so every stored response can still be read and explained.

Red-flag questions come first in every version: they are asked before anything
else so that a sign needing a doctor is never buried under the hip questions.
"""

from dataclasses import dataclass, field

BOOLEAN = "boolean"
CHOICE = "choice"

# What a question contributes to the result (see screening.scoring).
RED_FLAG = "red_flag"
HIP_PATTERN = "hip_pattern"
LEADING_REGION = "leading_region"

# How soon a red flag needs a person to look at it.
EMERGENCY = "emergency"
URGENT = "urgent"
NO_URGENCY = "none"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: str
    role: str
    hint: str = ""
    choices: tuple[Choice, ...] = ()
    # Red flags only: how soon it needs checking.
    urgency: str = ""
    # Plain words for a "yes", used in explanations and on the /today/ banner
    # ("... had answers that need checking: sciatica in both legs").
    finding: str = ""

    @property
    def choice_values(self):
        return [choice.value for choice in self.choices]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title: str
    sections: tuple[Section, ...]
    by_id: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        by_id = {question.id: question for section in self.sections for question in section.questions}
        object.__setattr__(self, "by_id", by_id)

    @property
    def questions(self):
        """Every question, in the order they are asked."""
        return list(self.by_id.values())

    def of_role(self, role):
        return [question for question in self.questions if question.role == role]

    def answer_errors(self, answers):
        """``{question id: message}`` for every problem with ``answers``; empty when they are usable.

        Every question must be answered with its own type (booleans are JSON
        true/false, not "yes" or 1), and no id outside this version is accepted:
        a typo in an id would otherwise pass as a missing answer elsewhere.
        """
        errors = {}
        for question in self.questions:
            if question.id not in answers:
                errors[question.id] = "This question needs an answer."
                continue
            value = answers[question.id]
            if question.kind == BOOLEAN and not isinstance(value, bool):
                errors[question.id] = "Answer with true (yes) or false (no)."
            elif question.kind == CHOICE and not (isinstance(value, str) and value in question.choice_values):
                errors[question.id] = f"Choose one of {', '.join(question.choice_values)}."
        for unknown in answers:
            if unknown not in self.by_id:
                errors[str(unknown)] = f"There is no question with this id in {self.version}."
        return errors


def yes_no(id, text, role, **details):
    return Question(id=id, text=text, kind=BOOLEAN, role=role, **details)


HIP_PATTERN_V1 = Questionnaire(
    version="hip-pattern-v1",
    title="Are your hips part of your back pain?",
    sections=(
        Section(
            id="red_flags",
            title="Safety questions",
            intro=(
                "First, a few questions about rare signs that need a doctor rather than stretches. "
                "Answer for how things are now."
            ),
            questions=(
                yes_no(
                    "bladder_bowel",
                    "Have you had new trouble passing urine, or lost control of your bladder or bowels?",
                    RED_FLAG,
                    urgency=EMERGENCY,
                    finding="new trouble passing urine, or loss of bladder or bowel control",
                ),
                yes_no(
                    "saddle_numbness",
                    "Is there numbness in the saddle area: your genitals, buttocks or inner thighs?",
                    RED_FLAG,
                    urgency=EMERGENCY,
                    finding="numbness in the saddle area (genitals, buttocks or inner thighs)",
                ),
                yes_no(
                    "leg_weakness",
                    "Is there weakness in your legs that is getting worse?",
                    RED_FLAG,
                    urgency=EMERGENCY,
                    finding="weakness in the legs that is getting worse",
                ),
                yes_no(
                    "bilateral_sciatica",
                    "Do you have sciatica in both legs?",
                    RED_FLAG,
                    hint="Sciatica is pain that shoots from the buttock down the back of the leg.",
                    urgency=EMERGENCY,
                    finding="sciatica in both legs",
                ),
                yes_no(
                    "fever_unwell",
                    "Do you have a fever, or feel generally unwell, along with the back pain?",
                    RED_FLAG,
                    urgency=URGENT,
                    finding="a fever or feeling generally unwell",
                ),
                yes_no(
                    "cancer_history",
                    "Have you ever had cancer?",
                    RED_FLAG,
                    urgency=URGENT,
                    finding="a history of cancer",
                ),
                yes_no(
                    "weight_loss",
                    "Have you lost weight recently without trying to?",
                    RED_FLAG,
                    urgency=URGENT,
                    finding="weight loss you cannot explain",
                ),
                yes_no(
                    "night_pain",
                    "Is the pain constant, so that it does not ease when you rest or at night?",
                    RED_FLAG,
                    urgency=URGENT,
                    finding="constant pain that does not ease at rest or at night",
                ),
                yes_no(
                    "trauma",
                    "Did the pain start after a significant fall or accident?",
                    RED_FLAG,
                    urgency=URGENT,
                    finding="pain after a significant fall or accident",
                ),
            ),
        ),
        Section(
            id="hip_pattern",
            title="Your back and hips",
            intro="Three patterns that suggest the hips are involved, and which area usually goes first.",
            questions=(
                yes_no(
                    "sitting_worse",
                    "Is your back worse after sitting for a long time, and slow to ease when you stand up?",
                    HIP_PATTERN,
                    finding="Your back is worse after long sitting and slow to ease when you stand up.",
                ),
                yes_no(
                    "front_hip",
                    "Do you have pain or stiffness at the front of the hip or upper thigh, "
                    "as well as in your back?",
                    HIP_PATTERN,
                    finding=(
                        "You have pain or stiffness at the front of the hip or upper thigh "
                        "alongside your back symptoms."
                    ),
                ),
                yes_no(
                    "walking_better",
                    "Does your back feel better when you walk, then tighten again after you sit?",
                    HIP_PATTERN,
                    finding="Your back feels better when you walk and tightens again after sitting.",
                ),
                Question(
                    id="leading_region",
                    text="When it flares up, which usually comes first?",
                    kind=CHOICE,
                    role=LEADING_REGION,
                    choices=(
                        Choice("hip", "Hip or front of thigh"),
                        Choice("back", "Lower back"),
                        Choice("together", "Both at the same time"),
                        Choice("unsure", "Not sure"),
                    ),
                ),
            ),
        ),
    ),
)

QUESTIONNAIRES = {questionnaire.version: questionnaire for questionnaire in (HIP_PATTERN_V1,)}
CURRENT = HIP_PATTERN_V1
