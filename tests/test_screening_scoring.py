"""The hip-pattern questionnaire and its scoring: the contract and the full table."""

import pytest
from django.db import IntegrityError

from screening import actions, scoring
from screening.models import ScreeningResponse
from screening.questionnaire import CURRENT, QUESTIONNAIRES

EMERGENCY_ITEMS = ["bladder_bowel", "saddle_numbness", "leg_weakness", "bilateral_sciatica"]
URGENT_ITEMS = ["fever_unwell", "cancer_history", "weight_loss", "night_pain", "trauma"]
HIP_PATTERNS = ["sitting_worse", "front_hip", "walking_better"]
REGIONS = ["hip", "back", "together", "unsure"]

EMERGENCY = "Go to an emergency department now"
URGENT = "Get checked by a doctor today"


def answers(**given):
    """A complete set of answers with no red flag and no hip pattern, changed by ``given``."""
    every_no = {qid: False for qid in EMERGENCY_ITEMS + URGENT_ITEMS + HIP_PATTERNS}
    return {**every_no, "leading_region": "unsure", **given}


# --- The questionnaire is a contract ---------------------------------------------------


def test_current_questionnaire_is_hip_pattern_v1_with_the_design_ids_red_flags_first():
    assert CURRENT.version == "hip-pattern-v1"
    assert QUESTIONNAIRES["hip-pattern-v1"] is CURRENT
    assert [question.id for question in CURRENT.questions] == [
        *EMERGENCY_ITEMS,
        *URGENT_ITEMS,
        *HIP_PATTERNS,
        "leading_region",
    ]


def test_every_question_has_text_and_red_flags_say_how_urgent():
    for question in CURRENT.questions:
        assert question.text.endswith("?")
    assert {q.id: q.urgency for q in CURRENT.of_role("red_flag")} == {
        **{qid: "emergency" for qid in EMERGENCY_ITEMS},
        **{qid: "urgent" for qid in URGENT_ITEMS},
    }
    assert CURRENT.by_id["leading_region"].choice_values == REGIONS


def test_complete_answers_have_no_errors():
    assert CURRENT.answer_errors(answers()) == {}


def test_each_missing_answer_is_named():
    given = answers()
    del given["front_hip"], given["leading_region"]
    assert CURRENT.answer_errors(given) == {
        "front_hip": "This question needs an answer.",
        "leading_region": "This question needs an answer.",
    }


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, None, [], {}])
def test_yes_no_questions_take_only_true_or_false(value):
    assert list(CURRENT.answer_errors(answers(trauma=value))) == ["trauma"]


@pytest.mark.parametrize("value", ["left", "", "HIP", True, 1, None])
def test_leading_region_takes_only_its_choices(value):
    errors = CURRENT.answer_errors(answers(leading_region=value))
    assert errors == {"leading_region": "Choose one of hip, back, together, unsure."}


def test_an_unknown_question_id_is_named():
    errors = CURRENT.answer_errors({**answers(), "front_hips": True})
    assert errors == {"front_hips": "There is no question with this id in hip-pattern-v1."}


# --- The scoring table ------------------------------------------------------------------

# Every combination of the three hip patterns: (sitting_worse, front_hip, walking_better)
# -> hip_pattern_score, hip_component.
PATTERN_TABLE = [
    ((False, False, False), 0, "unlikely"),
    ((True, False, False), 1, "possible"),
    ((False, True, False), 1, "possible"),
    ((False, False, True), 1, "possible"),
    ((True, True, False), 2, "likely"),
    ((True, False, True), 2, "likely"),
    ((False, True, True), 2, "likely"),
    ((True, True, True), 3, "likely"),
]

# Words each "yes" puts into the explanation, and each region's sentence.
PATTERN_WORDS = {
    "sitting_worse": "worse after long sitting",
    "front_hip": "front of the hip or upper thigh",
    "walking_better": "better when you walk",
}
REGION_WORDS = {
    "hip": "hip or front of thigh usually flares first",
    "back": "lower back usually flares first",
    "together": "flare at the same time",
    "unsure": "not sure which area flares first",
}
COMPONENT_SENTENCES = {
    0: "None of the three hip patterns is present, so your hips are probably not the main part of this.",
    1: "One of the three hip patterns is present, so your hips may be part of this.",
    2: "Two of the three hip patterns are present, so your hips are likely part of this.",
    3: "All three hip patterns are present, so your hips are likely part of this.",
}


@pytest.mark.parametrize("leading_region", REGIONS)
@pytest.mark.parametrize(("patterns", "expected_score", "expected_component"), PATTERN_TABLE)
def test_scoring_table(patterns, expected_score, expected_component, leading_region):
    given = dict(zip(HIP_PATTERNS, patterns))
    result = scoring.score(answers(**given, leading_region=leading_region))

    assert result.hip_pattern_score == expected_score
    assert result.hip_component == expected_component
    assert result.leading_region == leading_region
    assert result.red_flags == ()
    assert result.urgency == "none"
    assert result.guidance is None
    # The explanation opens with the verdict, names each pattern answered yes
    # (and no other), and ends with which region comes first.
    assert result.explanation[0] == COMPONENT_SENTENCES[expected_score]
    text = " ".join(result.explanation)
    for pattern, present in given.items():
        assert (PATTERN_WORDS[pattern] in text) is present, pattern
    assert REGION_WORDS[leading_region] in result.explanation[-1].lower()
    assert len(result.explanation) == 2 + expected_score


# --- Every red flag on its own ----------------------------------------------------------

RED_FLAG_TABLE = [
    ("bladder_bowel", "emergency", EMERGENCY, "bladder or bowel control"),
    ("saddle_numbness", "emergency", EMERGENCY, "numbness in the saddle area"),
    ("leg_weakness", "emergency", EMERGENCY, "weakness in the legs that is getting worse"),
    ("bilateral_sciatica", "emergency", EMERGENCY, "sciatica in both legs"),
    ("fever_unwell", "urgent", URGENT, "a fever or feeling generally unwell"),
    ("cancer_history", "urgent", URGENT, "a history of cancer"),
    ("weight_loss", "urgent", URGENT, "weight loss you cannot explain"),
    ("night_pain", "urgent", URGENT, "does not ease at rest or at night"),
    ("trauma", "urgent", URGENT, "a significant fall or accident"),
]


@pytest.mark.parametrize(("item", "urgency", "guidance", "words"), RED_FLAG_TABLE)
def test_each_red_flag_alone(item, urgency, guidance, words):
    result = scoring.score(answers(**{item: True}))

    assert result.red_flags == (item,)
    assert result.urgency == urgency
    assert result.guidance.title == guidance
    # The red flag is the first thing the explanation says, as something that needs checking.
    assert words in result.explanation[0]
    assert "needs checking" in result.explanation[0]
    # It does not change what the hip patterns say.
    assert result.hip_pattern_score == 0
    assert result.hip_component == "unlikely"


def test_an_emergency_sign_outranks_urgent_ones_and_all_are_listed_in_order_asked():
    result = scoring.score(answers(trauma=True, leg_weakness=True, fever_unwell=True))
    assert result.urgency == "emergency"
    assert result.guidance.title == EMERGENCY
    assert result.red_flags == ("leg_weakness", "fever_unwell", "trauma")
    assert [sentence.startswith("You answered yes to") for sentence in result.explanation[:4]] == [
        True,
        True,
        True,
        False,
    ]


def test_red_flags_and_a_likely_hip_component_are_both_reported():
    given = answers(saddle_numbness=True, sitting_worse=True, front_hip=True, leading_region="hip")
    result = scoring.score(given)
    assert (result.urgency, result.hip_component, result.hip_pattern_score) == ("emergency", "likely", 2)


def test_wording_says_needs_checking_and_never_names_a_diagnosis():
    every_flag = answers(**{qid: True for qid in EMERGENCY_ITEMS + URGENT_ITEMS})
    texts = [*scoring.score(every_flag).explanation, scoring.NOT_AN_EMERGENCY_SERVICE]
    texts += [guidance.advice for guidance in scoring.GUIDANCE.values()]
    for text in texts:
        lowered = text.lower()
        for diagnosis in ("cauda equina", "syndrome", "tumour", "fracture", "infection", "you have a"):
            assert diagnosis not in lowered, text
    assert "not an emergency service" in scoring.NOT_AN_EMERGENCY_SERVICE


# --- The stored result is the scored result, and the database keeps the promises -------------


@pytest.mark.django_db
def test_recorded_response_stores_exactly_what_score_returns(patient):
    given = answers(night_pain=True, walking_better=True, leading_region="back")
    response = actions.record_screening(patient, "hip-pattern-v1", given)
    response.refresh_from_db()
    result = scoring.score(given)

    assert response.version == "hip-pattern-v1"
    assert response.answers == given
    assert response.hip_pattern_score == result.hip_pattern_score == 1
    assert response.hip_component == result.hip_component == "possible"
    assert response.leading_region == "back"
    assert response.red_flags == list(result.red_flags) == ["night_pain"]
    assert response.urgency == result.urgency == "urgent"
    assert response.explanation == list(result.explanation)
    assert response.guidance.title == URGENT


def stored(patient, **fields):
    defaults = {
        "version": "hip-pattern-v1",
        "answers": answers(),
        "hip_pattern_score": 0,
        "hip_component": "unlikely",
        "leading_region": "unsure",
        "urgency": "none",
    }
    return ScreeningResponse.objects.create(patient=patient, **{**defaults, **fields})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"hip_pattern_score": 4, "hip_component": "likely"},
        {"hip_pattern_score": 2, "hip_component": "possible"},
        {"hip_pattern_score": 0, "hip_component": "likely"},
        {"leading_region": "knee"},
        {"urgency": "soon"},
        {"reviewed_at": "2026-01-01T12:00:00Z"},  # a clear screening has nothing to review
    ],
    ids=["score-above-3", "likely-needs-2", "unlikely-is-0", "region", "urgency", "review-without-flag"],
)
def test_database_refuses_an_inconsistent_result(patient, fields):
    with pytest.raises(IntegrityError):
        stored(patient, **fields)
