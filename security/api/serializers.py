from django.contrib.auth import authenticate
from rest_framework import serializers

from security import events, second_factor

NOT_ENROLLED = (
    "This account signs in with a second factor that is not set up yet: "
    "sign in on the web once to set up an authenticator app."
)
OTP_NEEDED = (
    "This account signs in with a second factor: send otp, the 6-digit code from the authenticator app."
)
OTP_WRONG = "That code is not right, or it has expired."


class TokenRequestSerializer(serializers.Serializer):
    """``username`` and ``password``, and for clinicians and staff ``otp``: a TOTP code or a backup code."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(max_length=16, required=False, allow_blank=True)

    def validate(self, attrs):
        # The plain Django request: django-axes counts failures and applies lockouts on it.
        request = self.context["request"]._request
        user = authenticate(request, username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError("Unable to sign in with those details.", code="authorization")
        device = None
        if user.needs_second_factor:
            if not second_factor.is_enrolled(user):
                raise serializers.ValidationError({"otp": [NOT_ENROLLED]})
            if not attrs.get("otp"):
                raise serializers.ValidationError({"otp": [OTP_NEEDED]})
            device = second_factor.verify(user, attrs["otp"])
            if device is None:
                events.second_factor_failed(request, user)
                raise serializers.ValidationError({"otp": [OTP_WRONG]})
        return {"user": user, "device": device}


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it as `Authorization: Token <token>`. Shown once; only a digest is stored."
    )
    expiry = serializers.DateTimeField(help_text="When the token stops working.")
