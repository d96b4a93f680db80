"""What consultations make from other capabilities' things (``core.registry.ProposalSink``):
a seed statement in an open consultation (a theme of residents' stories, as a statement people
vote on). Registered from apps.py."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.consultations import actions, selectors
from changemaker.consultations.errors import ConsultationError
from changemaker.core.models import Council, User
from changemaker.core.registry import Evidence, ProposalRefused, ProposalSink


def targets(council: Council) -> list[tuple[str, str]]:
    return [(str(c.pk), c.question) for c in selectors.open_consultations(council)]


def make(council: Council, key: str, *, by: User, title: str, text: str, evidence: Evidence) -> str:
    """The statement is ``title`` (the short form: one sentence people agree or disagree
    with)."""
    found = (
        selectors.open_consultations(council).filter(pk=int(key) if key.isdigit() else 0).first()
    )
    if found is None:
        raise ProposalRefused(_("Choose a consultation that is open."))
    try:
        actions.add_seed_statement(
            found, by=by, text=title, source=evidence.source, count=evidence.count
        )
    except ConsultationError as exc:
        raise ProposalRefused(str(exc)) from exc
    return reverse("consultations:take-part", args=[found.slug])


STATEMENT = ProposalSink(gettext_lazy("a consultation statement"), targets, make)
