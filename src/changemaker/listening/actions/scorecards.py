"""The open self-evaluation's writes: cycles, criteria, residents' ratings, moderation,
publishing. Audited without ratings or comments."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.figures import freeze, live_figures
from changemaker.core.models import Council, User
from changemaker.listening import criteria_bank, selectors
from changemaker.listening.actions.follows import ListeningError
from changemaker.listening.models import (
    Criterion,
    ResidentRating,
    Scorecard,
)

# Open self-evaluation -------------------------------------------------------------------------


def _moved(card: Scorecard, to: str, by: User, *, figures: int = 0) -> Scorecard:
    card.status = to
    stamp = {
        Scorecard.Status.OPEN: "opened_at",
        Scorecard.Status.CLOSED: "closed_at",
        Scorecard.Status.PUBLISHED: "published_at",
    }[Scorecard.Status(to)]
    setattr(card, stamp, timezone.now())
    card.save(update_fields=["status", stamp, "figures"])
    audit.record(
        f"listening.scorecard_{to}", actor=by, council=card.council, obj=card, figures=figures
    )
    return card


def _require(card: Scorecard, status: str, message: str) -> None:
    if card.status != status:
        raise ListeningError(message)


@action("listening.scorecard_created")
def create_scorecard(
    council: Council, *, title: str, title_cy: str = "", period: str, lga: bool, by: User
) -> Scorecard:
    """A new cycle in draft: a blank sheet, or the LGA's resident-satisfaction questions."""
    card = Scorecard.objects.create(
        council=council,
        slug=selectors.slug_for_scorecard(council, title),
        title=title,
        title_cy=title_cy,
        period=period,
    )
    if lga:
        Criterion.objects.bulk_create(
            Criterion(scorecard=card, text=text, source=Criterion.Source.LGA, order=i)
            for i, text in enumerate(criteria_bank.lga_questions(council.name), start=1)
        )
    audit.record(
        "listening.scorecard_created",
        actor=by,
        council=council,
        obj=card,
        lga=lga,
        criteria=card.criteria.count(),
    )
    return card


@action("listening.criterion_saved")
def save_criterion(criterion: Criterion, *, by: User) -> Criterion:
    """Add or change a criterion. Its words change only in a draft (residents rate the words
    they were shown); the council's rating, evidence, figure and reply until publication."""
    card = criterion.scorecard
    if card.status == Scorecard.Status.PUBLISHED:
        raise ListeningError(_("This self-evaluation is published: it can no longer change."))
    if card.status != Scorecard.Status.DRAFT:
        before = Criterion.objects.filter(pk=criterion.pk).values("text", "text_cy").first()
        if before is None or before != {"text": criterion.text, "text_cy": criterion.text_cy}:
            raise ListeningError(
                _("Residents have been asked to rate these words: they cannot change now.")
            )
    if criterion.pk is None:
        last = card.criteria.order_by("-order").values_list("order", flat=True).first()
        criterion.order = (last or 0) + 1
    criterion.save()
    audit.record(
        "listening.criterion_saved",
        actor=by,
        council=card.council,
        obj=criterion,
        status=card.status,
    )
    return criterion


@action("listening.scorecard_open")
def open_scorecard(card: Scorecard, *, by: User) -> Scorecard:
    _require(card, Scorecard.Status.DRAFT, _("Only a draft can be opened for ratings."))
    if not card.criteria.exists():
        raise ListeningError(_("Add at least one criterion before opening it for ratings."))
    return _moved(card, Scorecard.Status.OPEN, by)


@action("listening.scorecard_closed")
def close_scorecard(card: Scorecard, *, by: User) -> Scorecard:
    _require(card, Scorecard.Status.OPEN, _("Only a self-evaluation open for ratings can close."))
    return _moved(card, Scorecard.Status.CLOSED, by)


@action("listening.scorecard_published")
def publish_scorecard(card: Scorecard, *, by: User) -> Scorecard:
    """Publish a closed cycle, freezing its live figures as they stand now: their values and
    facts, so each reader reads them in their own language (core.figures.thaw)."""
    _require(card, Scorecard.Status.CLOSED, _("Close ratings before publishing."))
    if card.criteria.filter(council_rating__isnull=True).exists():
        raise ListeningError(_("Give the council's rating for every criterion before publishing."))
    waiting = selectors.comments_to_moderate(card).filter(
        moderation=ResidentRating.Moderation.WAITING
    )
    if waiting.exists():
        raise ListeningError(_("Check every comment (show or hide it) before publishing."))
    card.figures = freeze(live_figures(card.council))
    return _moved(card, Scorecard.Status.PUBLISHED, by, figures=len(card.figures))


@action("listening.rated")
def rate(
    person: User, card: Scorecard, given: Mapping[int, tuple[int | None, str]]
) -> dict[str, int]:
    """A resident's ratings of the cycle's criteria (criterion -> rating or None, comment),
    once per criterion: again while ratings are open changes them (None takes one back). A
    changed comment waits to be checked again."""
    card = Scorecard.objects.select_for_update().get(pk=card.pk)
    if card.status != Scorecard.Status.OPEN:
        raise ListeningError(_("This self-evaluation is not open for ratings any more."))
    mine = selectors.own_ratings(person, card)
    now = timezone.now()
    counts = {"rated": 0, "changed": 0, "removed": 0}
    for criterion in card.criteria.filter(pk__in=list(given)):
        value, comment = given[criterion.pk]
        comment = comment.strip()
        found = mine.get(criterion.pk)
        if value is None:
            if found is not None:
                found.delete()
                counts["removed"] += 1
            continue
        if found is None:
            found = ResidentRating(criterion=criterion, person=person, created_at=now)
            counts["rated"] += 1
        elif (found.rating, found.comment) == (value, comment):
            continue
        else:
            counts["changed"] += 1
        if comment != found.comment or found.pk is None:
            found.moderation = (
                ResidentRating.Moderation.WAITING if comment else ResidentRating.Moderation.SHOWN
            )
            found.moderation_reason = ""
        found.rating, found.comment, found.updated_at = value, comment, now
        found.save()
    audit.record(
        "listening.rated",
        actor=person,
        council=card.council,
        obj=card,
        rated=counts["rated"],
        changed=counts["changed"],
        removed=counts["removed"],
    )
    return counts


@action("listening.comment_moderated")
def moderate_comment(rating: ResidentRating, *, show: bool, reason: str = "", by: User) -> None:
    """Show a comment, or hide it with a reason (its rating still counts)."""
    if not show and reason not in selectors.HIDE_REASONS:
        raise ListeningError(_("Choose why you are hiding this comment"))
    rating.moderation = (
        ResidentRating.Moderation.SHOWN if show else ResidentRating.Moderation.HIDDEN
    )
    rating.moderation_reason = "" if show else reason
    rating.save(update_fields=["moderation", "moderation_reason"])
    card = rating.criterion.scorecard
    audit.record(
        "listening.comment_moderated",
        actor=by,
        council=card.council,
        obj=rating,
        reason=rating.moderation_reason,
        shown=show,
        scorecard=card.pk,
    )
