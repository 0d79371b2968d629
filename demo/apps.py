from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and the demo stretch videos: development tooling, kept apart from the product apps."""

    name = "demo"
    verbose_name = "Demo data"
