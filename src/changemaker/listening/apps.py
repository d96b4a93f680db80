from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    name = "changemaker.listening"
    label = "listening"
    verbose_name = _("Listening and openness")

    def ready(self) -> None:
        from changemaker.core.registry import Capability, Follows, NavItem, register
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
                },
                follows=Follows("listening:follow", selectors.is_following),
                on_notices=jobs.notices_published,
            )
        )
