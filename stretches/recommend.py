"""Today's stretch recommendation: the one rule behind /today/ and GET /api/v1/stretches/recommended/.

DESIGN.md, "Recommendation for today":

- ``paused`` while a red flag pauses stretches (``screening.status``): no videos;
- ``screen_first`` before the first screening: no videos, because no stretch is
  suggested before the safety questions have been answered;
- ``hip`` when the back is reactive (back pain 7 or more): gentle hip-flexor
  stretches only, because hip work still moves things forward on such days;
- ``hip_and_lumbar`` when the latest screening says the hips are likely or
  possibly part of the problem, or the hip hurts as much as the back or more;
- ``balanced`` otherwise.

Today's check-in decides; without one yet, the last check-in and the latest
screening do.
"""

from django.db.models import F

from checkins.models import CheckIn
from screening import status as screening_status
from stretches.models import StretchVideo

# At or above this back pain the back is too sensitive to stretch directly.
REACTIVE_BACK_PAIN = 7
RECOMMENDED_COUNT = 2
# Among the videos that brought relief, the best few take turns day by day, so
# the favourite does not crowd out everything else.
RELIEF_ROTATION = 3

PAUSED = "paused"
SCREEN_FIRST = "screen_first"
HIP = "hip"
HIP_AND_LUMBAR = "hip_and_lumbar"
BALANCED = "balanced"
FOCUSES = [SCREEN_FIRST, PAUSED, HIP, HIP_AND_LUMBAR, BALANCED]

Region = StretchVideo.Region
HIP_REGIONS = {Region.HIP_FLEXORS, Region.BOTH}
LUMBAR_REGIONS = {Region.LUMBAR, Region.BOTH}


def _gentle_hip(video):
    return video.region == Region.HIP_FLEXORS and video.intensity == StretchVideo.Intensity.GENTLE


def _hip(video):
    return video.region in HIP_REGIONS


def _lumbar(video):
    return video.region in LUMBAR_REGIONS


# Which kind of video fills each place in the recommendation, in order. With
# the hips in the lead they come first; on a calm day the back goes first.
SLOTS = {
    HIP: [_gentle_hip, _gentle_hip],
    HIP_AND_LUMBAR: [_hip, _lumbar],
    BALANCED: [_lumbar, _hip],
}


def choose_focus(*, paused=False, back_pain=None, hip_pain=None, from_today=True, hip_component=None):
    """``(focus, reason)`` by the rule above; the reason is in plain words for the patient.

    ``back_pain`` and ``hip_pain`` come from today's check-in (``from_today``)
    or else the last one, None if there has never been one. ``hip_component``
    is the latest screening's ``likely``/``possible``/``unlikely``, or None
    when the patient has not taken the screening yet.
    """
    if paused:
        return PAUSED, (
            "Stretch suggestions are paused because some of your screening answers need checking first. "
            "They come back once a clinician has reviewed them or a later screening is clear, or, for "
            "answers that need a doctor today, once you record that a doctor has checked them."
        )
    if hip_component is None:
        return SCREEN_FIRST, (
            "Answer a few safety questions before your first stretch: they look for the rare signs that "
            "need a doctor rather than stretches, and take about two minutes."
        )
    when = "today" if from_today else "at your last check-in"
    if back_pain is not None and back_pain >= REACTIVE_BACK_PAIN:
        verb = "is" if from_today else "was"
        return HIP, (
            f"Gentle hip-flexor stretches only, because your back {verb} reactive {when}; "
            "working on the hips still helps."
        )
    if hip_component in ("likely", "possible"):
        return HIP_AND_LUMBAR, (
            "Your screening suggests your hips are part of the picture, so start with the hip flexors, "
            "then ease the lower back."
        )
    if back_pain is not None and hip_pain is not None and hip_pain >= back_pain:
        hurt = "hurts" if from_today else "hurt"
        compared = "as much as" if hip_pain == back_pain else "more than"
        return HIP_AND_LUMBAR, (
            f"Your hip ({hip_pain}/10) {hurt} {compared} your back ({back_pain}/10) {when}, "
            "so start with the hip flexors, then ease the lower back."
        )
    if back_pain is None:
        return BALANCED, (
            "A balanced mix for the hips and lower back. Check in and this adapts to how you feel."
        )
    return BALANCED, f"Your back is settled enough {when} for a balanced mix of lower-back and hip stretches."


def relief_by_video(patient):
    """Published videos this patient has rated, most relief first (aggregated in SQL)."""
    return (
        StretchVideo.objects.published()
        .with_relief_for(patient)
        .filter(rated_sessions__gt=0)
        .order_by(F("relief").desc(), "title")
    )


# "What has helped you most": the videos with the most relief, in words.
RELIEF_SHOWN = 3


def change_words(drop):
    """A mean fall in pain (points on the 0-10 scale), in words."""
    if drop is None:
        return None
    if drop >= 0.05:
        return f"eased by {drop:.1f} point{'' if round(drop, 1) == 1 else 's'}"
    if drop <= -0.05:
        return f"up by {-drop:.1f} point{'' if round(-drop, 1) == 1 else 's'}"
    return "no change"


def relief_rows(patient):
    """The best few rated videos, their relief in words: the library, the player, the clinician's
    patient page and the visit report all show these rows."""
    return [
        {
            "video": video,
            "back": change_words(video.back_drop),
            "hip": change_words(video.hip_drop),
            "sessions": video.rated_sessions,
        }
        for video in relief_by_video(patient)[:RELIEF_SHOWN]
    ]


def pick_videos(focus, candidates, day):
    """Up to RECOMMENDED_COUNT videos for the focus, preferring relief, varying by ``day``.

    ``candidates`` are published videos annotated ``with_relief_for`` the
    patient. For each slot: if some fitting videos brought this patient relief,
    the best few of them take turns; otherwise every fitting video does. The
    turn is the local date, so a day's choice is stable and the next day's differs.
    """
    chosen = []
    for index, fits in enumerate(SLOTS.get(focus, [])):
        fitting = [video for video in candidates if fits(video) and video not in chosen]
        helped = sorted(
            (video for video in fitting if video.rated_sessions and video.relief > 0),
            key=lambda video: (-video.relief, video.title),
        )[:RELIEF_ROTATION]
        pool = helped or sorted(fitting, key=lambda video: (video.title, video.pk))
        if pool:
            chosen.append(pool[(day.toordinal() + index) % len(pool)])
    return chosen[:RECOMMENDED_COUNT]


def today_recommendation(patient):
    """``{"focus", "reason", "videos"}`` for the patient's local today.

    ``videos`` is a list of StretchVideo, empty before the first screening,
    while paused, or while the library has nothing that fits.
    """
    return recommendation(patient, pausing=screening_status.unsettled_red_flag(patient))


def recommendation(patient, pausing):
    """``today_recommendation`` for a page that has already looked up the ``pausing`` red flag (or None)."""
    hip_component = None if pausing else screening_status.latest_hip_component(patient)
    if pausing or hip_component is None:
        focus, reason = choose_focus(paused=pausing is not None)
        return {"focus": focus, "reason": reason, "videos": []}
    today = patient.local_today()
    checkins = CheckIn.objects.for_patient(patient).order_by("-date")
    last = checkins.only("date", "back_pain", "hip_pain").first()
    focus, reason = choose_focus(
        back_pain=last.back_pain if last else None,
        hip_pain=last.hip_pain if last else None,
        from_today=last is not None and last.date == today,
        hip_component=hip_component,
    )
    candidates = list(StretchVideo.objects.published().with_relief_for(patient))
    return {"focus": focus, "reason": reason, "videos": pick_videos(focus, candidates, today)}
