"""Officer-written text in the reader's language, English marked where it falls back."""

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from changemaker.core.bilingual import missing, pick, text

ITEM = SimpleNamespace(
    title="Play area <new>", title_cy="Ardal chwarae", description="One\n\nTwo", description_cy=""
)


def render(source: str) -> str:
    return Template("{% load bilingual %}" + source).render(Context({"item": ITEM}))


def test_english_readers_see_english() -> None:
    with translation.override("en-gb"):
        assert pick(ITEM, "title") == ("Play area <new>", False)
        assert render('{% bilingual item "title" %}') == "Play area &lt;new&gt;"


def test_welsh_readers_see_welsh_where_written() -> None:
    with translation.override("cy"):
        assert pick(ITEM, "title") == ("Ardal chwarae", False)
        assert render('{% bilingual item "title" %}') == "Ardal chwarae"


def test_english_shown_in_welsh_is_marked() -> None:
    with translation.override("cy"):
        assert pick(ITEM, "description") == ("One\n\nTwo", True)
        html = render('{% bilingual item "description" block=True %}')
        assert html == '<div lang="en"><p>One</p>\n\n<p>Two</p></div>'


def test_blank_welsh_of_only_spaces_falls_back() -> None:
    spaced = SimpleNamespace(title="Bench", title_cy="   ")
    with translation.override("cy"):
        html = Template('{% load bilingual %}{% bilingual item "title" %}').render(
            Context({"item": spaced})
        )
    assert html == '<span lang="en">Bench</span>'


def test_missing_names_the_fields_written_in_english_only() -> None:
    item = SimpleNamespace(title="Bench", title_cy="Mainc", summary="Seats", summary_cy=" ",
                           description="", description_cy="")  # fmt: skip
    assert missing(item, ["title", "summary", "description"]) == ["summary"]


def test_a_notices_params_render_in_the_recipients_language() -> None:
    params = {"question": "What next?", "question_cy": "Beth nesaf?"}
    with translation.override("cy"):
        assert text(params, "question") == "Beth nesaf?"
        assert pick({"question": "What next?"}, "question") == ("What next?", True)
    with translation.override("en-gb"):
        assert text(params, "question") == "What next?"


def test_plain_and_shortened_text_for_titles_and_hints() -> None:
    with translation.override("cy"):
        assert render('{% bilingual item "description" plain=True %}') == "One\n\nTwo"
        assert render('{% bilingual item "title" chars=5 plain=True %}') == "Arda…"
        assert render('{% bilingual item "description" words=1 %}') == '<span lang="en">One…</span>'


def test_the_welsh_missing_tag() -> None:
    with translation.override("en-gb"):
        assert render('{% welsh_missing item "title" %}') == ""  # its Welsh is written
        html = render('{% welsh_missing item "title" "description" %}')
    assert html == '<strong class="govuk-tag govuk-tag--yellow">Welsh missing</strong>'
