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
    "listening.scorecard_created": _("Self-evaluation started"),
    "listening.criterion_saved": _("Self-evaluation criterion saved"),
    "listening.scorecard_open": _("Self-evaluation opened for ratings"),
    "listening.scorecard_closed": _("Self-evaluation ratings closed"),
    "listening.scorecard_published": _("Self-evaluation published"),
    "listening.rated": _("Self-evaluation rated by a resident"),
    "listening.comment_moderated": _("Self-evaluation comment checked"),
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
            return [
                (str(_("Self-evaluation scorecards")), reverse("listening:scorecards-manage")),
                (str(_("Start a new self-evaluation")), reverse("listening:scorecard-new")),
            ]

        def report_links(council: Council) -> list[tuple[str, str]]:
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
                    NavItem("listening:scorecards", _("How we are doing"), order=80),
                ],
                workspaces=[
                    Workspace(
                        "listening.manage_reports",
                        _("We asked, you said, we did"),
                        _("Say what happened after a budget, consultation, survey or pilot"),
                        report_links,
                    ),
                    Workspace(
                        "listening.manage_scorecards",
                        _("Open self-evaluation"),
                        _("The council's scorecard that residents rate"),
                        links,
                    ),
                ],
                throttles={
                    # rating pages sent per resident (a change is a new send)
                    "listening.rate": "20/hour",
                },
                audit_events=AUDIT_EVENTS,
                notices=notices.KINDS,
                follows=Follows("listening:follow", selectors.is_following),
                on_notices=jobs.notices_published,
                api=api.router,
            )
        )
