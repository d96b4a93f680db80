"""A closed consultation's "we asked, you said, we did" draft: the question, how many took
part, wrote and voted (counted here from the export), the opinion groups with the
statements that define them and what unites them, as the results page shows them; nothing
of the groups below the consultation's minimum number of people; invited-only and open
consultations are not listed."""

from __future__ import annotations

import csv
import io

import pytest

from changemaker.consultations import adapter, charts, reports, selectors
from changemaker.consultations.demo import _safer_streets_export
from changemaker.consultations.models import Consultation
from changemaker.core.figures import told_rows
from changemaker.core.models import Council
from changemaker.core.notices import subject_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(council: Council) -> tuple[Consultation, dict[str, bytes]]:
    files = _safer_streets_export()
    consultation = adapter.import_polis(
        council, files, slug="safer-streets", question="How can we make streets safer?"
    )
    adapter.compute_map(consultation)
    return consultation, files


def test_the_draft_gives_the_real_figures_and_the_groups(
    council: Council, closed: tuple[Consultation, dict[str, bytes]]
) -> None:
    consultation, files = closed
    rows = list(csv.DictReader(io.StringIO(files["votes.csv"].decode())))
    people = len({r["voter-id"] for r in rows})
    sources = reports.closed_consultations(council)
    assert [s.key for s in sources] == [subject_key(consultation)]
    draft = sources[0].draft()
    assert f"{people} people took part: they wrote 8 statements and voted {len(rows)} times." in (
        draft.you_said
    )
    assert ("People who took part", str(people)) in told_rows(draft.figures)
    assert ("Votes", str(len(rows))) in told_rows(draft.figures)
    assert "“How can we make streets safer?”" in draft.we_asked

    picture = charts.opinion_picture(
        selectors.latest_map(consultation).result,  # type: ignore[union-attr]
        selectors.published_texts(consultation)[0],
        minimum=consultation.map_minimum,
    )
    assert picture.shown and len(picture.groups) >= 2
    assert ("Groups of opinion", str(len(picture.groups))) in told_rows(draft.figures)
    for group in picture.groups:
        assert f"Group {group.letter} ({group.size} people) stood out on:" in draft.you_said
    united = picture.consensus["agree"][0]
    assert "What unites people across the groups: “" + united.text in draft.you_said
    assert draft.url == f"/have-your-say/{consultation.slug}/results/"
    assert len(draft.related_sources) == 8


def test_below_the_minimum_the_draft_has_no_group_detail(
    council: Council, closed: tuple[Consultation, dict[str, bytes]]
) -> None:
    consultation, _files = closed
    Consultation.objects.filter(pk=consultation.pk).update(min_participants=60)
    draft = reports.closed_consultations(council)[0].draft()
    assert "Group A" not in draft.you_said and "unites" not in draft.you_said
    assert "Fewer than 60 people were in the map of opinion" in draft.you_said
    assert [label for label, _v in told_rows(draft.figures)] == [
        "People who took part",
        "Statements",
        "Votes",
    ]


def test_open_and_invited_only_consultations_are_not_listed(
    council: Council, closed: tuple[Consultation, dict[str, bytes]]
) -> None:
    consultation, _files = closed
    Consultation.objects.filter(pk=consultation.pk).update(audience=Consultation.Audience.INVITED)
    assert reports.closed_consultations(council) == []
