"""Who may do what in consultations (registered by ``apps.ConsultationsConfig.ready``).

``consultations.manage`` is a role's; who may see an invited-only consultation is a rule on
the consultation itself (``may_see``), checked by the selectors.
"""

from __future__ import annotations

from typing import Any

import rules

from changemaker.core.models import Role

PERMISSIONS = {
    "consultations.manage": frozenset({Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}),
}


@rules.predicate
def open_to_all(user: Any, consultation: Any) -> bool:
    """Anyone may see it (its audience is not invited people only)."""
    return bool(consultation.audience != consultation.Audience.INVITED)


@rules.predicate
def manages(user: Any, consultation: Any) -> bool:
    """The person runs consultations in the consultation's council."""
    return bool(user.has_perm("consultations.manage", consultation.council))


@rules.predicate
def is_invited(user: Any, consultation: Any) -> bool:
    """The person is among the consultation's invited people."""
    return bool(consultation.invited.filter(pk=user.pk).exists())


#: Invited-only consultations (their statements, results and export) are for the invited
#: people and the council's engagement staff; the others are public.
may_see = open_to_all | (rules.is_authenticated & (manages | is_invited))
