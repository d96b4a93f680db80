from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
