from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from security import events
from security.api.serializers import TokenRequestSerializer, TokenSerializer
from security.authentication import TokenAuthentication
from security.tokens import issue_token
from vida.permissions import Audience


class TokenThrottle(AnonRateThrottle):
    """Token requests per client address (``VIDA_TOKEN_RATE``), counted in the shared cache."""

    scope = "token"


@extend_schema(
    request=TokenRequestSerializer,
    responses={
        200: TokenSerializer,
        400: OpenApiResponse(description="Wrong username, password or second-factor code, or a bad body."),
        429: OpenApiResponse(description="Too many requests from this client, or locked out after failures."),
    },
)
class TokenView(generics.GenericAPIView):
    """A new API token for this device: the password, and for clinicians and staff the second factor."""

    serializer_class = TokenRequestSerializer
    audience = Audience.PUBLIC
    authentication_classes = []
    throttle_classes = [TokenThrottle]

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        auth_token, token = issue_token(user, serializer.validated_data["device"])
        # A sign-in like the web's: django-axes clears this account's earlier failures.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        events.record(request._request, "token_issued", user=user)
        return Response(TokenSerializer({"token": token, "expiry": auth_token.expiry}).data)


@extend_schema(
    request=None, responses={204: None, 401: OpenApiResponse(description="No valid token was sent.")}
)
class LogoutView(APIView):
    """End the token this request is made with; the account's other tokens keep working."""

    audience = Audience.SIGNED_IN
    authentication_classes = [TokenAuthentication]

    def post(self, request):
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
