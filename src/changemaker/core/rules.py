"""Permissions as data: which roles may do what, in the council the request is for.

Every permission is checked against a council object: ``user.has_perm(name, council)``.
Core's own are below; each capability brings its own from its ``rules.py`` through
``core.registry.register`` (a permission is either the roles that hold it or a ``rules``
predicate). The role × view matrices in the tests check each of them from outside.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules.permissions import set_perm
from rules.predicates import Predicate
from rules.predicates import predicate as rule

from changemaker.core.models import Role

STAFF: frozenset[str] = frozenset(Role) - {Role.RESIDENT}

# permission -> roles that hold it. Platform administrators hold only what is listed here.
CORE_PERMISSIONS: dict[str, frozenset[str]] = {
    "core.use_account": frozenset(Role),
    "core.view_staff_area": STAFF,
    "core.view_jobs": STAFF,
    "core.view_audit_log": frozenset({Role.COUNCIL_ADMIN, Role.PLATFORM_ADMIN}),
    "core.invite_staff": frozenset({Role.COUNCIL_ADMIN, Role.PLATFORM_ADMIN}),
    "core.manage_staff": frozenset({Role.COUNCIL_ADMIN, Role.PLATFORM_ADMIN}),
    "core.change_council": frozenset({Role.COUNCIL_ADMIN, Role.PLATFORM_ADMIN}),
    "core.manage_councils": frozenset({Role.PLATFORM_ADMIN}),
}


def has_role(*roles: str) -> Any:
    wanted = frozenset(roles)

    @rule(name="has_role:" + ",".join(sorted(wanted)))
    def predicate(user: Any, council: Any = None) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return bool(user.roles_in(council) & wanted)

    return predicate


#: Every permission known, core's and the registered capabilities': name -> predicate.
PERMISSIONS: dict[str, Any] = {}


def add_permissions(permissions: Mapping[str, Any]) -> None:
    """Register permissions: each a ``rules`` predicate or the roles (a set) that hold it."""
    for name, rule_or_roles in permissions.items():
        predicate = (
            rule_or_roles if isinstance(rule_or_roles, Predicate) else has_role(*rule_or_roles)
        )
        PERMISSIONS[name] = predicate
        set_perm(name, predicate)


add_permissions(CORE_PERMISSIONS)
