from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: what the audit log calls listening's events
AUDIT_EVENTS = {
    "listening.followed": _("Started following"),
    "listening.follow_changed": _("Changed how they hear"),
    "listening.unfollowed": _("Stopped following"),
    "listening.preferences_saved": _("Notification choices saved"),
    "listening.unsubscribed": _("Unsubscribed from emails"),
    "listening.read": _("Notifications marked as read"),
    "listening.dispatched": _("Notices handed on to people"),
    "listening.emailed": _("Notification emails sent"),
    "listening.digest_sent": _("Digest emails sent"),
    "listening.report_drafted": _("“We asked, you said, we did” page drafted"),
    "listening.report_redrafted": _("“We asked, you said, we did” page drafted again"),
    "listening.report_saved": _("“We asked, you said, we did” page edited"),
    "listening.report_published": _("“We asked, you said, we did” page published"),
    "listening.report_unpublished": _("“We asked, you said, we did” page taken down"),
}


class ListeningConfig(AppConfig):
    name = "changemaker.listening"
    label = "listening"
    verbose_name = _("Listening and openness")

    def ready(self) -> None:
        from django.urls import reverse

        from changemaker.core.models import Council
        from changemaker.core.registry import Capability, Follows, NavItem, Workspace, register
        from changemaker.listening import (
            api,
            jobs,
            notices,
            rules,
            selectors,
        )

        def links(council: Council) -> list[tuple[str, str]]:
            return [(str(_("We asked, you said, we did")), reverse("listening:reports-staff"))]

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
                    ),
                    NavItem("listening:reports", _("You said, we did"), order=75),
                ],
                workspaces=[
                    Workspace(
                        "listening.manage_reports",
                        _("We asked, you said, we did"),
                        _("Say what happened after a budget, consultation, survey or pilot"),
                        links,
                    )
                ],
                audit_events=AUDIT_EVENTS,
                notices=notices.KINDS,
                api=api.router,
                follows=Follows("listening:follow", selectors.is_following),
                on_notices=jobs.notices_published,
            )
        )
