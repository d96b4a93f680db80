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

        from changemaker.budgeting import jobs  # noqa: F401  (registers the count and import jobs)
        from changemaker.budgeting.images import delete_file_with_idea
        from changemaker.budgeting.models import Process, Project
        from changemaker.core.models import Council
        from changemaker.core.workspaces import Workspace, register

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
        from changemaker.budgeting.views import idea_image_access
        from changemaker.core.views.pages import MEDIA_GUARDS

        MEDIA_GUARDS["pb-ideas/"] = idea_image_access
        register(
            Workspace(
                "budgeting.manage",
                _("Participatory budgeting"),
                _("Run budgets residents decide"),
                links,
            )
        )
