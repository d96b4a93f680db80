"""Permissions as data: which roles may do what, in the council the request is for.

Every permission is checked against a council object: ``user.has_perm(name, council)``.
The role × view matrix in tests/test_permissions.py checks each of them from outside.
"""

from __future__ import annotations

from typing import Any

import rules

from changemaker.core.models import Role

STAFF = set(Role) - {Role.RESIDENT}

# permission -> roles that hold it. Platform administrators hold only what is listed here.
PERMISSIONS: dict[str, set[str]] = {
    "core.use_account": set(Role),
    "core.view_staff_area": STAFF,
    "core.view_jobs": STAFF,
    "core.view_audit_log": {Role.COUNCIL_ADMIN, Role.PLATFORM_ADMIN},
    "core.invite_staff": {Role.COUNCIL_ADMIN, Role.PLATFORM_ADMIN},
    "core.change_council": {Role.COUNCIL_ADMIN, Role.PLATFORM_ADMIN},
    "core.manage_councils": {Role.PLATFORM_ADMIN},
    "budgeting.manage": {Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN},
    "consultations.manage": {Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN},
    "support.coordinate": {Role.SUPPORT_COORDINATOR},
    "insight.use": {Role.DATA_OFFICER},
    "evidence.manage": {Role.EVIDENCE_LEAD, Role.COUNCIL_ADMIN},
}


def has_role(*roles: str) -> Any:
    wanted = frozenset(roles)

    @rules.predicate(name="has_role:" + ",".join(sorted(wanted)))
    def predicate(user: Any, council: Any = None) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return bool(user.roles_in(council) & wanted)

    return predicate


for _name, _roles in PERMISSIONS.items():
    rules.add_perm(_name, has_role(*_roles))
