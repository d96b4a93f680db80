from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: what the audit log calls budgeting's events (``core.events.describe``)
AUDIT_EVENTS: dict[str, Any] = {
    "pb.process_created": _("Budget started"),
    "pb.process_edited": _("Budget details changed"),
    "pb.process_closed_early": _("Budget phase closed early"),
    "pb.idea_submitted": _("Idea submitted"),
    "pb.idea_from_evidence": _("Idea made from residents' stories or a statement"),
    "pb.idea_supported": _("Idea supported"),
    "pb.idea_support_withdrawn": _("Support for an idea withdrawn"),
    "pb.idea_reviewed": _("Idea checked and costed"),
    "pb.idea_published": _("Idea published"),
    "pb.idea_withheld": _("Idea withheld"),
    "pb.idea_translated": _("Idea's Welsh saved"),
    "pb.idea_image_removed": _("Idea picture removed"),
    "pb.eligibility_checked": _("Voter's eligibility checked"),
    "pb.eligibility_rechecked": _("Voter's earlier eligibility check used again"),
    "pb.manual_check_requested": _("Manual eligibility check asked for"),
    "pb.manual_check_viewed": _("Manual eligibility check opened"),
    "pb.manual_check_decided": _("Manual eligibility check decided"),
    "pb.register_imported": _("Residents register imported"),
    "pb.codes_issued": _("Voting codes issued"),
    "pb.code_redeemed": _("Voting code entered"),
    "pb.code_entered_again": _("Voting code entered again in the same browser"),
    "pb.ballot_cast": _("Ballot cast"),
    "pb.paper_ballot_entered": _("Paper ballot entered"),
    "pb.unusable_paper_entered": _("Blank or spoilt paper ballot entered"),
    "pb.count_started": _("Count started"),
    "pb.recount_forced": _("Recount asked for"),
    "pb.voting_announced": _("Voting announced"),
    "pb.results_announced": _("Results announced"),
    "pb.commitments_made": _("Funded ideas made into commitments"),
    "pb.delivery_updated": _("Delivery update posted"),
    "pb.import_started": _("Pabulib file import started"),
    "pb.imported": _("Pabulib file imported"),
}


class BudgetingConfig(AppConfig):
    name = "changemaker.budgeting"
    label = "budgeting"
    verbose_name = _("Participatory budgeting")

    def ready(self) -> None:
        from django.db.models.signals import post_delete
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from changemaker.budgeting import (
            api,
            figures,
            jobs,  # noqa: F401  (registers the count, import and voting-opens jobs)
            notices,
            proposals,
            reports,
            rules,
            selectors,
            welsh,
        )
        from changemaker.budgeting.images import delete_file_with_idea
        from changemaker.budgeting.models import Process, Project
        from changemaker.core.models import Council
        from changemaker.core.registry import (
            Capability,
            NavItem,
            TranslationSource,
            Workspace,
            register,
        )

        def links(council: Council) -> list[tuple[str, str]]:
            found = [
                (f"{p.title} ({p.get_phase_display()})", reverse("budgeting:staff", args=[p.slug]))
                for p in Process.objects.filter(council=council)
            ]
            return [
                *found,
                (str(_("Start a new budget")), reverse("budgeting:staff-new")),
                (str(_("Import an election from a .pb file")), reverse("budgeting:staff-import")),
            ]

        post_delete.connect(delete_file_with_idea, sender=Project, dispatch_uid="pb-idea-image")
        from changemaker.budgeting.views.public import idea_image_access

        register(
            Capability(
                label=self.label,
                audit_events=AUDIT_EVENTS,
                permissions=rules.PERMISSIONS,
                navigation=[NavItem("budgeting:list", _("Budgets"), order=20)],
                workspaces=[
                    Workspace(
                        "budgeting.manage",
                        _("Participatory budgeting"),
                        _("Run budgets residents decide"),
                        links,
                    )
                ],
                media={"pb-ideas/": idea_image_access},
                api=api.router,
                figures=figures.figures,
                figure_kinds={**figures.FIGURE_KINDS, **reports.FIGURE_KINDS},
                reports=reports.closed_budgets,
                translations=[
                    TranslationSource(
                        "budgeting.manage", _("Participatory budgets"), welsh.untranslated
                    )
                ],
                notices=notices.KINDS,
                describe_subject=selectors.describe_subject,
                journey=selectors.journey,
                proposals={"budgeting.idea": proposals.IDEA},
            )
        )
