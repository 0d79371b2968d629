from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from vida.errors import is_api
from vida.permissions import needs_second_factor, passed_second_factor

# Where a half-signed-in person may still go: the second-factor step itself and the way out.
_OPEN_PREFIXES = (
    "/accounts/two-factor/",
    "/accounts/login/",
    "/accounts/logout/",
    "/static/",
    "/healthz",
    "/readyz",
)


class SecondFactorMiddleware:
    """Sessions of people who need a second factor: not signed in until they give it, and short-lived.

    Runs after django-otp's ``OTPMiddleware``. A clinician or staff session that
    has passed the password but not the second factor (``vida.permissions``
    decides) becomes anonymous for everything after this point, pages, the
    admin and the API's session authentication alike; the person is kept as
    ``request.pending_user`` for the second-factor step, where every page sends
    them. Their sessions also end after ``VIDA_SECOND_FACTOR_IDLE_SECONDS``
    without a request (15 minutes).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.pending_user = None
        if user.is_authenticated and needs_second_factor(user):
            request.session.set_expiry(settings.VIDA_SECOND_FACTOR_IDLE_SECONDS)  # idle timeout
            if not passed_second_factor(user):
                request.pending_user = user
                request.user = AnonymousUser()
                if not is_api(request) and not request.path.startswith(_OPEN_PREFIXES):
                    step = reverse("two-factor")
                    return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
