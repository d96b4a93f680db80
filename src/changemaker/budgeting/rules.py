"""Who may do what in participatory budgeting (registered by ``apps.BudgetingConfig.ready``)."""

from __future__ import annotations

from changemaker.core.models import Role

PERMISSIONS = {
    "budgeting.manage": frozenset({Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}),
}
