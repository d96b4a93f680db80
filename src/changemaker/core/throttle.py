"""Throttles on anonymous writes: a limit per address (or participant, or account) and period.

Limits are settings (``CHANGEMAKER_THROTTLES``: name -> ``"count/period"``, period one of
second, minute, hour, day); a name missing there uses :data:`DEFAULTS` (core's) or its
capability's default (``Capability.throttles``). Counting is exact across processes and
threads: each hit is one conditional ``UPDATE ... SET count = count + 1 WHERE count < limit``
on a :class:`~changemaker.core.models.ThrottleCount` row (Django's
database and file caches increment with a read then a write, so concurrent floods would slip
through). A window starts at the first hit and lasts the period. A refused hit raises
:class:`Throttled`; ``ThrottledMiddleware`` answers it with the 429 page. The first refusal in a
window is audited (the throttle's name and limit, never the address).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from changemaker.core import audit
from changemaker.core.models import Council, ThrottleCount
from changemaker.core.registry import THROTTLES

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}

#: What a council would accept: a household (or a community centre) sharing one address can
#: take part; a script cannot flood.
#: Core's own; each capability brings the defaults of its throttles (``Capability.throttles``).
DEFAULTS = {
    # new accounts per address
    "account.register": "10/hour",
    # two-factor set-up links emailed per account
    "account.two_factor_link": "5/hour",
    # open-data API answers per address (core/api.py): a script may page through everything
    "api.read": "300/minute",
}


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


class Throttled(Exception):
    """A throttle refused the request: answered with a 429 page."""

    def __init__(self, name: str, retry_after: int) -> None:
        super().__init__(name)
        self.name = name
        self.retry_after = retry_after


def limit_for(name: str) -> Limit:
    text = {**DEFAULTS, **THROTTLES, **getattr(settings, "CHANGEMAKER_THROTTLES", {})}[name]
    count, _slash, period = text.partition("/")
    return Limit(int(count), PERIODS[period.strip()])


def _key(name: str, scope: tuple[object, ...]) -> str:
    message = "|".join([name, *(str(s) for s in scope)]).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def hit(name: str, *scope: object, council: Council | None = None) -> None:
    """Count one use of throttle ``name`` for ``scope``; raise :class:`Throttled` over the limit."""
    limit = limit_for(name)
    key = _key(name, scope)
    now = timezone.now()
    fresh = now + timedelta(seconds=limit.seconds)
    rows = ThrottleCount.objects.filter(key=key)
    for _attempt in range(10):
        # A window that has run out starts again (only one concurrent request can do this).
        rows.filter(expires_at__lte=now).update(count=0, refused=0, expires_at=fresh)
        if rows.filter(count__lt=limit.count).update(count=F("count") + 1):
            return
        current = rows.values_list("count", flat=True).first()
        if current is not None:
            if current >= limit.count:
                break
            # Another request created the row between the UPDATE and this read (the UPDATE
            # could not see it yet): under the limit, so count again.
            continue
        try:
            with transaction.atomic():
                ThrottleCount.objects.create(key=key, count=1, expires_at=fresh)
        except IntegrityError:
            continue  # created by another request at the same moment: count again
        ThrottleCount.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
        return
    if rows.filter(refused=0).update(refused=1):  # the first refusal in this window
        audit.record(
            "throttle.limited", council=council, name=name, limit=limit.count, per=limit.seconds
        )
    expires = rows.values_list("expires_at", flat=True).first() or fresh
    raise Throttled(name, max(1, math.ceil((expires - now).total_seconds())))
