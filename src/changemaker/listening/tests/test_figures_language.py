"""Published figures read in each reader's language (walk F3, F14): a self-evaluation freezes
its figures' facts (key, value, numbers, ISO dates), not words, so the page and the open data
tell them in English and in Welsh whoever published; a figure no capability knows any more
shows its frozen words; figures frozen before facts were kept still show. A "you said, we
did" page's figures table labels its rows in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from changemaker.core import registry
from changemaker.core.dates import long_date
from changemaker.core.models import Commitment, CommitmentUpdate, Council, Role, User, Ward
from changemaker.core.notices import subject_key
from changemaker.core.registry import FigureKind, ReportDraft, ReportFigure, ReportSource
from changemaker.core.tests.factories import WardFactory
from changemaker.listening import actions, selectors
from changemaker.listening.models import Report, Scorecard

from .conftest import HOST

pytestmark = pytest.mark.django_db

KEY = "core.commitments_on_time"
ENGLISH_LABEL, WELSH_LABEL = "Commitments kept on time", "Ymrwymiadau a gyflawnwyd mewn pryd"


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.ENGAGEMENT_OFFICER)


def _kept_one(council: Council) -> None:
    due = timezone.localdate() - timedelta(days=3)
    done = Commitment.objects.create(
        council=council, title="Fix the lights", due=due, status="done", published=True
    )
    CommitmentUpdate.objects.create(
        commitment=done, text="done", status="done", at=timezone.now() - timedelta(days=5)
    )


def _published(council: Council, officer: User, language: str) -> Scorecard:
    """A cycle whose one criterion shows the commitments figure, published by an officer
    browsing in ``language``."""
    with translation.override(language):
        card = actions.create_scorecard(
            council, title="How we did", period="2026", lga=False, by=officer
        )
        criterion = card.criteria.model(
            scorecard=card, text="Keeping promises", council_rating=3, figure=KEY
        )
        actions.save_criterion(criterion, by=officer)
        actions.open_scorecard(card, by=officer)
        actions.close_scorecard(card, by=officer)
        actions.publish_scorecard(card, by=officer)
    card.refresh_from_db()
    return card


def _page(card: Scorecard, language: str) -> str:
    response = Client().get(f"/self-evaluation/{card.slug}/", HTTP_ACCEPT_LANGUAGE=language, **HOST)
    assert response.status_code == 200
    return response.content.decode()


def _long_today(language: str) -> str:
    with translation.override(language):
        return long_date(timezone.localdate())


@pytest.mark.parametrize("officer_language", ["cy", "en"])
def test_each_reader_reads_the_published_figure_in_their_language(
    council: Council, officer: User, officer_language: str
) -> None:
    _kept_one(council)
    card = _published(council, officer, officer_language)

    english, welsh = _page(card, "en"), _page(card, "cy")
    assert ENGLISH_LABEL in english and WELSH_LABEL not in english
    assert f"1 of the 1 published commitments due by {_long_today('en')}" in english
    assert WELSH_LABEL in welsh and ENGLISH_LABEL not in welsh
    assert "Cafodd 1 o’r 1 o ymrwymiadau" in welsh and _long_today("cy") in welsh
    assert timezone.localdate().strftime("%d/%m/%Y") not in english + welsh


@pytest.mark.parametrize("officer_language", ["cy", "en"])
def test_the_open_data_gives_the_figure_in_english_and_welsh(
    council: Council, officer: User, officer_language: str
) -> None:
    _kept_one(council)
    card = _published(council, officer, officer_language)
    url = f"/api/listening/scorecards/{card.slug}/criteria"
    for language in ("en", "cy"):  # whoever asks, in whatever language
        [row] = Client().get(url, HTTP_ACCEPT_LANGUAGE=language, **HOST).json()["items"]
        assert (row["figure"], row["figure_cy"]) == (ENGLISH_LABEL, WELSH_LABEL)
        assert (row["figure_value"], row["figure_unit"], row["figure_unit_cy"]) == (100.0, "%", "%")
        assert row["figure_explanation"].startswith("1 of the 1 published commitments")
        assert row["figure_explanation_cy"].startswith("Cafodd 1 o’r 1")


def test_figures_frozen_before_facts_were_kept_and_removed_figures_still_show(
    council: Council, officer: User
) -> None:
    card = _published(council, officer, "en")
    card.criteria.model.objects.create(
        scorecard=card, text="Something gone", council_rating=2, figure="gone.figure", order=9
    )
    # as written before this change: words only, frozen in the publishing officer's Welsh
    Scorecard.objects.filter(pk=card.pk).update(
        figures={
            KEY: {"label": WELSH_LABEL, "value": 50.0, "unit": "%", "explanation": "Hen eiriau."},
            "gone.figure": {
                "label": "A figure no one counts now",
                "value": 7.0,
                "unit": "things",
                "explanation": "Frozen sentence.",
            },
        }
    )
    english = _page(card, "en")
    assert ENGLISH_LABEL in english and WELSH_LABEL not in english  # label told again by key
    assert "Hen eiriau." in english  # the sentence as frozen (no facts were kept)
    assert "A figure no one counts now" in english and "Frozen sentence." in english


# "You said, we did": the figures table ---------------------------------------------------


@pytest.fixture
def ward(council: Council) -> Ward:
    return WardFactory(council=council, name="Abbey")


@pytest.fixture
def source(council: Council, ward: Ward, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A stand-in capability's closed process with figures rows told by key."""
    key = subject_key(ward)
    kinds = {
        "standin.voters": FigureKind(translation.gettext_lazy("People who voted")),
        "standin.ward_votes": FigureKind(translation.gettext_lazy("Votes from %(ward)s")),
    }
    rows = [
        ReportFigure("standin.voters", "212", {"part": "Borough", "part_cy": "Y fwrdeistref"}),
        ReportFigure("standin.ward_votes", "120", {"ward": "Abbey"}),
    ]

    def lister(for_council: Council) -> list[ReportSource]:
        draft = ReportDraft(we_asked="We asked.", you_said="You said.", figures=rows, url="")
        return [ReportSource(key, "Participatory budget", "Fund", date(2026, 11, 1), lambda: draft)]

    monkeypatch.setattr(registry, "REPORT_LISTERS", [lister])
    for name, kind in kinds.items():
        monkeypatch.setitem(registry.FIGURE_KINDS, name, kind)
    yield key


def _published_report(council: Council, key: str, officer: User) -> Report:
    found = selectors.report_source(council, key)
    assert found is not None
    report = actions.draft_report(council, found, by=officer)
    report.we_did = "We funded them."
    actions.save_report(report, by=officer, parts={"we_did": "We funded them."})
    return actions.publish_report(report, by=officer)


def test_the_welsh_figures_table_is_welsh_and_not_marked_english(
    council: Council, source: str, officer: User
) -> None:
    report = _published_report(council, source, officer)
    welsh = Client().get(f"/you-said-we-did/{report.pk}/", HTTP_ACCEPT_LANGUAGE="cy", **HOST)
    page = welsh.content.decode()
    table = page[page.index('<table class="govuk-table"') : page.index("</table>")]
    assert 'lang="en"' not in table
    assert "Y fwrdeistref: Pobl a bleidleisiodd" in table
    assert "Pleidleisiau o Abbey" in table
    english = Client().get(f"/you-said-we-did/{report.pk}/", **HOST).content.decode()
    assert "Borough: People who voted" in english and "Votes from Abbey" in english

    api = Client().get("/api/listening/reports", **HOST).json()["items"][0]["figures"]
    assert api[0] == {
        "label": "Borough: People who voted",
        "label_cy": "Y fwrdeistref: Pobl a bleidleisiodd",
        "value": "212",
    }


def test_a_table_drafted_before_rows_kept_their_key_marks_only_its_labels_english(
    council: Council, source: str, officer: User
) -> None:
    report = _published_report(council, source, officer)
    Report.objects.filter(pk=report.pk).update(figures=[["People who voted", "212"]])
    page = Client().get(f"/you-said-we-did/{report.pk}/", HTTP_ACCEPT_LANGUAGE="cy", **HOST)
    table = page.content.decode()
    table = table[table.index('<table class="govuk-table"') : table.index("</table>")]
    assert '<table class="govuk-table">' in table
    assert 'lang="en">People who voted</th>' in table
