"""Every write to stretch sessions goes through here, from the API and the player page alike."""

from django.db.models import Value
from django.db.models.functions import Greatest
from django.utils import timezone

from stretches.models import StretchSession

PAIN_FIELDS = ("back_pain_before", "hip_pain_before", "back_pain_after", "hip_pain_after")


def start_session(patient, video, pains=None):
    """A new viewing of ``video``, with whichever before (or after) ratings were given."""
    pains = {name: value for name, value in (pains or {}).items() if name in PAIN_FIELDS}
    return StretchSession.objects.create(patient=patient, video=video, **pains)


def record_progress(session, *, watched_seconds=None, pains=None):
    """Apply a progress report and/or ratings; returns the session as stored.

    Progress only moves forward: the stored value becomes the greater of the
    stored and the reported seconds, in one UPDATE, so a late or reordered
    report from the player (or a seek back to watch a step again) never loses
    ground. Reaching COMPLETED_SHARE of the video marks the session completed,
    and nothing ever clears that. ``watched_seconds`` is expected to be
    validated already (0 to the video's length).
    """
    changes = {name: value for name, value in (pains or {}).items() if name in PAIN_FIELDS}
    if watched_seconds is not None:
        seconds = min(float(watched_seconds), session.video.duration_seconds)
        changes["watched_seconds"] = Greatest("watched_seconds", Value(seconds))
        if seconds >= session.video.completes_at():
            changes["completed"] = True
    if changes:
        # update() skips auto_now, so the change time is set here.
        StretchSession.objects.filter(pk=session.pk).update(updated_at=timezone.now(), **changes)
        session.refresh_from_db()
    return session
