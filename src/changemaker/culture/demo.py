"""Exampleton's staff survey: two closed waves, about 1,500 generated respondents each in 121
units (the council, 6 directorates, 24 services, 90 teams), with results worked out.

Nothing is real: answers follow a one-factor model per norm with team effects, from a seeded
generator, so reliability and team differences look like a real survey's. Evan Engagement
(engagement@exampleton.example) manages the Communities service and sees its team pages; an
action recorded after the first wave makes the second ask whether action was taken.
Idempotent: nothing is added when Exampleton already has the survey.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from changemaker.core.models import Council
from changemaker.core.selectors import token_hash
from changemaker.culture import actions, selectors
from changemaker.culture.models import (
    Comment,
    Invitation,
    OrgUnit,
    Response,
    Survey,
    SurveyItem,
    UnitManager,
    Wave,
)

NAME = "Exampleton staff survey"
NAME_CY = "Arolwg staff Exampleton"
DIRECTORATES = {
    "ADULTS": ("Adult social care", ["Assessment", "Reablement", "Day services", "Commissioning"]),
    "CHILD": ("Children and families", ["Early help", "Fostering", "Schools", "Youth"]),
    "PLACE": ("Place", ["Highways", "Waste", "Planning", "Parks"]),
    "COMM": ("Communities", ["Communities", "Libraries", "Housing", "Leisure"]),
    "RES": ("Resources", ["Finance", "People", "Digital", "Legal"]),
    "CEX": ("Chief executive's office", ["Policy", "Communications", "Democracy", "Insight"]),
}
GRADES = ["Grades 1 to 4", "Grades 5 to 8", "Grades 9 and above", "Senior leadership"]
GRADES_CY = ["Graddau 1 i 4", "Graddau 5 i 8", "Gradd 9 ac uwch", "Uwch arweinyddiaeth"]
GRADE_QUESTION = ("What is your grade?", "Beth yw eich gradd?")
RESPONDENTS = 1500
MANAGER = "engagement@exampleton.example"


def chart_csv() -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["unit", "parent", "name"])
    w.writerow(["ORG", "", "Exampleton Borough Council"])
    for code, (name, services) in DIRECTORATES.items():
        w.writerow([code, "ORG", name])
        for s, service in enumerate(services, start=1):
            w.writerow([f"{code}-{s}", code, service])
            # 4 teams a service, 3 in each directorate's last (90 in all)
            for t in range(1, 5 if s < len(services) else 4):
                w.writerow([f"{code}-{s}-{t}", f"{code}-{s}", f"{service} team {t}"])
    return out.getvalue()


def _answers(
    rng: np.random.Generator, items: list[SurveyItem], n: int, unit_effect: np.ndarray, lift: float
) -> np.ndarray:
    scales = list(dict.fromkeys(it.scale for it in items))
    trait = rng.normal(size=(n, len(scales))) + unit_effect[:, : len(scales)]
    raw = np.empty((n, len(items)))
    for j, it in enumerate(items):
        latent = 0.9 * trait[:, scales.index(it.scale)] + rng.normal(size=n) * 0.8
        raw[:, j] = -latent if it.reverse else latent
    answers = np.clip(np.round(3.3 + lift + raw), 1, 5).astype(np.int64)
    answers[rng.random(answers.shape) < 0.04] = 0
    return answers


def _respond(wave: Wave, rng: np.random.Generator, lift: float) -> None:
    """Generated responses (the demo's stand-in for 1,500 people taking part) and the
    invitations they came from, about 80% of them used."""
    units = list(wave.units.all())
    items = list(wave.items.order_by("position", "pk"))
    weight = np.array(
        [0.2 if u.parent_id is None else (1 if "-" in u.code else 0.5) for u in units]
    )
    weight = weight * (rng.pareto(2.0, len(units)) + 0.3)
    where = rng.choice(len(units), size=RESPONDENTS, p=weight / weight.sum())
    effect = rng.normal(scale=0.5, size=(len(units), 8))[where]
    answers = _answers(rng, items, RESPONDENTS, effect, lift)
    grade = rng.choice(len(GRADES) + 1, size=RESPONDENTS, p=[0.45, 0.3, 0.15, 0.04, 0.06])
    Response.objects.bulk_create(
        (
            Response(
                wave=wave,
                unit=units[where[i]],
                characteristic=GRADES[grade[i]] if grade[i] < len(GRADES) else "",
                answers={it.code: int(a) for it, a in zip(items, answers[i], strict=True) if a},
            )
            for i in range(RESPONDENTS)
        ),
        batch_size=1000,
    )
    invited = int(RESPONDENTS / 0.8)
    Invitation.objects.bulk_create(
        (
            Invitation(
                wave=wave,
                unit=units[where[i % RESPONDENTS]],
                token_hash=token_hash(f"demo-{wave.pk}-{i}"),
                responded_on=wave.opened_on if i < RESPONDENTS else None,
            )
            for i in range(invited)
        ),
        batch_size=1000,
    )


COMMENT_QUESTION = "Is there anything else you want to tell us about working here?"
COMMENT_QUESTION_CY = "Oes unrhyw beth arall rydych chi eisiau ei ddweud wrthym am weithio yma?"
COMMENTS = [
    "We are asked for ideas but rarely hear what happened to them.",
    "Working across teams got easier once we shared one place for our plans.",
    "Too many forms need sign-off before we can try something small.",
    "Chris in our team blocks every change we suggest.",  # the name check flags it
    "I know what the council is trying to achieve and how my work fits in.",
]


def _comment(wave: Wave) -> None:
    """A few comments, checked for names as those sent through the survey are."""
    Comment.objects.bulk_create(selectors.checked_comment(wave, text) for text in COMMENTS)


def _wave(survey: Survey, name: str, rng: np.random.Generator, lift: float) -> Wave:
    wave = actions.create_wave(
        Wave(
            survey=survey,
            name=name,
            name_cy=name,  # a year: the same in Welsh
            characteristic=GRADE_QUESTION[0],
            characteristic_cy=GRADE_QUESTION[1],
            characteristic_options=GRADES,
            characteristic_options_cy=GRADES_CY,
            comment_question=COMMENT_QUESTION,
            comment_question_cy=COMMENT_QUESTION_CY,
        ),
        by=None,
    )
    actions.upload_chart(wave, chart_csv(), source="exampleton-units.csv", by=None)
    actions.open_wave(wave, by=None)
    UnitManager.objects.create(unit=wave.units.get(code="COMM-1"), email=MANAGER)
    _respond(wave, rng, lift)
    _comment(wave)
    actions.close_wave(wave, by=None, report_now=True)
    return wave


def load(council: Council) -> list[str]:
    if Survey.objects.filter(council=council, name=NAME).exists():
        return []
    rng = np.random.default_rng(2026)
    survey = actions.create_survey(council, name=NAME, name_cy=NAME_CY, instrument="staff", by=None)
    first = _wave(survey, "2025", rng, lift=0.0)
    team = OrgUnit.objects.get(wave=first, code="COMM-1")
    found = selectors.results(first)
    actions.record_unit_action(
        team,
        scale=(found and selectors.weakest_scale(found, team)) or "creativity",
        description="Monthly 'try it' sessions: anyone may pitch a small test of a new idea.",
        practice="",
        by=None,
    )
    _wave(survey, "2026", rng, lift=0.15)
    return [f"staff survey: {NAME} (2 waves, {2 * RESPONDENTS} generated responses)"]
