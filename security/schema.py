"""How the OpenAPI schema (drf-spectacular) describes Vida's token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "security.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`, from POST /api/v1/auth/token/ (hashed at rest, expires; "
            "POST /api/v1/auth/logout/ ends it).",
        }
