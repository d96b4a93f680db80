"""Record who did what. Every access to personal data goes through ``record``.

Every write goes through an *action* (``@action("event")``, as Zulip's ``actions/``): the
decorated function runs in one transaction and leaves at least one audit event. An action
that records its own events (with their details) writes nothing more; one that records none
gets ``event`` recorded for it, with the person and the council found among its arguments.
``tests/test_architecture.py`` checks that every public function of an ``actions`` module is
an action and that views and selectors write nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.db import models, transaction

from changemaker.core.models import AuditEvent, Council, User

P = ParamSpec("P")
R = TypeVar("R")

#: The events recorded by the innermost running action (None outside any action).
_recorded: ContextVar[list[AuditEvent] | None] = ContextVar("audit_recorded", default=None)


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
    event = AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        council=council,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        detail=detail,
    )
    recorded = _recorded.get()
    if recorded is not None:
        recorded.append(event)
    return event


def _first(values: list[Any], kind: type) -> Any:
    return next((v for v in values if isinstance(v, kind)), None)


def _context(args: tuple[Any, ...], kwargs: dict[str, Any], result: Any) -> dict[str, Any]:
    """Who acted, in which council, on what: found among the action's arguments and result."""
    values = [*kwargs.values(), *args]
    actor = _first(values, User)
    council = _first(values, Council)
    obj = result if isinstance(result, models.Model) else None
    if obj is None:
        obj = next(
            (v for v in values if isinstance(v, models.Model) and not isinstance(v, User)), None
        )
    if council is None and obj is not None:
        council = obj if isinstance(obj, Council) else getattr(obj, "council", None)
        council = council if isinstance(council, Council) else None
    return {"actor": actor, "council": council, "obj": obj}


def action(event: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Make a function a write: one transaction, and at least one audit event (``event``
    unless the function records its own). Actions may call actions; the outer one's
    transaction holds them all."""

    def decorator(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            outer = _recorded.get()
            mine: list[AuditEvent] = []
            token = _recorded.set(mine)
            try:
                with transaction.atomic():
                    result = function(*args, **kwargs)
                    if not mine:
                        record(event, **_context(args, kwargs, result))
            finally:
                _recorded.reset(token)
            if outer is not None:
                outer.extend(mine)
            return result

        wrapped.audit_event = event  # type: ignore[attr-defined]
        return wrapped

    return decorator
