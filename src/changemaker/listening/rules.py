"""Who may follow and hear (registered by ``apps.ListeningConfig.ready``).

Everyone with an account in the council follows things and reads their own notifications;
no one reads another person's. Unsubscribing from a link in an email needs no account: the
link's key is the permission.

"We asked, you said, we did" pages are drafted, edited and published by the officers who run
the processes they report on (engagement officers: budgets and consultations; evidence
leads: pilots; staff survey leads: survey waves) and council administrators. Anyone reads a
published page.
"""

from __future__ import annotations

from changemaker.core.models import Role

PERMISSIONS = {
    "listening.follow": frozenset(Role),
    "listening.manage_reports": frozenset(
        {Role.ENGAGEMENT_OFFICER, Role.EVIDENCE_LEAD, Role.SURVEY_LEAD, Role.COUNCIL_ADMIN}
    ),
}
