"""Lookups and ballot-mark parsing shared by the public and staff budgeting pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from changemaker.budgeting.errors import ActionRefused
from changemaker.budgeting.models import (
    Process,
    Project,
)
from changemaker.core.views.base import current_council


def _process(request: HttpRequest, slug: str) -> Process:
    return get_object_or_404(Process, council=current_council(request), slug=slug)


#: No ballot gives more points than this has digits (a budget's points total is far smaller).
MAX_MARK_DIGITS = 9


def _marks(process: Process, projects: list[Project], data: Any) -> dict[str, int]:
    if process.ballot_type in {Process.BallotType.KNAPSACK, Process.BallotType.APPROVAL_N}:
        chosen = set(data.getlist("project"))
        return {p.code: 1 for p in projects if p.code in chosen}
    marks: dict[str, int] = {}
    for p in projects:
        raw = (data.get(f"mark-{p.code}") or "").strip()
        if raw:
            if not (raw.isascii() and raw.isdigit()):
                raise ActionRefused(
                    _("Enter whole numbers only, like 3 (check %(title)s)") % {"title": p.title}
                )
            if len(raw) > MAX_MARK_DIGITS:  # and int() would refuse over 4,300 digits
                raise ActionRefused(
                    _("Enter a smaller number of points (check %(title)s)") % {"title": p.title}
                )
            if int(raw):
                marks[p.code] = int(raw)
    return marks
