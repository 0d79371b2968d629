from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from accounts.actions import register_patient
from accounts.api.serializers import ProfileSerializer, RegisterSerializer


class RegisterThrottle(AnonRateThrottle):
    scope = "register"


class TokenThrottle(AnonRateThrottle):
    """Password guessing through the token endpoint is slowed per client address."""

    scope = "token"


class TokenView(ObtainAuthToken):
    throttle_classes = [TokenThrottle]


@extend_schema(request=RegisterSerializer, responses={201: ProfileSerializer})
class RegisterView(generics.GenericAPIView):
    """Patient sign-up. Clinicians are created by staff (``manage.py createclinician``)."""

    serializer_class = RegisterSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [RegisterThrottle]

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = register_patient(**serializer.validated_data)
        return Response(ProfileSerializer(user).data, status=status.HTTP_201_CREATED)


class MeView(generics.RetrieveUpdateAPIView):
    serializer_class = ProfileSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user
