"""Which address a request comes from, for throttles, lockouts and security events.

Only ``REMOTE_ADDR`` by default: ``X-Forwarded-For`` is written by the client
unless a proxy we run writes it, so it is read only when
``VIDA_TRUSTED_PROXIES`` says how many of our proxies stand in front
(``1`` behind one nginx). Each trusted proxy appends the address it saw, so the
client is the entry that many places from the right. DRF's throttles read the
header the same way (``NUM_PROXIES`` is set from the same number).
"""

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.VIDA_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-min(proxies, len(hops))] if hops else remote
