from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from accounts.actions import delete_account, register_patient
from accounts.api.serializers import DeleteAccountSerializer, ProfileSerializer, RegisterSerializer
from vida.permissions import Audience


class RegisterThrottle(AnonRateThrottle):
    scope = "register"


@extend_schema(request=RegisterSerializer, responses={201: ProfileSerializer})
class RegisterView(generics.GenericAPIView):
    """Patient sign-up. Clinicians are created by staff (``manage.py createclinician``)."""

    serializer_class = RegisterSerializer
    audience = Audience.PUBLIC
    authentication_classes = []
    throttle_classes = [RegisterThrottle]

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = register_patient(**serializer.validated_data)
        return Response(ProfileSerializer(user).data, status=status.HTTP_201_CREATED)


class MeView(generics.RetrieveUpdateDestroyAPIView):
    """My profile; a patient deletes their account and all their data with their password."""

    serializer_class = ProfileSerializer
    audience = Audience.SIGNED_IN
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        return self.request.user

    @extend_schema(request=DeleteAccountSerializer, responses={204: None})
    def delete(self, request):
        if not request.user.is_patient:
            raise PermissionDenied("Clinician and staff accounts are closed by staff.")
        confirm = DeleteAccountSerializer(data=request.data, context={"request": request._request})
        confirm.is_valid(raise_exception=True)
        delete_account(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
