"""The client's address, for throttles and lockouts.

``REMOTE_ADDR`` unless the setting ``CHANGEMAKER_TRUSTED_PROXY_COUNT`` (default 0) says how many
reverse proxies of our own stand in front of the application. Each proxy appends the address
it received the request from to ``X-Forwarded-For``, so with N trusted proxies the client is
the N-th entry from the right; anything further left was written by the client and is ignored.
A header that is missing, too short or not an address falls back to ``REMOTE_ADDR``.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


#: What :func:`client_ip` gives when the request carries no address at all (a test client's
#: ``force_login``, a management command).
UNKNOWN = "unknown"


def client_ip(request: HttpRequest) -> str:
    """The address of the person making the request (never taken from a spoofable header)."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    trusted = int(getattr(settings, "CHANGEMAKER_TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < trusted:
        return remote
    return _address(hops[-trusted]) or remote


def axes_client_ip(request: HttpRequest) -> str | None:
    """:func:`client_ip` for django-axes, which stores it in an IP address column (PostgreSQL's
    ``inet`` refuses "unknown"): no address is ``None``."""
    address = client_ip(request)
    return None if address == UNKNOWN else address
