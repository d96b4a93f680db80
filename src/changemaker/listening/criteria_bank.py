"""The Local Government Association's resident-satisfaction questions, as a starting set of
criteria for the open self-evaluation.

Wording from the LGA's "Are you being served?" question set ("Benchmarking resident
satisfaction data: question set and guidance", Local Government Association, developed with
Ipsos MORI; local.gov.uk), with the council's name where the LGA writes [name of council].
The LGA benchmarks these questions only from random-sample surveys; ratings given here by
residents who choose to take part are not comparable with its national polling, and the pages
say so.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ATTRIBUTION = _(
    "Question from the Local Government Association's resident satisfaction question set "
    "(‘Are you being served?’). Ratings here come from residents who chose to take part, so "
    "they cannot be compared with the LGA's national polling."
)

#: The LGA's published wording; {council} is the council's name.
LGA_QUESTIONS = (
    "Overall, how satisfied or dissatisfied are you with your local area as a place to live?",
    "Overall, how satisfied or dissatisfied are you with the way {council} runs things?",
    "To what extent do you agree or disagree that {council} provides value for money?",
    "To what extent do you think {council} acts on the concerns of local residents?",
    "Overall, how well informed do you think {council} keeps residents about the services and "
    "benefits it provides?",
    "How much do you trust {council}?",
)


def lga_questions(council_name: str) -> list[str]:
    return [q.format(council=council_name) for q in LGA_QUESTIONS]
