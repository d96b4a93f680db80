from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "changemaker.core"
    label = "core"
    verbose_name = _("Council platform")

    def ready(self) -> None:
        from changemaker.core import checks, jobs  # noqa: F401  (registers checks and job handlers)
