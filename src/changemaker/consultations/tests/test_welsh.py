"""Consultations and their statements in Welsh (issue 20): the question, background and seed
statements written in both languages; residents' statements given a Welsh version by a
moderator; Welsh readers see their language, or the English marked lang="en"."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import translation

from changemaker.consultations import charts, demo, notices
from changemaker.consultations.models import Consultation, Statement
from changemaker.core.models import AuditEvent, Council, Role

HOST = {"HTTP_HOST": "exampleton.test"}
WELSH = {**HOST, "HTTP_ACCEPT_LANGUAGE": "cy"}


def _translated(make: Callable[..., Consultation]) -> Consultation:
    """Question and the first two seed statements in Welsh; the third in English only."""
    return make(
        question_cy="Beth nesaf?",
        background="Some background",
        background_cy="Ychydig o gefndir",
        seeds_cy=["Datganiad cyntaf", "Ail ddatganiad"],
    )


def test_starting_a_consultation_saves_the_welsh_beside_the_english(
    council: Council, client_as: Callable[[str | None], Client]
) -> None:
    client = client_as(Role.ENGAGEMENT_OFFICER)
    page = client.get(reverse("consultations:create"), **HOST).content.decode()
    labels = re.findall(r'<label class="govuk-label[^"]*" for="id_(\w+)"', page)
    assert labels[:2] == ["question", "question_cy"]
    assert labels.index("seeds_cy") == labels.index("seeds") + 1
    form = {
        "question": "Should the library open on Sundays?",
        "question_cy": "A ddylai'r llyfrgell agor ar ddydd Sul?",
        "slug": "library-sundays",
        "background": "",
        "background_cy": "",
        "seeds": "Sunday opening helps families\nIt costs too much",
        "seeds_cy": "Mae agor ar ddydd Sul yn helpu teuluoedd\nMae'n costio gormod",
        "days": "28",
        "moderation": "after",
        "audience": "anyone",
        "min_participants": "7",
    }
    assert client.post(reverse("consultations:create"), form, **HOST).status_code == 302
    found = Consultation.objects.get(slug="library-sundays")
    assert found.question_cy == "A ddylai'r llyfrgell agor ar ddydd Sul?"
    assert list(found.statements.values_list("text", "text_cy")) == [
        ("Sunday opening helps families", "Mae agor ar ddydd Sul yn helpu teuluoedd"),
        ("It costs too much", "Mae'n costio gormod"),
    ]


def test_welsh_seed_statements_must_match_the_english_line_for_line(
    council: Council, client_as: Callable[[str | None], Client]
) -> None:
    form = {
        "question": "Q",
        "slug": "q",
        "seeds": "One\nTwo",
        "seeds_cy": "Un",
        "days": "28",
        "moderation": "after",
        "audience": "anyone",
        "min_participants": "7",
    }
    response = client_as(Role.ENGAGEMENT_OFFICER).post(
        reverse("consultations:create"), form, **HOST
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_seeds_cy"' in page
    assert "Write one Welsh statement for each of the 2 English ones" in page
    assert not Consultation.objects.filter(slug="q").exists()  # nothing half-written


def test_a_moderator_writes_the_welsh_of_any_statement_people_see(
    make_consultation: Callable[..., Consultation], client_as: Callable[[str | None], Client]
) -> None:
    consultation = make_consultation()
    Statement.objects.create(consultation=consultation, number=9, text="Waiting", status="pending")
    client = client_as(Role.ENGAGEMENT_OFFICER)
    moderate = client.get(reverse("consultations:moderate", args=[consultation.slug]), **HOST)
    assert "Welsh missing" in moderate.content.decode()
    url = reverse("consultations:welsh", args=[consultation.slug])
    page = client.get(url, **HOST).content.decode()
    assert "Statement 2 in Welsh (optional)" in page
    assert "statement_9" not in page  # a statement not shown is not translated yet
    form = {"question_cy": "Beth nesaf?", "background_cy": "", "statement_2": "Trydydd"}
    assert client.post(url, form, **HOST).status_code == 302
    consultation.refresh_from_db()
    assert consultation.question_cy == "Beth nesaf?"
    assert consultation.statements.get(number=2).text_cy == "Trydydd"
    event = AuditEvent.objects.get(action="consultation.translated")
    assert event.detail == {"changed": ["question_cy"], "statements": 1}


def test_a_welsh_reader_sees_the_welsh_and_english_marked_where_it_is_missing(
    make_consultation: Callable[..., Consultation],
) -> None:
    consultation = _translated(make_consultation)
    client = Client()
    listing = client.get(reverse("consultations:list"), **WELSH).content.decode()
    assert "Beth nesaf?" in listing and "What next?" not in listing
    page = client.get(reverse("consultations:take-part", args=[consultation.slug]), **WELSH)
    html = page.content.decode()
    assert '<html lang="cy"' in html
    assert ">Beth nesaf?</h1>" in html
    assert "<p>Ychydig o gefndir</p>" in html
    assert "<title>Beth nesaf?" in html
    consultation.statements.filter(number__in=[0, 1]).update(status="rejected")
    page = client.get(reverse("consultations:take-part", args=[consultation.slug]), **WELSH)
    assert '<span lang="en">Third statement</span>' in page.content.decode()


def test_the_map_marks_statements_shown_in_english() -> None:
    result = {
        "n_participants": 10,
        "groups": [],
        "consensus": {"agree": [{"statement": 1, "n_success": 9, "n_trials": 10}]},
        "divisive": [{"statement": 2}],
    }
    texts = {1: "Datganiad", 2: "Second"}
    picture = charts.opinion_picture(result, texts, minimum=7, english=frozenset({2}))
    assert picture.consensus["agree"][0].lang == ""
    assert [(s.text, s.lang) for s in picture.divisive] == [("Second", "en")]


def test_notices_are_in_the_recipients_language() -> None:
    params = {"slug": "c0", "question": "What next?", "question_cy": "Beth nesaf?"}
    kind = notices.KINDS[notices.RESULTS]
    with translation.override("cy"):
        assert "Beth nesaf?" in kind.subject(params)
    with translation.override("en-gb"):
        assert kind.subject(params) == "Results are out: What next?"
    with translation.override("cy"):  # a notice published before the Welsh was written
        assert "What next?" in kind.body({"slug": "c0", "question": "What next?"})


def test_the_open_data_carries_the_english_and_the_welsh(
    make_consultation: Callable[..., Consultation],
) -> None:
    consultation = _translated(make_consultation)
    found = Client().get("/api/consultations/", **HOST).json()["items"][0]
    assert (found["question"], found["question_cy"]) == ("What next?", "Beth nesaf?")
    assert found["background_cy"] == "Ychydig o gefndir"
    rows = Client().get(f"/api/consultations/{consultation.slug}/statements", **HOST).json()
    assert [(s["text"], s["text_cy"]) for s in rows["items"]] == [
        ("First statement", "Datganiad cyntaf"),
        ("Second statement", "Ail ddatganiad"),
        ("Third statement", ""),
    ]


def test_still_to_translate_lists_exactly_the_consultations_lacking_welsh(
    make_consultation: Callable[..., Consultation], client_as: Callable[[str | None], Client]
) -> None:
    done = make_consultation(
        question_cy="Beth nesaf?", seeds=["One"], seeds_cy=["Un"], background=""
    )
    partly = _translated(make_consultation)
    page = client_as(Role.ENGAGEMENT_OFFICER).get(reverse("core:translations"), **HOST)
    html = page.content.decode()
    assert reverse("consultations:welsh", args=[partly.slug]) in html
    assert reverse("consultations:welsh", args=[done.slug]) not in html
    assert "1 statement" in html
    evidence = client_as(Role.EVIDENCE_LEAD).get(reverse("core:translations"), **HOST)
    assert reverse("consultations:welsh", args=[partly.slug]) not in evidence.content.decode()


def test_the_demo_has_welsh_and_a_deliberate_fallback_and_loads_twice(
    council: Council, make_user: Callable[..., object]
) -> None:
    from changemaker.core.models import User

    User.objects.create_user("engagement@exampleton.example", "x-long-password-1")
    User.objects.create_user("resident@exampleton.example", "x-long-password-1")
    demo.load(council)
    demo.load(council)
    live = Consultation.objects.get(council=council, slug="high-street")
    assert live.question_cy == "Beth fyddai'n gwneud y Stryd Fawr yn lle gwell?"
    seeds = live.statements.filter(is_seed=True)
    assert seeds.count() == 6 and not seeds.filter(text_cy="").exists()
    resident = live.statements.get(is_seed=False, status="published")
    assert resident.text_cy == ""  # the resident's statement: English until a moderator writes it


def test_the_statement_form_hint_with_its_limit_reads_in_welsh() -> None:
    """Told when shown, not when the module loads (it stayed English on Welsh pages)."""
    from changemaker.consultations.forms import StatementForm

    with translation.override("cy"):
        hint = str(StatementForm().fields["text"].help_text)
    assert hint == "Un pwynt clir y gall eraill gytuno neu anghytuno ag ef, mewn 280 nod neu lai"
