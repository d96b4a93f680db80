"""Record who did what. Every access to personal data goes through ``record``."""

from __future__ import annotations

from typing import Any

from django.db import models

from changemaker.core.models import AuditEvent, Council, User


def record(
    action: str,
    *,
    actor: User | None = None,
    council: Council | None = None,
    obj: models.Model | None = None,
    reason: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one event to the audit log. ``detail`` must not hold personal data."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        council=council,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        detail=detail,
    )
