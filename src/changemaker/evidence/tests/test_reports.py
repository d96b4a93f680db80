"""A published pilot's "we asked, you said, we did" draft: the problem, what it did and what
was expected, the result sentence the practice card shows and its rating; pilots not yet
published are not listed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import translation

from changemaker.core.figures import freeze_rows, report_rows, told_rows
from changemaker.core.models import Council
from changemaker.core.notices import subject_key
from changemaker.evidence import explain, reports
from changemaker.evidence.models import Analysis, Pilot

pytestmark = pytest.mark.django_db


def test_a_published_pilot_drafts_its_result_and_rating(
    council: Council, analysed: Callable[..., Analysis]
) -> None:
    analysis = analysed()
    pilot = analysis.pilot
    assert reports.published_pilots(council) == []  # not published yet
    Pilot.objects.filter(pk=pilot.pk).update(status=Pilot.Status.PUBLISHED)
    pilot.refresh_from_db()
    (source,) = reports.published_pilots(council)
    assert source.key == subject_key(pilot)
    draft = source.draft()
    sms = int(analysis.result["sms_level"])
    nesta = explain.rating(pilot, analysis.result).nesta
    assert draft.you_said.splitlines() == [
        explain.sentence(pilot, analysis.result),
        f"How strong the evidence is: level {sms} of 5 on the Maryland scale and level "
        f"{nesta} of 5 on Nesta's standards of evidence.",
    ]
    assert ("Maryland scale (1 to 5)", str(sms)) in told_rows(draft.figures)
    assert ("Primary outcome", pilot.primary_outcome) in told_rows(draft.figures)
    assert " ".join(pilot.hypothesis.split()) in draft.we_asked
    assert draft.url == f"/evidence/{pilot.slug}/"

    kept = freeze_rows(draft.figures)  # as a published page keeps them, drafted in English
    with translation.override("cy"):  # and a Welsh reader reads the design in Welsh
        design = dict((label, value) for label, value, _lang in report_rows(kept))["Dyluniad"]
    assert pilot.design == "did"
    assert design == "Gwahaniaeth-mewn-gwahaniaethau (unedau a arsylwyd dros amser)"
