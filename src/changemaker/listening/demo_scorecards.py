"""Exampleton's open self-evaluation: a published cycle (the LGA's resident-satisfaction
questions and one of the council's own, the council's ratings and evidence, 60 residents'
ratings with a spread, a few comments, one hidden by moderation, the council's replies, the
figures frozen at publication) and a second cycle open for ratings. Idempotent: a cycle that
exists (by its short name) is left as it is. Through the actions, like a real council."""

from __future__ import annotations

import random

from changemaker.core.models import Council, Role, RoleAssignment, User
from changemaker.listening import actions
from changemaker.listening.models import Criterion, ResidentRating, Scorecard

OFFICER = "engagement@exampleton.example"
RATERS = 60
RATER_EMAIL = "rater{:02d}@residents.exampleton.example"
PUBLISHED = ("How we did in 2025 to 2026", "April 2025 to March 2026")
OPEN = ("How we are doing in 2026 to 2027", "April 2026 to March 2027")

#: Per criterion (in order): the council's rating, its evidence, the figure shown, the
#: residents' ratings' weights for 1..5, and the council's reply.
PUBLISHED_CRITERIA = [
    (
        4,
        "Exampleton's own 2025 residents' survey found most people happy with their area. "
        "Parks won a Green Flag Award for the third year running and reported street crime "
        "fell in four of our six wards.",
        "",
        (2, 4, 10, 24, 20),
        "Thank you. Several of you said the town centre feels less cared for than the parks; "
        "the High Street consultation is asking what would change that.",
    ),
    (
        4,
        "We balanced the budget without closing a library or a children's centre, moved 40 "
        "services online with a phone line kept for everyone who needs it, and met 11 of our "
        "14 service standards.",
        "culture.index",
        (6, 12, 20, 16, 6),
        "Residents rate us lower than we rate ourselves. The comments point to missed bin "
        "collections in Westgate and Northfield: the new round starts in September and we "
        "will report missed collections by ward every quarter.",
    ),
    (
        3,
        "Council tax rose by 4.99%, the lowest rise allowed in our circumstances. We saved "
        "£2.1 million by sharing a back office with Northbrook and put £400,000 into "
        "residents' own budget decisions.",
        "budgeting.turnout",
        (10, 16, 18, 12, 4),
        "We hear that a 4.99% rise does not feel like value when services are stretched. "
        "From next year the budget book will show what each band D pound pays for.",
    ),
    (
        4,
        "Every consultation now ends with a ‘you said, we did’ page, and 1 in 4 of the "
        "ideas residents sent in to the neighbourhood budget were funded.",
        "consultations.participants",
        (8, 14, 18, 14, 6),
        "Fair challenge. We will publish what happened to every idea and statement within "
        "three months of a consultation closing, and say so when the answer is no.",
    ),
    (
        4,
        "We publish a monthly residents' newsletter (28,000 homes), a weekly email and a "
        "‘what we promised’ page that tracks each commitment to delivery.",
        "core.commitments_on_time",
        (4, 10, 18, 20, 8),
        "Most of you feel informed; those who do not mostly do not use email. The newsletter "
        "will carry the commitments tracker on paper from the spring edition.",
    ),
    (
        3,
        "Trust is earned slowly. This scorecard, with residents' ratings published beside "
        "ours, is one of the ways we are trying to earn it.",
        "",
        (7, 13, 20, 15, 5),
        "Thank you for taking part. We will ask the same questions next year so we can all "
        "see whether things have moved.",
    ),
]
OWN_CRITERION = (
    "The council tells residents what happened to the ideas they sent in",
    3,
    "Ideas sent in to the neighbourhood budget each got a reply saying whether they went "
    "to the vote and why.",
    "budgeting.ideas",
    "We will keep replying to every idea and publish the reasons on the budget's page.",
)
COMMENTS = {
    # (criterion number from 1, rater) -> (comment, show it?)
    (2, 3): ("Bins in Westgate were missed three times in October. Otherwise fine.", True),
    (2, 11): ("Libraries staying open matters a lot to us. Thank you for that.", True),
    (3, 5): ("Council tax keeps going up but the roads are no better.", True),
    (
        4,
        8,
    ): (
        "The High Street consultation was the first time I felt listened to.",
        True,
    ),
    (5, 14): ("I only found out about the budget vote from a neighbour.", True),
    (6, 2): ("The man at the Northfield depot, Gary, is rude to everyone.", False),
}
OPEN_CRITERIA = [
    "The council keeps parks and open spaces clean and safe",
    "The council answers residents' questions and complaints within its promised time",
    "The council's website and phone line make it easy to get things done",
]


def _officer() -> User | None:
    return User.objects.filter(email=OFFICER).first()


def _raters(council: Council) -> list[User]:
    raters = []
    for i in range(1, RATERS + 1):
        email = RATER_EMAIL.format(i)
        user = User.objects.filter(email=email).first()
        if user is None:  # never signs in: no usable password
            user = User.objects.create_user(email=email, password=None, name="")
        RoleAssignment.objects.get_or_create(user=user, council=council, role=Role.RESIDENT)
        raters.append(user)
    return raters


def _ratings(rng: random.Random, weights: tuple[int, ...], n: int) -> list[int]:
    return rng.choices(range(1, 6), weights=weights, k=n)


def _published(council: Council, officer: User, raters: list[User]) -> str:
    card = actions.create_scorecard(
        council, title=PUBLISHED[0], period=PUBLISHED[1], lga=True, by=officer
    )
    criteria = list(card.criteria.all())
    for criterion, (rating, evidence, figure, _w, _r) in zip(
        criteria, PUBLISHED_CRITERIA, strict=True
    ):
        criterion.council_rating, criterion.evidence, criterion.figure = rating, evidence, figure
        actions.save_criterion(criterion, by=officer)
    text, rating, evidence, figure, reply = OWN_CRITERION
    own = actions.save_criterion(
        Criterion(
            scorecard=card, text=text, council_rating=rating, evidence=evidence, figure=figure
        ),
        by=officer,
    )
    actions.open_scorecard(card, by=officer)
    rng = random.Random(2026)
    columns = [_ratings(rng, spec[3], len(raters)) for spec in PUBLISHED_CRITERIA]
    for i, person in enumerate(raters):
        given: dict[int, tuple[int | None, str]] = {
            c.pk: (columns[k][i], COMMENTS.get((k + 1, i), ("", True))[0])
            for k, c in enumerate(criteria)
        }
        if i < 3:  # only three rated the council's own criterion: too few to show
            given[own.pk] = (2 + i, "")
        actions.rate(person, card, given)
    actions.close_scorecard(card, by=officer)
    for (number, i), (_comment, show) in COMMENTS.items():
        found = ResidentRating.objects.get(criterion=criteria[number - 1], person=raters[i])
        actions.moderate_comment(found, show=show, reason="" if show else "personal", by=officer)
    for criterion, spec in zip(criteria, PUBLISHED_CRITERIA, strict=True):
        criterion.reply = spec[4]
        actions.save_criterion(criterion, by=officer)
    own.reply = reply
    actions.save_criterion(own, by=officer)
    actions.publish_scorecard(card, by=officer)
    return f"self-evaluation: {card.title} (published, {len(raters)} residents' ratings)"


def _open(council: Council, officer: User, raters: list[User]) -> str:
    card = actions.create_scorecard(council, title=OPEN[0], period=OPEN[1], lga=False, by=officer)
    for text in OPEN_CRITERIA:
        actions.save_criterion(Criterion(scorecard=card, text=text), by=officer)
    actions.open_scorecard(card, by=officer)
    rng = random.Random(2027)
    for person in raters[:8]:
        actions.rate(
            person,
            card,
            {c.pk: (rng.randint(2, 5), "") for c in card.criteria.all()},
        )
    return f"self-evaluation: {card.title} (open for ratings)"


def load(council: Council) -> list[str]:
    officer = _officer()
    if officer is None or council.slug != "exampleton":
        return []
    made = []
    have = set(Scorecard.objects.filter(council=council).values_list("title", flat=True))
    if PUBLISHED[0] not in have:
        made.append(_published(council, officer, _raters(council)))
    if OPEN[0] not in have:
        made.append(_open(council, officer, _raters(council)))
    return made
