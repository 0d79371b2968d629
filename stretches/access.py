"""The one place that decides who may reach a stretch video or a session.

Another patient's session, or an unpublished video asked for by a patient, is
a 404: the answer never reveals that the record exists.
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone

from stretches.models import StretchSession, StretchVideo

# How long after starting a finished viewing its page still shows it, for the
# after-ratings; later visits start a new viewing.
RATING_WINDOW = dt.timedelta(hours=2)


def video_for(user, slug):
    return get_object_or_404(StretchVideo.objects.visible_to(user), slug=slug)


def session_for(patient, session_id):
    sessions = StretchSession.objects.for_patient(patient).select_related("video")
    return get_object_or_404(sessions, pk=session_id)


def current_session(patient, video):
    """The session the player page continues, or None to start a new one on play.

    That is the patient's latest session of this video while it is unfinished
    (the page resumes it), or for a while after it was finished, so the "how do
    you feel now?" ratings still land on the viewing they are about.
    """
    latest = StretchSession.objects.for_patient(patient).filter(video=video).order_by("-started_at").first()
    if latest is None:
        return None
    if not latest.completed or latest.started_at >= timezone.now() - RATING_WINDOW:
        return latest
    return None
