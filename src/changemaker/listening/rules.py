"""Who may follow and hear, and who reads residents' stories (registered by
``apps.ListeningConfig.ready``).

Everyone with an account in the council follows things and reads their own notifications;
no one reads another person's. Unsubscribing from a link in an email needs no account: the
link's key is the permission.

Stories keep no name or contact, but what people write may still name them or others, so
reading them is for the council's engagement staff (``listening.manage_stories``), with a
second factor (``council_permission(..., two_factor=True)``) and every reading audited.
Anyone may tell a story, signed in or not.
"""

from __future__ import annotations

from changemaker.core.models import Role

PERMISSIONS = {
    "listening.follow": frozenset(Role),
    "listening.manage_stories": frozenset({Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}),
}
