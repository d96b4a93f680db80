from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "changemaker.support"
    label = "support"
    verbose_name = _("Community support")

    def ready(self) -> None:
        from django.urls import reverse

        from changemaker.core.models import Council
        from changemaker.core.registry import Capability, NavItem, Workspace, register
        from changemaker.support import (
            api,
            jobs,  # noqa: F401  (registers the matching job)
            notices,
            rules,
        )

        def links(council: Council) -> list[tuple[str, str]]:
            return [
                (str(_("Overview and matching")), reverse("support:dashboard")),
                (str(_("Help requests")), reverse("support:requests")),
                (str(_("Volunteers")), reverse("support:volunteers")),
            ]

        register(
            Capability(
                label=self.label,
                permissions=rules.PERMISSIONS,
                api=api.router,
                navigation=[NavItem("support:start", _("Get or give help"), order=40)],
                workspaces=[
                    Workspace(
                        "support.coordinate",
                        _("Community support"),
                        _("Volunteers and help requests"),
                        links,
                    )
                ],
                # help requests per address (signed out) or per account (signed in)
                throttles={"support.help_request": "10/hour"},
                notices=notices.KINDS,
            )
        )
