import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from rest_framework.exceptions import AuthenticationFailed

from screening.status import red_flag_banner
from security.authentication import TokenAuthentication
from stretches import actions, recommend, serving
from stretches.access import current_session, session_for, video_for
from stretches.api.serializers import PAIN_FIELDS, SessionProgressSerializer, VideoFilterSerializer
from stretches.models import StretchVideo, format_length
from vida.forms import error_summary, first_errors, form_values, scale_options
from vida.permissions import patient_required, signed_in

LABELS = {
    "region": "Area",
    "intensity": "Intensity",
    "max_seconds": "Length",
    "back_pain_before": "Lower back before",
    "hip_pain_before": "Hip before",
    "back_pain_after": "Lower back after",
    "hip_pain_after": "Hip after",
}
LENGTHS = [(60, "Up to 1 minute"), (120, "Up to 2 minutes"), (300, "Up to 5 minutes")]


def length_options(chosen):
    """The length filter's choices, keeping a hand-typed ``max_seconds`` selectable."""
    options = [(str(seconds), label) for seconds, label in LENGTHS]
    if chosen and chosen.isdigit() and chosen not in {value for value, _ in options}:
        options.append((chosen, f"Up to {format_length(int(chosen))}"))
    return options


@patient_required
@require_safe
def library(request):
    patient = request.user
    values = form_values(request.GET, ["region", "intensity", "max_seconds"])
    filters = VideoFilterSerializer(data=values)
    videos = StretchVideo.objects.published().order_by("title")
    errors = {}
    if filters.is_valid():
        videos = filters.filter(videos)
    else:
        errors = first_errors(filters.errors)
    context = {
        "videos": videos,
        "values": values,
        "errors": errors,
        "summary": error_summary(errors, LABELS),
        "regions": StretchVideo.Region.choices,
        "intensities": StretchVideo.Intensity.choices,
        "lengths": length_options(values.get("max_seconds")),
        "filtered": bool(values),
        "relief": recommend.relief_rows(patient),
        # The library stays open during a pause, but leads with the pause notice.
        "red_flag": red_flag_banner(patient),
    }
    return render(request, "stretches/library.html", context, status=400 if errors else 200)


def _own_session_of(patient, video, raw_id):
    """The patient's session named by a form, for this video; anything else is a 404."""
    try:
        session_id = uuid.UUID(raw_id)
    except ValueError:  # a malformed id is as unknown as another person's
        raise Http404("No such session.") from None
    session = session_for(patient, session_id)
    if session.video_id != video.pk:
        raise Http404("No such session.")
    return session


@patient_required
@require_http_methods(["GET", "POST"])
def player(request, slug):
    """The guided stretch.

    The page also takes the ratings as a plain form post, so they can be saved
    without JavaScript; the player script saves them through the API as they
    are tapped, and reports progress the same way.
    """
    patient = request.user
    video = video_for(patient, slug)
    session = current_session(patient, video)
    errors = {}
    if request.method == "POST":
        values = form_values(request.POST, PAIN_FIELDS)
        ratings = SessionProgressSerializer(data=values, context={"session": session})
        if ratings.is_valid():
            if not ratings.validated_data:
                messages.info(request, "Tap a number first; nothing was saved.")
            elif request.POST.get("session"):
                chosen = _own_session_of(patient, video, request.POST["session"])
                actions.record_progress(chosen, pains=ratings.validated_data)
                messages.success(request, "Saved how you feel.")
            else:
                actions.start_session(patient, video, ratings.validated_data)
                messages.success(request, "Saved how you feel.")
            return redirect(video)
        errors = first_errors(ratings.errors)
        current = values
    else:
        current = {name: getattr(session, name) for name in PAIN_FIELDS} if session else {}
    context = {
        "video": video,
        "steps": list(video.steps.all()),
        "session": session,
        "errors": errors,
        "summary": error_summary(errors, LABELS),
        "scales": {name: scale_options(current.get(name)) for name in PAIN_FIELDS},
        "relief": recommend.relief_rows(patient),
        "red_flag": red_flag_banner(patient),
    }
    return render(request, "stretches/player.html", context, status=400 if errors else 200)


def _signed_in_user(request):
    """The person asking for a file: from the session (the player page) or an API token (apps)."""
    if signed_in(request.user):
        return request.user
    try:
        authenticated = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    return authenticated[0] if authenticated and signed_in(authenticated[0]) else None


@require_safe
def media(request, slug, kind):
    """A stretch's video, poster or captions: signed-in people only, with Range support."""
    user = _signed_in_user(request)
    if user is None:
        if "HTTP_AUTHORIZATION" in request.META:
            return HttpResponse("Invalid token.", status=401, content_type="text/plain")
        return redirect_to_login(request.get_full_path())
    video = video_for(user, slug)
    found = video.media_file(kind)
    if found is None:
        raise Http404("This stretch has no such file.")
    return serving.file_response(request, *found)
