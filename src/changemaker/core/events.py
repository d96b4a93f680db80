"""What audit events are called in plain words (the audit log shows these, not the codes).

Core's own are below; a capability brings its own with ``Capability.audit_events``. An event
nobody named yet is shown from its code ("pilots.flag_viewed" -> "Flag viewed", "person.viewed"
-> "Person viewed") rather than as the code itself.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from changemaker.core.registry import AUDIT_EVENTS, CAPABILITIES

CORE_EVENTS: dict[str, Any] = {
    "account.registered": _("Account created"),
    "account.registration_for_existing_email": _("Someone tried to register an existing email"),
    "account.email_verified": _("Email address confirmed"),
    "account.email_verified_again": _("Email confirmation link used again"),
    "account.email_verification_refused": _("Email confirmation link refused"),
    "account.password_reset": _("Password reset"),
    "account.signed_in": _("Signed in"),
    "account.two_factor_added": _("Two-factor sign-in set up"),
    "account.two_factor_removed": _("Two-factor sign-in removed"),
    "account.second_factor_checked": _("Second factor checked"),
    "account.recovery_code_used": _("Recovery code used"),
    "account.recovery_codes_replaced": _("Recovery codes replaced"),
    "account.two_factor_link_sent": _("Two-factor set-up link emailed"),
    "account.two_factor_link_used": _("Two-factor set-up link used"),
    "account.two_factor_link_refused": _("Two-factor set-up link refused"),
    "audit.viewed": _("Audit log viewed"),
    "audit.exported": _("Audit log downloaded"),
    "council.updated": _("Council details changed"),
    "ward.created": _("Ward added"),
    "ward.updated": _("Ward changed"),
    "ward.saved": _("Ward saved"),
    "ward.boundaries_imported": _("Ward boundaries imported"),
    "staff.invited": _("Staff member invited"),
    "staff.invitation_accepted": _("Invitation accepted"),
    "staff.role_changed": _("Staff role changed"),
    "staff.role_removed": _("Staff role removed"),
    "staff.two_factor_reset": _("Staff two-factor sign-in reset"),
    "staff.listed": _("Staff list viewed"),
    "staff.person_viewed": _("Staff member's roles viewed"),
    "council.created": _("Council created"),
    "job.started": _("Background job started"),
    "job.lost": _("Background job lost its worker"),
    "throttle.limited": _("Too many requests refused"),
}


def describe(action: str) -> str:
    """The plain-words name of an audit event."""
    label = CORE_EVENTS.get(action) or AUDIT_EVENTS.get(action)
    if label is not None:
        return str(label)
    first, _dot, rest = action.partition(".")
    if first in CAPABILITIES or first == "core":
        action = rest  # the app's name says nothing to a reader
    words = action.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else action


def describe_object(object_type: str, object_id: str) -> str:
    """'core.ward', '12' -> 'Ward 12' (the model's own name, translated)."""
    if not object_type:
        return ""
    try:
        name = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = object_type.rpartition(".")[2]
    name = name[:1].upper() + name[1:]
    return f"{name} {object_id}".strip()
