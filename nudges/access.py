"""One helper per kind of object a request may touch: another person's is a 404."""

from django.shortcuts import get_object_or_404

from nudges.models import Nudge


def notification_for(user, notification_id):
    """The person's own in-app notice by id, or 404 (a notice of someone else's does not exist)."""
    return get_object_or_404(Nudge.objects.notifications_for(user), pk=notification_id)
