"""Live figures about a council: core's own (commitments kept on time) and every registered
capability's (``Capability.figures``), joined so a page can show another capability's numbers
without importing it (the self-evaluation's evidence)."""

from __future__ import annotations

from datetime import date

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core.models import Commitment, Council
from changemaker.core.registry import FIGURE_SOURCES, Figure

COMMITMENTS_ON_TIME = "core.commitments_on_time"


def _done_on(commitment: Commitment, first_done: date | None) -> date | None:
    """When a done commitment was done: the first update that set it done (else its last
    change)."""
    if commitment.status != Commitment.Status.DONE:
        return None
    return first_done or timezone.localdate(commitment.updated_at)


def commitments_on_time(council: Council, today: date | None = None) -> Figure:
    """Of the published commitments due by today, the share done by their due date."""
    today = today or timezone.localdate()
    due = (
        Commitment.objects.filter(council=council, published=True, due__lte=today)
        .annotate(first_done=Min("updates__at", filter=Q(updates__status=Commitment.Status.DONE)))
        .order_by("pk")
    )
    total = kept = 0
    for commitment in due:
        total += 1
        first = timezone.localdate(commitment.first_done) if commitment.first_done else None
        done_on = _done_on(commitment, first)
        if done_on is not None and commitment.due is not None and done_on <= commitment.due:
            kept += 1
    value = round(100 * kept / total, 1) if total else None
    return Figure(
        key=COMMITMENTS_ON_TIME,
        label=_("Commitments kept on time"),
        value=value,
        unit="%",
        explanation=(
            _(
                "%(kept)s of the %(total)s published commitments due by %(day)s were done by "
                "their due date."
            )
            % {"kept": kept, "total": total, "day": today.strftime("%d/%m/%Y")}
            if total
            else _("No published commitment was due yet.")
        ),
    )


def live_figures(council: Council) -> list[Figure]:
    """Every live figure about the council, core's first, then each capability's."""
    found = [commitments_on_time(council)]
    for source in FIGURE_SOURCES:
        found += source(council)
    return found


def figure(council: Council, key: str) -> Figure | None:
    return next((f for f in live_figures(council) if f.key == key), None)
