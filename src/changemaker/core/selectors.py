"""Core's reads (writes are in actions.py)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from changemaker.core.events import describe
from changemaker.core.models import (
    AuditEvent,
    Council,
    CouncilDomain,
    Invitation,
    Role,
    RoleAssignment,
    User,
)
from changemaker.core.models.accounts import STAFF_ROLES

#: The roles a council's staff page lists and manages (platform administrators' are not).
COUNCIL_STAFF_ROLES = STAFF_ROLES - {Role.PLATFORM_ADMIN}


def token_hash(token: str) -> str:
    """How a token sent by email is stored: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def find_invitation(token: str) -> Invitation | None:
    """The open invitation this emailed token is for, or None."""
    invitation = (
        Invitation.objects.select_related("council").filter(token_hash=token_hash(token)).first()
    )
    return invitation if invitation is not None and invitation.is_open else None


def host_taken(host: str, council_id: int | None) -> bool:
    """Whether another council than ``council_id`` answers on this host name already."""
    councils = Council.objects.filter(domain__iexact=host)
    others = CouncilDomain.objects.filter(host=host.lower())
    if council_id is not None:
        councils, others = councils.exclude(pk=council_id), others.exclude(council_id=council_id)
    return councils.exists() or others.exists()


def council_staff(council: Council) -> QuerySet[User]:
    """The people with a staff role in this council, by name, each with ``council_roles`` (their
    roles here) and ``has_two_factor``."""
    roles = RoleAssignment.objects.filter(council=council, role__in=COUNCIL_STAFF_ROLES)
    return (
        User.objects.filter(
            role_assignments__council=council, role_assignments__role__in=COUNCIL_STAFF_ROLES
        )
        .distinct()
        .annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .prefetch_related(Prefetch("role_assignments", roles, to_attr="council_roles"))
        .order_by("name", "pk")
    )


def staff_member(council: Council, user_id: int) -> User | None:
    """One person of :func:`council_staff`, or None if they hold no staff role here."""
    return council_staff(council).filter(pk=user_id).first()


def audit_events(
    council: Council,
    *,
    action: str = "",
    person: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """The council's audit log, newest first, narrowed by what happened, who (a user id, or
    "system" for events no person caused) and the days (inclusive, in the site's time zone)."""
    events = AuditEvent.objects.filter(council=council).select_related("actor")
    if action:
        events = events.filter(action=action)
    if person == "system":
        events = events.filter(actor__isnull=True)
    elif person.isdigit():
        events = events.filter(actor_id=int(person))
    zone = timezone.get_current_timezone()
    if since:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        events = events.filter(
            at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
        )
    return events


def audit_filter_choices(
    council: Council, events: QuerySet[AuditEvent] | None = None
) -> dict[str, Any]:
    """What the audit log (or ``events``, a part of it) can be narrowed by: the events by
    their plain names and the people seen in it by name (the choices' values are ids)."""
    seen = AuditEvent.objects.filter(council=council) if events is None else events
    codes = seen.values_list("action", flat=True).order_by("action").distinct()
    actions = sorted(((code, describe(code)) for code in codes), key=lambda pair: pair[1])
    ids = seen.exclude(actor__isnull=True).values_list("actor_id", flat=True).distinct()
    people = [
        (user.pk, user.name or str(user))
        for user in User.objects.filter(pk__in=list(ids)).order_by("name", "pk")
    ]
    return {"actions": actions, "people": people}
