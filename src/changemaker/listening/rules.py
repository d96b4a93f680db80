"""Who may follow and hear (registered by ``apps.ListeningConfig.ready``).

Everyone with an account in the council follows things and reads their own notifications;
no one reads another person's. Engagement officers and council administrators manage the
council's commitments. Unsubscribing from a link in an email needs no account: the
link's key is the permission.
"""

from __future__ import annotations

from changemaker.core.models import Role

PERMISSIONS = {
    "listening.follow": frozenset(Role),
    # what the council promised: the engagement officers who run participation, and council
    # administrators (nothing personal in a commitment)
    "listening.manage_commitments": frozenset({Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}),
}
