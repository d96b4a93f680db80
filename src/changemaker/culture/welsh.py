"""The survey lead's own words in Welsh: the survey's and the wave's names, the comment
question, the characteristic question and its answers (the item bank's statements carry their
own Welsh). Each has a Welsh companion ``<field>_cy``; the answers' Welsh is a list in the same
order (``characteristic_options_cy``). A blank companion means "not translated yet": Welsh
pages show the English, marked ``lang="en"`` (``core.bilingual``), and the staff area's "Still
to translate" page lists the wave. Reads only.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from changemaker.core import bilingual
from changemaker.core.models import Council
from changemaker.core.registry import Untranslated
from changemaker.core.templatetags.bilingual import bilingual as bilingual_html
from changemaker.culture.models import Wave

#: The wave's words people taking part read, each with a Welsh companion.
WAVE_WORDS = {
    "name": _("Name of the wave"),
    "characteristic": _("Characteristic question"),
    "comment_question": _("Comment question"),
}
SURVEY_NAME = _("Name of the survey")
OPTIONS = _("Answers to the characteristic question")


def option_pairs(wave: Wave) -> list[dict[str, str]]:
    """Each answer to the characteristic question with its Welsh ("" when not written yet),
    as ``{"option": ..., "option_cy": ...}`` (what ``core.bilingual`` picks from)."""
    welsh = list(wave.characteristic_options_cy or [])
    return [
        {"option": english, "option_cy": welsh[i] if i < len(welsh) else ""}
        for i, english in enumerate(wave.characteristic_options or [])
    ]


def option_label(wave: Wave, value: str) -> SafeString:
    """An answer (kept in English) in the reader's language, marked lang="en" when the Welsh
    is not written yet; an answer the wave no longer lists is shown as it was kept."""
    for pair in option_pairs(wave):
        if pair["option"] == value:
            return bilingual_html(pair, "option")
    return bilingual_html({"option": value}, "option")


def wave_welsh_missing(wave: Wave) -> list[str]:
    """What of the words people taking part read has no Welsh yet, in words."""
    found = [str(SURVEY_NAME)] if bilingual.missing(wave.survey, ["name"]) else []
    found += [str(WAVE_WORDS[f]) for f in bilingual.missing(wave, WAVE_WORDS)]
    if wave.characteristic and any(not p["option_cy"].strip() for p in option_pairs(wave)):
        found.append(str(OPTIONS))
    return found


def untranslated(council: Council) -> list[Untranslated]:
    """Draft and open waves whose words have no Welsh yet (the "Still to translate" page):
    a closed wave is asked no more."""
    found = []
    waves = Wave.objects.filter(survey__council=council).exclude(status=Wave.Status.CLOSED)
    for wave in waves.select_related("survey").order_by("survey__name", "created_at", "pk"):
        missing = wave_welsh_missing(wave)
        if missing:
            url = reverse("culture:wave-welsh", args=[wave.pk])
            found.append(Untranslated(f"{wave.survey.name}: {wave.name}", url, missing))
    return found
