"""The survey lead's own words in Welsh (walk finding F9): the survey's and the wave's names,
the comment question, the characteristic question and its answers. Welsh pages show the Welsh;
where it is not written yet, the English marked lang="en"; the "Still to translate" page lists
the waves still lacking it; answers are kept in English whatever language people answer in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.core.models import AuditEvent, Role, User
from changemaker.culture import actions
from changemaker.culture.models import Response, Survey, Wave
from changemaker.culture.tests.conftest import HOST, invite, links_from_mail

pytestmark = pytest.mark.django_db
GRADES = ["Low", "High"]
WELSH_WAVE = {
    "survey_name_cy": "Arolwg staff",
    "name_cy": "Cerdded 2027",
    "characteristic_cy": "Beth yw eich gradd?",
    "options_cy": ["Isel", "Uchel"],
    "comment_question_cy": "Unrhyw beth arall?",
}


def _wave(make_wave: Callable[..., Wave]) -> Wave:
    return make_wave(
        name="Walk 2027",
        characteristic="What is your grade?",
        characteristic_options=GRADES,
        comment_question="Anything else?",
    )


def _take_part_in_welsh(client_as: Callable[..., Client], wave: Wave, lead: User) -> Client:
    """Open the wave, invite one person and follow their link with Welsh chosen."""
    actions.open_wave(wave, by=lead)
    invite(client_as(Role.SURVEY_LEAD), wave, "email,unit\na@exampleton.example,OT\n")
    person = Client()
    person.get(links_from_mail()[-1], **HOST)
    person.get("/language/cy/?next=/survey/", **HOST)
    return person


def _pages(person: Client) -> dict[str, str]:
    """The pages that show the wave's own words, in the person's language."""
    return {
        name: person.get(reverse(name), **HOST).text.replace("&#x27;", "'")
        for name in ("culture:take-intro", "culture:take-comment", "culture:take-about")
    }


def test_welsh_pages_show_the_waves_own_words_in_welsh(
    make_wave: Callable[..., Wave], client_as: Callable[..., Client], lead: User
) -> None:
    wave = _wave(make_wave)
    actions.translate_wave(wave, by=lead, **WELSH_WAVE)
    person = _take_part_in_welsh(client_as, wave, lead)
    pages = _pages(person)
    assert "Cerdded 2027" in pages["culture:take-intro"]
    assert "<title>Arolwg staff" in pages["culture:take-intro"]
    assert "Unrhyw beth arall?" in pages["culture:take-comment"]
    about = pages["culture:take-about"]
    assert "Beth yw eich gradd?" in about and "Isel" in about and "Uchel" in about
    for english in ("Walk 2027", "Anything else?", "What is your grade?", ">Low<", ">High<"):
        assert not any(english in page for page in pages.values()), english
    # The answer is kept in English (the report's groups), shown in Welsh on the check page.
    person.post(reverse("culture:take-about"), {"characteristic": "High"}, **HOST)
    check = person.get(reverse("culture:take-check"), **HOST).text
    assert "Uchel" in check and "Beth yw eich gradd?" in check and "Unrhyw beth arall?" in check
    person.post(reverse("culture:take-check"), **HOST)
    assert Response.objects.get(wave=wave).characteristic == "High"


def test_words_without_welsh_show_in_english_marked_as_english(
    make_wave: Callable[..., Wave], client_as: Callable[..., Client], lead: User
) -> None:
    wave = _wave(make_wave)
    pages = _pages(_take_part_in_welsh(client_as, wave, lead))
    assert '<span lang="en">Walk 2027</span>' in pages["culture:take-intro"]
    assert '<span lang="en">Staff survey</span>' in pages["culture:take-intro"]
    assert '<span lang="en">Anything else?</span>' in pages["culture:take-comment"]
    about = pages["culture:take-about"]
    assert '<span lang="en">What is your grade?</span>' in about
    assert '<span lang="en">Low</span>' in about and '<span lang="en">High</span>' in about
    # English pages are not marked: the whole page is English.
    english = Client()
    english.get(links_from_mail()[-1], **HOST)
    assert 'lang="en">Walk 2027' not in english.get(reverse("culture:take-intro"), **HOST).text


def test_the_wave_form_takes_the_welsh_and_refuses_answers_that_do_not_pair_up(
    survey: Survey, client_as: Callable[..., Client]
) -> None:
    lead = client_as(Role.SURVEY_LEAD)
    url = reverse("culture:wave-new", args=[survey.pk])
    form = lead.get(url, **HOST).text
    assert 'name="name_cy"' in form and 'lang="cy"' in form
    data: dict[str, Any] = {
        "name": "Walk 2027",
        "name_cy": "Cerdded 2027",
        "min_group": "5",
        "characteristic": "What is your grade?",
        "characteristic_cy": "Beth yw eich gradd?",
        "options": "Low\nHigh\n",
        "options_cy": "Isel\n",
        "comment_question": "Anything else?",
        "comment_question_cy": "Unrhyw beth arall?",
    }
    refused = lead.post(url, data, **HOST)
    assert refused.status_code == 200 and not Wave.objects.exists()
    assert "Give one Welsh answer for each of the 2 answers" in refused.text
    made = lead.post(url, {**data, "options_cy": "Isel\n\nUchel\n"}, **HOST)
    wave = Wave.objects.get()
    assert made["Location"] == reverse("culture:wave", args=[wave.pk])
    assert (wave.name_cy, wave.characteristic_cy) == ("Cerdded 2027", "Beth yw eich gradd?")
    assert (wave.characteristic_options, wave.characteristic_options_cy) == (
        GRADES,
        ["Isel", "Uchel"],
    )
    assert wave.comment_question_cy == "Unrhyw beth arall?"


def test_still_to_translate_lists_the_waves_lacking_welsh_and_the_lead_writes_it(
    make_wave: Callable[..., Wave], client_as: Callable[..., Client], lead: User
) -> None:
    wave = _wave(make_wave)
    done = make_wave(name="Done")
    actions.translate_wave(done, by=lead, survey_name_cy="Arolwg staff", name_cy="Wedi gwneud")
    client = client_as(Role.SURVEY_LEAD)
    page = client.get(reverse("core:translations"), **HOST).text
    assert reverse("culture:wave-welsh", args=[wave.pk]) in page
    assert reverse("culture:wave-welsh", args=[done.pk]) not in page
    assert "Answers to the characteristic question" in page
    assert "Welsh missing" in client.get(reverse("culture:wave", args=[wave.pk]), **HOST).text

    url = reverse("culture:wave-welsh", args=[wave.pk])
    form = client.get(url, **HOST).text
    assert 'name="characteristic_cy"' in form and 'name="comment_question_cy"' in form
    welsh = {**WELSH_WAVE, "options_cy": "Isel\nUchel"}
    assert client.post(url, welsh, **HOST)["Location"] == reverse("culture:wave", args=[wave.pk])
    wave.refresh_from_db()
    assert wave.characteristic_options_cy == ["Isel", "Uchel"]
    assert wave.survey.name_cy == "Arolwg staff"
    page = client.get(reverse("core:translations"), **HOST).text
    assert reverse("culture:wave-welsh", args=[wave.pk]) not in page
    event = AuditEvent.objects.filter(action="culture.wave_translated").last()
    assert event is not None and "Isel" not in str(event.detail)  # what changed, not the words
    # A closed wave is asked no more: not listed.
    actions.translate_wave(done, by=lead, survey_name_cy="", name_cy="")
    actions.open_wave(done, by=lead)
    actions.close_wave(done, by=lead, report_now=True)
    page = client.get(reverse("core:translations"), **HOST).text
    assert reverse("culture:wave-welsh", args=[done.pk]) not in page
