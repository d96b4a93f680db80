"""Who may do what with the staff culture survey (registered by ``apps.CultureConfig.ready``).

Survey leads run surveys and see every result; a unit's managers (named in the staff list)
see the results of their own units' subtrees only (``selectors.visible_units``).
"""

from __future__ import annotations

from typing import Any

import rules

from changemaker.core.models import Council, Role
from changemaker.core.rules import has_role
from changemaker.culture.models import UnitManager

is_survey_lead = has_role(Role.SURVEY_LEAD)


@rules.predicate
def manages_a_unit(user: Any, council: Council | None = None) -> bool:
    """Named as a manager of a unit in one of the council's waves (by their email address)."""
    if council is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return UnitManager.objects.filter(
        email=user.email.lower(), unit__wave__survey__council=council
    ).exists()


PERMISSIONS = {
    "culture.run_surveys": frozenset({Role.SURVEY_LEAD}),
    "culture.view_team_results": is_survey_lead | manages_a_unit,
}
