"""Error answers: JSON on the API, pages on the web; a backing service that is down is a 503, never a 500.

``handler404``: an API URL that matches no route answers JSON like every other API
error (a page for the web).

Django turns an exception raised anywhere in a request (a view, a middleware
loading the session, a response being saved) into a response through the URL
conf's ``handler500``; this is that handler. When the exception comes from the
database being unreachable (or Redis, where throttles and lockouts are
counted), the answer is 503 with ``Retry-After``: JSON for the API, a plain page
for the web. Nothing here touches the database, so it works during the outage.

Recovery needs no restart: a broken connection is closed at the end of the
request, and ``CONN_HEALTH_CHECKS`` makes the next request open a new one.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger("vida.errors")

RETRY_AFTER_SECONDS = 5


def _service_errors():
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return {
        "database": (OperationalError, InterfaceError),
        "cache": (RedisConnectionError, RedisTimeoutError),
    }


def unavailable_service(error):
    """The name of the backing service ``error`` (or an error it came from) says is down, or None."""
    kinds = _service_errors()
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        for service, classes in kinds.items():
            if isinstance(error, classes):
                return service
        error = error.__cause__ or error.__context__
    return None


def is_api(request):
    return request.path.startswith("/api/")


def page_not_found(request, exception, template_name="404.html"):
    """``handler404``."""
    if is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception, template_name)


def server_error(request, template_name="500.html"):
    """``handler500``: 503 when a backing service is down, otherwise Django's (or DRF's) 500."""
    service = unavailable_service(sys.exc_info()[1])
    if service is None:
        if is_api(request):
            return JsonResponse({"detail": "Server error."}, status=500)
        return defaults.server_error(request, template_name)
    logger.warning("service unavailable", extra={"event": "service_unavailable", "service": service})
    if is_api(request):
        response = JsonResponse(
            {"detail": "Vida is briefly unavailable; please try again in a few seconds."}, status=503
        )
    else:
        # The unhashed stylesheet name: no manifest lookup that could fail while the database is away.
        page = loader.render_to_string("503.html", {"stylesheet": f"{settings.STATIC_URL}css/vida.css"})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
