"""Who may do what in community support (registered by ``apps.SupportConfig.ready``).

``support.coordinate`` is held by the council's support coordinators. Two finer rules narrow
what a coordinator sees, and are predicates the selectors and views call:

- a coordinator who belongs to partner organisations (a mutual-aid group, a charity) sees only
  those organisations' volunteers and requests (:func:`same_partner_organisation`; the
  querysets in ``selectors.py`` apply the same :func:`partner_scope`);
- safeguarding concerns are read by the safeguarding lead only (:func:`is_safeguarding_lead`).

They are called directly, not through ``user.has_perm``: ``has_perm`` lets every superuser
through, and the safeguarding lead is a named person.
"""

from __future__ import annotations

from typing import Any

from rules import predicate

from changemaker.core.models import Council, Role
from changemaker.support.models import PartnerOrganisation, SupportSettings

PERMISSIONS = {
    "support.coordinate": frozenset({Role.SUPPORT_COORDINATOR}),
}


def partner_scope(user: Any, council: Council | int) -> list[int] | None:
    """Partner organisations a coordinator is limited to; None means the whole council."""
    ids = list(
        PartnerOrganisation.objects.filter(council=council, memberships__user=user).values_list(
            "pk", flat=True
        )
    )
    return ids or None


@predicate
def is_partner_coordinator(user: Any, council: Council) -> bool:
    """Someone who works for partner organisations: limited to their records."""
    return partner_scope(user, council) is not None


@predicate
def same_partner_organisation(user: Any, record: Any) -> bool:
    """May this coordinator see this volunteer or help request (of their council)? The
    council-wide coordinators see all; a partner's see their organisations' only."""
    scope = partner_scope(user, record.council_id)
    return scope is None or record.organisation_id in scope


@predicate
def is_safeguarding_lead(user: Any, council: Council) -> bool:
    """The named lead; with none named, the council-wide coordinators."""
    if not getattr(user, "is_authenticated", False):
        return False
    lead_id = (
        SupportSettings.objects.filter(council=council)
        .values_list("safeguarding_lead_id", flat=True)
        .first()
    )
    if lead_id is not None:
        return bool(user.pk == lead_id)
    return Role.SUPPORT_COORDINATOR in user.roles_in(council) and not is_partner_coordinator(
        user, council
    )
