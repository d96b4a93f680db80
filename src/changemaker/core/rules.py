"""Permissions as data: which roles may do what, in the council the request is for.

Every permission is checked against a council object: ``user.has_perm(name, council)``.
The role × view matrix in tests/test_permissions.py checks each of them from outside.
"""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate as rule

from changemaker.core.models import Role

STAFF: frozenset[str] = frozenset(Role) - {Role.RESIDENT}

# permission -> roles that hold it. Platform administrators hold only what is listed here.
PERMISSIONS: dict[str, frozenset[str]] = {
    "core.use_account": frozenset(Role),
    "core.view_staff_area": STAFF,
    "core.view_jobs": STAFF,
    "core.view_audit_log": frozenset({Role.COUNCIL_ADMIN, Role.PLATFORM_ADMIN}),
    "core.invite_staff": frozenset({Role.COUNCIL_ADMIN, Role.PLATFORM_ADMIN}),
    "core.change_council": frozenset({Role.COUNCIL_ADMIN, Role.PLATFORM_ADMIN}),
    "core.manage_councils": frozenset({Role.PLATFORM_ADMIN}),
    "budgeting.manage": frozenset({Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}),
    "consultations.manage": frozenset({Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}),
    "support.coordinate": frozenset({Role.SUPPORT_COORDINATOR}),
    # shared view of need (issue 6): data officers look after agreements, datasets and runs;
    # practitioners see people for a stated purpose and review flags; planners see only
    # pseudonymised counts
    "insight.manage_data": frozenset({Role.DATA_OFFICER}),
    "insight.view_people": frozenset({Role.PRACTITIONER, Role.DATA_OFFICER}),
    "insight.view_restricted": frozenset({Role.PRACTITIONER}),
    "insight.review_flags": frozenset({Role.PRACTITIONER}),
    "insight.view_statistics": frozenset(
        {
            Role.PRACTITIONER,
            Role.DATA_OFFICER,
            Role.ENGAGEMENT_OFFICER,
            Role.EVIDENCE_LEAD,
            Role.COUNCIL_ADMIN,
        }
    ),
    "insight.view_access_log": frozenset({Role.DATA_OFFICER, Role.COUNCIL_ADMIN}),
    "evidence.manage": frozenset({Role.EVIDENCE_LEAD, Role.COUNCIL_ADMIN}),
}


def has_role(*roles: str) -> Any:
    wanted = frozenset(roles)

    @rule(name="has_role:" + ",".join(sorted(wanted)))
    def predicate(user: Any, council: Any = None) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return bool(user.roles_in(council) & wanted)

    return predicate


for _name, _roles in PERMISSIONS.items():
    add_perm(_name, has_role(*_roles))
