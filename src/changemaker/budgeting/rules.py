"""Who may do what in participatory budgeting (registered by ``apps.BudgetingConfig.ready``),
and the access checks the pages, selectors and actions share, as ``rules`` predicates."""

from __future__ import annotations

from typing import Any

from rules.predicates import predicate

from changemaker.budgeting.models import Phase, Process, Project
from changemaker.core.models import Role

PERMISSIONS = {
    "budgeting.manage": frozenset({Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}),
}


@predicate
def is_idea_author(user: Any, project: Project) -> bool:
    return bool(user.is_authenticated and project.author_id == user.pk)


@predicate
def is_budget_officer(user: Any, project: Project) -> bool:
    return bool(
        user.is_authenticated and user.has_perm("budgeting.manage", project.process.council)
    )


#: An idea not (yet) published is seen by its author and the budget's officers only.
sees_unpublished_idea = is_idea_author | is_budget_officer


@predicate
def can_review(process: Process) -> bool:
    """Ideas can be checked and decided until voting opens."""
    return process.phase in {Phase.UPCOMING, Phase.IDEAS, Phase.REVIEW}
