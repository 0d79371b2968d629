from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from vida import health
from vida.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

# Swagger UI under the Content-Security-Policy: the split view serves its start-up
# script as a file of its own, so scripts stay 'self' only; Swagger UI injects a
# <style> element and data: icons, allowed on this page alone (it shows no one's data).
api_docs = csp_update({"style-src": ["'self'", "'unsafe-inline'"], "img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include("vida.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("security.urls")),
    path("", include("checkins.urls")),
    path("", include("screening.urls")),
    path("", include("stretches.urls")),
    path("", include("careteam.urls")),
    path("", include("nudges.urls")),
]

# JSON errors on the API; a database or cache outage answers 503 with Retry-After (vida/errors.py).
handler404 = "vida.errors.page_not_found"
handler500 = "vida.errors.server_error"
