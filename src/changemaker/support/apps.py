from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "changemaker.support"
    label = "support"
    verbose_name = _("Community support")

    def ready(self) -> None:
        from changemaker.support import jobs  # noqa: F401  (registers the matching job)
