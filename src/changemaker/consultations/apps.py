from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "changemaker.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from changemaker.consultations import jobs  # noqa: F401  (registers the map job)
