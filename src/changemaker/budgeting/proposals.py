"""What budgeting makes from other capabilities' things (``core.registry.ProposalSink``): a
budget idea, in a budget open for ideas, carrying where it came from (residents' stories, a
statement every opinion group agreed with) as evidence. Registered from apps.py."""

from __future__ import annotations

from dataclasses import asdict

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.budgeting import actions, selectors
from changemaker.budgeting.errors import ActionRefused
from changemaker.core.models import Council, User
from changemaker.core.registry import Evidence, ProposalRefused, ProposalSink


def targets(council: Council) -> list[tuple[str, str]]:
    return [
        (str(h.pk), f"{h.process.title}: {h.name}")
        for h in selectors.headings_open_for_ideas(council)
    ]


def make(council: Council, key: str, *, by: User, title: str, text: str, evidence: Evidence) -> str:
    heading = selectors.headings_open_for_ideas(council).filter(pk=int(key) if key.isdigit() else 0)
    found = heading.first()
    if found is None:
        raise ProposalRefused(_("Choose a budget that is open for ideas."))
    try:
        project = actions.propose_from_evidence(
            found, by=by, title=title, description=text, evidence=asdict(evidence)
        )
    except ActionRefused as exc:
        raise ProposalRefused(str(exc)) from exc
    return reverse("budgeting:idea", args=[found.process.slug, project.code])


IDEA = ProposalSink(gettext_lazy("a budget idea"), targets, make)
