from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "changemaker.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from changemaker.consultations import jobs  # noqa: F401  (registers the map job)
        from changemaker.consultations.models import Consultation
        from changemaker.core.models import Council
        from changemaker.core.workspaces import Workspace, register

        def links(council: Council) -> list[tuple[str, str]]:
            found = []
            for c in Consultation.objects.filter(council=council):
                found.append(
                    (
                        str(_("Check statements: %(q)s") % {"q": c.question}),
                        reverse("consultations:moderate", args=[c.slug]),
                    )
                )
                if c.audience == Consultation.Audience.INVITED:
                    found.append(
                        (
                            str(_("Invite people: %(q)s") % {"q": c.question}),
                            reverse("consultations:invite", args=[c.slug]),
                        )
                    )
            return [
                *found,
                (str(_("Start a consultation")), reverse("consultations:create")),
                (str(_("Import a Polis conversation")), reverse("consultations:import")),
            ]

        register(
            Workspace(
                "consultations.manage",
                _("Consultations"),
                _("Run conversations and map opinion"),
                links,
            )
        )
