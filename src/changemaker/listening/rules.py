"""Who may follow and hear, and who runs and rates the open self-evaluation (registered by
``apps.ListeningConfig.ready``).

Everyone with an account in the council follows things and reads their own notifications;
no one reads another person's. Unsubscribing from a link in an email needs no account: the
link's key is the permission. Residents rate the council's scorecard (staff do not rate their
own council); engagement officers and council administrators run it: criteria, the council's
ratings and evidence, moderation, replies, publishing.
"""

from __future__ import annotations

from changemaker.core.models import Role

PERMISSIONS = {
    "listening.follow": frozenset(Role),
    "listening.rate_scorecards": frozenset({Role.RESIDENT}),
    "listening.manage_scorecards": frozenset({Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}),
}
