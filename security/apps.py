from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Sign-in security"

    def ready(self):
        from security import (  # noqa: F401  (signal receivers; the schema's description of token auth)
            events,
            schema,
        )
