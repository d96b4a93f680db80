"""Published pilots for "we asked, you said, we did" (``core.registry.Capability.reports``).

A pilot asks a question of the data: the draft gives the problem, what the pilot did and its
hypothesis, then what the data said (the practice card's result sentence) and how strong the
evidence is (the rating the card shows). Published pilots only: what the practice library
already shows.
"""

from __future__ import annotations

from functools import partial

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.core.models import Council
from changemaker.core.notices import subject_key
from changemaker.core.registry import FigureKind, ReportDraft, ReportFigure, ReportSource
from changemaker.evidence import selectors
from changemaker.evidence.models import Design, Pilot

KIND = gettext_lazy("Pilot")
#: the rows of its figures table, told in the reader's language (Capability.figure_kinds)
FIGURE_KINDS = {
    "evidence.report.design": FigureKind(
        gettext_lazy("Design"), words=lambda facts: str(Design(facts["design"]).label)
    ),
    "evidence.report.outcome": FigureKind(gettext_lazy("Primary outcome")),
    "evidence.report.sms": FigureKind(gettext_lazy("Maryland scale (1 to 5)")),
    "evidence.report.nesta": FigureKind(gettext_lazy("Nesta standard (1 to 5)")),
    "evidence.report.cost": FigureKind(gettext_lazy("Cost")),
}


def published_pilots(council: Council) -> list[ReportSource]:
    sources = []
    for pilot in Pilot.objects.filter(council=council, status=Pilot.Status.PUBLISHED):
        analysis = selectors.latest_analysis(pilot)
        sources.append(
            ReportSource(
                key=subject_key(pilot),
                kind=KIND,
                title=pilot.title,
                closed_on=timezone.localdate(analysis.created_at) if analysis else None,
                draft=partial(draft, pilot),
            )
        )
    return sources


def draft(pilot: Pilot) -> ReportDraft:
    card = selectors.card(pilot)
    asked = _(
        "We asked whether a change would work before deciding to keep it. The problem: "
        "%(problem)s What we tried%(where)s: %(intervention)s What we expected: %(hypothesis)s"
    ) % {
        "problem": _sentence(pilot.problem),
        "where": f" ({pilot.place})" if pilot.place else "",
        "intervention": _sentence(pilot.intervention),
        "hypothesis": _sentence(pilot.hypothesis),
    }
    said = [card.sentence or _("No result has been worked out yet.")]
    rating = card.rating
    if rating.sms is not None:
        said.append(
            _(
                "How strong the evidence is: level %(sms)s of 5 on the Maryland scale and "
                "level %(nesta)s of 5 on Nesta's standards of evidence."
            )
            % {"sms": rating.sms, "nesta": rating.nesta}
        )
    figures = [
        ReportFigure(
            "evidence.report.design", str(pilot.get_design_display()), {"design": pilot.design}
        ),
        ReportFigure("evidence.report.outcome", pilot.primary_outcome),
        ReportFigure("evidence.report.sms", str(rating.sms) if rating.sms is not None else "-"),
        ReportFigure("evidence.report.nesta", str(rating.nesta)),
    ]
    if pilot.cost:
        figures.append(ReportFigure("evidence.report.cost", f"£{pilot.cost:,}"))
    return ReportDraft(
        we_asked=asked,
        you_said="\n".join(said),
        figures=figures,
        url=reverse("evidence:card", args=[pilot.slug]),
    )


def _sentence(text: str) -> str:
    """Officer-written text as one sentence of the draft (ends with a full stop)."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."
