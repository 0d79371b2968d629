"""Re-authentication: changing the password, the email or the second factor takes the password again.

A page that changes one of them is wrapped in ``reauthentication_required``; a
person who has not given their password in the last ``REAUTH_SECONDS`` (at
sign-in or on the confirm page) is sent to ``/accounts/confirm-password/`` first
and then back. Deleting the account asks for the password on its own form instead.
"""

import time
from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

REAUTH_SECONDS = 5 * 60
SESSION_KEY = "security_password_confirmed_at"


def mark_password_confirmed(request):
    request.session[SESSION_KEY] = int(time.time())


def recently_confirmed(request):
    confirmed_at = request.session.get(SESSION_KEY)
    return isinstance(confirmed_at, int) and time.time() - confirmed_at < REAUTH_SECONDS


def reauthentication_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not recently_confirmed(request):
            return redirect(f"{reverse('confirm-password')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper
