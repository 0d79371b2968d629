from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone


class BodySizeLimitMiddleware:
    """Refuse oversized non-upload request bodies with 413 before any view reads them.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE only guards ``request.body`` and form
    parsing; DRF's parsers read the stream directly, so the API needs this check.
    Multipart uploads (video files in the admin) are left to their own validators.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        if not content_type.startswith("multipart/form-data"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.VIDA_MAX_BODY_BYTES:
                limit_kb = settings.VIDA_MAX_BODY_BYTES // 1024
                return JsonResponse(
                    {"detail": f"Request body too large: the limit is {limit_kb} KB."}, status=413
                )
        return self.get_response(request)


class UserTimezoneMiddleware:
    """Show and read times in the signed-in person's own time zone.

    Token-authenticated API requests resolve the user inside DRF; their views
    activate the zone themselves (``vida.api.PatientAPIMixin``). Either way the
    zone is reset here once the response is made, so it never leaks to the next
    request served by the same thread.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SecurityHeadersMiddleware:
    """``Permissions-Policy`` on every answer, and ``Cache-Control: no-store`` on every page and API answer.

    Pages and API answers hold health data or a CSRF token; no browser or proxy
    cache may keep them. Files that are not personal (the stretch videos, which
    set their own caching for seeking) keep their headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.VIDA_PERMISSIONS_POLICY)
        if not getattr(response, "vida_cacheable", False):
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response
