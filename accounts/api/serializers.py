from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.models import User
from accounts.timezones import timezone_names


def timezone_field(**kwargs):
    return serializers.ChoiceField(
        choices=timezone_names(),
        error_messages={
            "invalid_choice": "{input} is not a known time zone; use an IANA name such as Europe/London."
        },
        **kwargs,
    )


class ProfileSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    timezone = timezone_field()

    class Meta:
        model = User
        fields = ["id", "username", "email", "display_name", "timezone", "role"]
        read_only_fields = ["id", "username", "email", "role"]


class RegisterSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
    timezone = timezone_field()

    class Meta:
        model = User
        fields = ["username", "email", "password", "timezone", "display_name"]
        extra_kwargs = {"display_name": {"required": False}}

    def validate_email(self, value):
        if User.objects.filter(email__iexact=value).exists():
            raise serializers.ValidationError("An account with this email already exists.")
        return value

    def validate(self, attrs):
        candidate = User(username=attrs["username"], email=attrs["email"])
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from None
        return attrs


class DeleteAccountSerializer(serializers.Serializer):
    """``{"password"}``: deleting an account takes the password again.

    The context's ``request`` is the plain Django request: the password is checked
    through ``authenticate`` so django-axes counts a wrong one, as at sign-in.
    """

    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})

    def validate_password(self, value):
        request = self.context["request"]
        user = authenticate(request, username=request.user.get_username(), password=value)
        if user is None or user.pk != request.user.pk:
            raise serializers.ValidationError("That password is not right; nothing was deleted.")
        return value
