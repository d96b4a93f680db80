"""Who may follow and hear, who runs and rates the open self-evaluation, and who reads
residents' stories (registered by
``apps.ListeningConfig.ready``).

Everyone with an account in the council follows things and reads their own notifications;
no one reads another person's. Engagement officers and council administrators manage the
council's commitments. Residents rate the council's scorecard (staff do not rate their own
council); engagement officers and council administrators run it: criteria, the council's
ratings and evidence, moderation, replies, publishing. Unsubscribing from a link in an email
needs no account: the
link's key is the permission.

"We asked, you said, we did" pages are drafted, edited and published by the officers who run
the processes they report on (engagement officers: budgets and consultations; evidence
leads: pilots; staff survey leads: survey waves) and council administrators. Anyone reads a
published page.
Stories keep no name or contact, but what people write may still name them or others, so
reading them is for the council's engagement staff (``listening.manage_stories``), with a
second factor (``council_permission(..., two_factor=True)``) and every reading audited.
Anyone may tell a story, signed in or not.
"""

from __future__ import annotations

from changemaker.core.models import Role

PERMISSIONS = {
    "listening.follow": frozenset(Role),
    "listening.rate_scorecards": frozenset({Role.RESIDENT}),
    "listening.manage_scorecards": frozenset({Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}),
    "listening.manage_reports": frozenset(
        {Role.ENGAGEMENT_OFFICER, Role.EVIDENCE_LEAD, Role.SURVEY_LEAD, Role.COUNCIL_ADMIN}
    ),
    # what the council promised: the engagement officers who run participation, and council
    # administrators (nothing personal in a commitment)
    "listening.manage_commitments": frozenset({Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}),
    "listening.manage_stories": frozenset({Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}),
}
