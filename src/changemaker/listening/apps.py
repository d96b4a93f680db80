from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
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
    "listening.commitment_announced": _("Commitment change announced"),
    "core.commitment_saved": _("Commitment saved"),
    "core.commitment_made": _("Commitment made from its source"),
    "core.commitment_updated": _("Commitment update posted"),
    "core.milestone_added": _("Milestone added"),
    "core.milestone_done": _("Milestone done"),
    "core.milestone_document_added": _("Milestone document added"),
    "core.commitments_imported": _("Commitments imported from a CSV file"),
    "core.commitments_exported": _("Commitments exported as a CSV file"),
}


def _document_access(request: HttpRequest, name: str) -> str | None:
    """core.views.pages.media asks: may anyone see this milestone document? Anyone if its
    commitment is published; before that, those who manage commitments (the officer who
    added it checks it on the staff page)."""
    from changemaker.core.commitment_selectors import document_access
    from changemaker.core.views.base import current_council

    council = current_council(request)
    manager = request.user.has_perm("listening.manage_commitments", council)
    return document_access(council, name, manager=manager)


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
    "listening.suggestion_accepted": _("Suggested theme accepted"),
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


def scorecard_links(council: Any) -> list[tuple[str, str]]:
    """The self-evaluation workspace's links."""
    from django.urls import reverse

    return [
        (str(_("Self-evaluation scorecards")), reverse("listening:scorecards-manage")),
        (str(_("Start a new self-evaluation")), reverse("listening:scorecard-new")),
    ]


def report_links(council: Any) -> list[tuple[str, str]]:
    """The report writers' workspace's link."""
    from django.urls import reverse

    return [(str(_("We asked, you said, we did")), reverse("listening:reports-staff"))]


def commitment_links(council: Any) -> list[tuple[str, str]]:
    """The commitments workspace's links."""
    from django.urls import reverse

    return [
        (str(_("Commitments")), reverse("listening:staff-commitments")),
        (str(_("Add a commitment")), reverse("listening:staff-commitment-new")),
        (str(_("Import or export a CSV file")), reverse("listening:staff-commitments-csv")),
    ]


class ListeningConfig(AppConfig):
    name = "changemaker.listening"
    label = "listening"
    verbose_name = _("Listening and openness")

    def ready(self) -> None:
        from changemaker.core import commitment_selectors
        from changemaker.core.registry import Capability, Follows, NavItem, Workspace, register
        from changemaker.listening import (
            actions,
            api,
            jobs,
            notices,
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
                    ),
                    NavItem("listening:commitments", _("Commitments"), order=70),
                    NavItem("listening:reports", _("You said, we did"), order=75),
                    NavItem("listening:scorecards", _("How we are doing"), order=80),
                ],
                workspaces=[
                    Workspace(
                        "listening.manage_commitments",
                        _("Commitments"),
                        _("What the council promised, and how far it has got"),
                        commitment_links,
                    ),
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
                        scorecard_links,
                    ),
                    Workspace(
                        "listening.manage_stories",
                        _("Residents' stories"),
                        _("Collect stories, find their themes, take them further"),
                        story_links,
                    ),
                ],
                throttles={
                    # rating pages sent per resident (a change is a new send)
                    "listening.rate": "20/hour",
                    # stories told per address (a community centre's shared computer can tell
                    # a group's stories; a script cannot flood)
                    "listening.story": "20/hour",
                    # one-click unsubscribes per address (mail systems post once per email)
                    "listening.unsubscribe": "60/hour",
                },
                audit_events={**AUDIT_EVENTS, **STORY_EVENTS},
                notices=notices.KINDS,
                describe_subject=notices.describe_subject,
                on_commitment_changed=actions.announce_commitment_change,
                media={commitment_selectors.DOCUMENTS: _document_access},
                follows=Follows("listening:follow", selectors.is_following),
                on_notices=jobs.notices_published,
                api=api.router,
                quotes=selectors.quotes_of,
            )
        )
