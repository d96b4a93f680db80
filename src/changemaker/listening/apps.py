from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: what the audit log calls the stories' events
STORY_EVENTS = {
    "listening.story_told": _("Story told"),
    "listening.story_entered": _("Paper or phone story typed in"),
    "listening.stories.viewed": _("Stories read"),
    "listening.story_checked": _("Story read and themed"),
    "listening.collection_created": _("Story collection started"),
    "listening.collection_opened": _("Story collection opened"),
    "listening.collection_closed": _("Story collection closed"),
    "listening.theme_created": _("Theme added"),
    "listening.suggestion_ignored": _("Suggested theme ignored"),
    "listening.grouping_started": _("Groupings of stories asked for"),
    "listening.suggestions_saved": _("Suggested themes saved"),
    "listening.theme_proposed": _("Theme taken further"),
}


def story_links(council: Any) -> list[tuple[str, str]]:
    """The stories workspace's links: each collection, and starting one."""
    from django.urls import reverse

    from changemaker.listening import selectors

    return [
        *(
            (c.title, reverse("listening:stories-collection", args=[c.pk]))
            for c in selectors.collections(council)
        ),
        (str(_("Start a story collection")), reverse("listening:stories-collection-new")),
    ]


class ListeningConfig(AppConfig):
    name = "changemaker.listening"
    label = "listening"
    verbose_name = _("Listening and openness")

    def ready(self) -> None:
        from changemaker.core.registry import Capability, Follows, NavItem, Workspace, register
        from changemaker.listening import (
            jobs,
            rules,
            selectors,
        )

        register(
            Capability(
                label=self.label,
                permissions=rules.PERMISSIONS,
                navigation=[
                    NavItem(
                        "listening:notifications",
                        _("Notifications"),
                        permission="listening.follow",
                        order=85,
                    )
                ],
                audit_events={
                    "listening.followed": _("Started following"),
                    "listening.follow_changed": _("Changed how they hear"),
                    "listening.unfollowed": _("Stopped following"),
                    "listening.preferences_saved": _("Notification choices saved"),
                    "listening.unsubscribed": _("Unsubscribed from emails"),
                    "listening.read": _("Notifications marked as read"),
                    "listening.dispatched": _("Notices handed on to people"),
                    "listening.emailed": _("Notification emails sent"),
                    "listening.digest_sent": _("Digest emails sent"),
                    **STORY_EVENTS,
                },
                workspaces=[
                    Workspace(
                        "listening.manage_stories",
                        _("Residents' stories"),
                        _("Collect stories, find their themes, take them further"),
                        story_links,
                    )
                ],
                throttles={
                    # stories told per address (a community centre's shared computer can tell
                    # a group's stories; a script cannot flood)
                    "listening.story": "20/hour",
                },
                follows=Follows("listening:follow", selectors.is_following),
                on_notices=jobs.notices_published,
            )
        )
