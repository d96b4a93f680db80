"""Closed consultations for "we asked, you said, we did" (``core.registry.Capability.reports``).

The draft tells what the results page shows, in sentences: the question, how many took part,
the opinion groups and the statements that define them, and what unites them, through the
same rules as the page (``charts.opinion_picture``): nothing of the map below the
consultation's minimum number of people, no detail of a group smaller than it. Invited-only
consultations are not listed (their pages are not public).
"""

from __future__ import annotations

from functools import partial

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from changemaker.consultations import charts, selectors
from changemaker.consultations.models import Consultation, Statement, Vote
from changemaker.core.models import Council
from changemaker.core.notices import subject_key
from changemaker.core.registry import FigureKind, ReportDraft, ReportFigure, ReportSource

KIND = gettext_lazy("Consultation")
#: the rows of its figures table, told in the reader's language (Capability.figure_kinds)
FIGURE_KINDS = {
    "consultations.report.participants": FigureKind(gettext_lazy("People who took part")),
    "consultations.report.statements": FigureKind(gettext_lazy("Statements")),
    "consultations.report.votes": FigureKind(gettext_lazy("Votes")),
    "consultations.report.groups": FigureKind(gettext_lazy("Groups of opinion")),
}


def closed_consultations(council: Council) -> list[ReportSource]:
    found = Consultation.objects.filter(council=council, closes_at__lte=timezone.now()).exclude(
        audience=Consultation.Audience.INVITED
    )
    return [
        ReportSource(
            key=subject_key(c),
            kind=KIND,
            title=c.question,
            closed_on=timezone.localdate(c.closes_at),
            draft=partial(draft, c),
        )
        for c in found
    ]


def _quoted(statement: charts.Statement) -> str:
    words = (
        _("“%(text)s” (%(share)s agreed)")
        if statement.direction == "agree"
        else _("“%(text)s” (%(share)s disagreed)")
    )
    return words % {"text": statement.text, "share": statement.share}


def _groups_said(picture: charts.OpinionPicture) -> list[str]:
    said = [
        ngettext(
            "People's votes formed %(n)s group of opinion.",
            "People's votes formed %(n)s groups of opinion.",
            len(picture.groups),
        )
        % {"n": len(picture.groups)}
    ]
    for group in picture.groups:
        if not group.statements:
            continue  # too small to show what it thinks (or nothing stands out)
        said.append(
            _("Group %(letter)s (%(n)s people) stood out on: %(statements)s.")
            % {
                "letter": group.letter,
                "n": f"{group.size:,}",
                "statements": "; ".join(_quoted(s) for s in group.statements[:3]),
            }
        )
    united = picture.consensus.get("agree", [])[:3]
    if united:
        said.append(
            _("What unites people across the groups: %(statements)s.")
            % {"statements": "; ".join(_quoted(s) for s in united)}
        )
    return said


def draft(consultation: Consultation) -> ReportDraft:
    participants = consultation.participants.count()
    statements = Statement.objects.filter(
        consultation=consultation, status=Statement.Status.PUBLISHED
    )
    votes = Vote.objects.filter(statement__consultation=consultation).count()
    snapshot = selectors.latest_map(consultation)
    picture = (
        charts.opinion_picture(
            snapshot.result,
            selectors.published_texts(consultation)[0],
            minimum=consultation.map_minimum,
        )
        if snapshot is not None
        else None
    )
    asked = _(
        "We asked: “%(question)s” People could take part from %(opens)s to %(closes)s, "
        "writing short statements and voting on each other's."
    ) % {
        "question": consultation.question,
        "opens": date_format(timezone.localtime(consultation.opens_at), "j F Y"),
        "closes": date_format(timezone.localtime(consultation.closes_at), "j F Y"),
    }
    if consultation.background.strip():
        asked += "\n" + consultation.background.strip()
    said = [
        _(
            "%(people)s people took part: they wrote %(statements)s statements and voted "
            "%(votes)s times."
        )
        % {
            "people": f"{participants:,}",
            "statements": f"{statements.count():,}",
            "votes": f"{votes:,}",
        }
    ]
    figures = [
        ReportFigure("consultations.report.participants", f"{participants:,}"),
        ReportFigure("consultations.report.statements", f"{statements.count():,}"),
        ReportFigure("consultations.report.votes", f"{votes:,}"),
    ]
    if picture is not None and picture.shown:
        said += _groups_said(picture)
        figures.append(ReportFigure("consultations.report.groups", f"{len(picture.groups):,}"))
    else:
        said.append(
            _(
                "Fewer than %(n)s people were in the map of opinion, so no groups are shown: "
                "with so few, someone's votes could be told from them."
            )
            % {"n": consultation.map_minimum}
        )
    return ReportDraft(
        we_asked=asked,
        you_said="\n".join(said),
        figures=figures,
        url=reverse("consultations:results", args=[consultation.slug]),
        related_sources=[subject_key(s) for s in statements.order_by("number")],
    )
