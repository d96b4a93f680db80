"""System checks: `manage.py check --deploy` refuses settings that are for development only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def two_factor_is_enforced(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if getattr(settings, "CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR", False):
        return [
            Error(
                "CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR is on: staff who see personal data can "
                "sign in without their second factor.",
                hint="Remove CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR from the environment; it is "
                "for a quick look at the demo on your own machine only.",
                id="changemaker.E001",
            )
        ]
    return []


@register(Tags.security)
def two_factor_middleware_is_installed(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    needed = "changemaker.core.middleware.TwoFactorMiddleware"
    if needed not in settings.MIDDLEWARE:
        return [
            Error(
                f"{needed} is missing from MIDDLEWARE: staff who see personal data could reach "
                "it without their second factor.",
                hint="Keep MIDDLEWARE as in changemaker.settings.base (after the OTP and "
                "current-council middleware).",
                id="changemaker.E002",
            )
        ]
    return []
