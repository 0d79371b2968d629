from collections.abc import Mapping

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from nudges import access, actions
from nudges.api.serializers import (
    MarkedReadSerializer,
    NotificationReadSerializer,
    NotificationSerializer,
    ReminderSettingsSerializer,
)
from nudges.models import Nudge, NudgePreferences
from vida.api import PersonAPIMixin


class ReminderSettingsView(PersonAPIMixin, generics.GenericAPIView):
    """My nudge preferences (a patient's or a clinician's kinds). PUT replaces them; a bad field is a 400 and changes nothing."""

    serializer_class = ReminderSettingsSerializer

    def get_object(self):
        return NudgePreferences.for_user(self.request.user)

    def get(self, request):
        return Response(self.get_serializer(self.get_object()).data)

    def put(self, request):
        return self._save(request.data)

    @extend_schema(request=ReminderSettingsSerializer(partial=True), responses=ReminderSettingsSerializer)
    def patch(self, request):
        """Change the fields given; the others keep their current values."""
        if not isinstance(request.data, Mapping):
            raise ValidationError({"non_field_errors": ["Send the settings as an object."]})
        return self._save({**self.get_serializer(self.get_object()).data, **request.data})

    def _save(self, body):
        serializer = self.get_serializer(data=body)
        serializer.is_valid(raise_exception=True)
        preferences = actions.save_preferences(self.request.user, serializer.validated_data)
        return Response(self.get_serializer(preferences).data)


class NotificationList(PersonAPIMixin, generics.ListAPIView):
    """In-app nudges, newest first. Mark one read with PATCH on its URL, or all with POST read-all/."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return Nudge.objects.notifications_for(self.request.user)


class NotificationDetail(PersonAPIMixin, generics.GenericAPIView):
    serializer_class = NotificationSerializer

    def get_object(self):
        return access.notification_for(self.request.user, self.kwargs["pk"])

    def get(self, request, pk):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=NotificationReadSerializer, responses=NotificationSerializer)
    def patch(self, request, pk):
        """Mark the notice read (``{"read": true}``) or unread again (``{"read": false}``)."""
        notification = self.get_object()
        body = NotificationReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.mark_read(notification, body.validated_data["read"])
        return Response(self.get_serializer(notification).data)


class NotificationsReadAll(PersonAPIMixin, APIView):
    @extend_schema(request=None, responses=MarkedReadSerializer)
    def post(self, request):
        """Mark every in-app notice read."""
        return Response({"marked_read": actions.mark_all_read(request.user)})
