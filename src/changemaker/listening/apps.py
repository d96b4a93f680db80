from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _document_access(request: HttpRequest, name: str) -> str | None:
    """core.views.pages.media asks: may anyone see this milestone document? Only if its
    commitment is published."""
    from changemaker.core.commitment_selectors import document_access
    from changemaker.core.views.base import current_council

    return document_access(current_council(request), name)


class ListeningConfig(AppConfig):
    name = "changemaker.listening"
    label = "listening"
    verbose_name = _("Listening and openness")

    def ready(self) -> None:
        from django.urls import reverse

        from changemaker.core import commitment_selectors
        from changemaker.core.models import Council
        from changemaker.core.registry import Capability, Follows, NavItem, Workspace, register
        from changemaker.listening import (
            actions,
            api,
            jobs,
            notices,
            rules,
            selectors,
        )

        def commitment_links(council: Council) -> list[tuple[str, str]]:
            return [
                (str(_("Commitments")), reverse("listening:staff-commitments")),
                (str(_("Add a commitment")), reverse("listening:staff-commitment-new")),
                (str(_("Import or export a CSV file")), reverse("listening:staff-commitments-csv")),
            ]

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
                    NavItem("listening:commitments", _("Commitments"), order=70),
                ],
                workspaces=[
                    Workspace(
                        "listening.manage_commitments",
                        _("Commitments"),
                        _("What the council promised, and how far it has got"),
                        commitment_links,
                    )
                ],
                media={commitment_selectors.DOCUMENTS: _document_access},
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
                    "listening.commitment_announced": _("Commitment change announced"),
                    "core.commitment_saved": _("Commitment saved"),
                    "core.commitment_made": _("Commitment made from its source"),
                    "core.commitment_updated": _("Commitment update posted"),
                    "core.milestone_added": _("Milestone added"),
                    "core.milestone_done": _("Milestone done"),
                    "core.milestone_document_added": _("Milestone document added"),
                    "core.commitments_imported": _("Commitments imported from a CSV file"),
                    "core.commitments_exported": _("Commitments exported as a CSV file"),
                },
                notices=notices.KINDS,
                describe_subject=notices.describe_subject,
                on_commitment_changed=actions.announce_commitment_change,
                api=api.router,
                follows=Follows("listening:follow", selectors.is_following),
                on_notices=jobs.notices_published,
            )
        )
