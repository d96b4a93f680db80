"""Helpers the culture survey's views share."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from changemaker.engine.problems import InputError


def problems_of(exc: InputError) -> list[str]:
    """An upload's problems as lines to list under the form (file, line, column, what to do)."""
    problems = [str(p) for p in exc.problems]
    if exc.more:
        problems.append(_("… and %(n)s more problems.") % {"n": exc.more})
    return problems


def refused(request: HttpRequest, reason: Exception) -> None:
    messages.error(request, str(reason))
