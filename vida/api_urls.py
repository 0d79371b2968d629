"""/api/v1/: each app contributes its own api/urls.py."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("security.api.urls")),
    path("", include("checkins.api.urls")),
    path("screening/", include("screening.api.urls")),
    path("stretches/", include("stretches.api.urls")),
    path("", include("careteam.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("nudges.api.urls")),
]
