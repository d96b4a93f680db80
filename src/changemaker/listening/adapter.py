"""Database <-> delivery: the one place that knows the rows, the notice kinds' words and the
mail backend. Turns notifications into emails in each person's language, sends them outside
any transaction, then records each outcome through ``actions``.

Database <-> the stories' grouping engine (``engine/stories.py``): the stories' texts in, the
suggested groups out, stored as suggestions. scikit-learn is imported only when it runs."""

from __future__ import annotations

import email.policy
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.policy import Policy
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from changemaker.core.models import Council, Notice, User
from changemaker.core.registry import NOTICE_KINDS
from changemaker.listening import actions, selectors
from changemaker.listening.engine import How
from changemaker.listening.models import Notification, Preference, StoryCollection

log = logging.getLogger(__name__)
LONG_HEADERS = email.policy.default.clone(max_line_length=998)


class NoticeEmail(EmailMessage):
    """An email whose header lines are folded at RFC 5322's 998 characters, not 78: Python's
    email package would otherwise write the long List-Unsubscribe link as encoded words
    (=?utf-8?q?...?=), which mail programs do not read as a link (RFC 2369)."""

    def message(self, *, policy: Policy | None = None) -> Any:
        return super().message(policy=policy or LONG_HEADERS)


@dataclass(frozen=True)
class Words:
    subject: str
    body: str
    url: str


def site_url(council: Council) -> str:
    if council.domain:
        return f"https://{council.domain}"
    return str(settings.CHANGEMAKER_SITE_URL).rstrip("/")


def words(notice: Notice) -> Words | None:
    """A notice in the active language (None: its kind is no longer declared)."""
    kind = NOTICE_KINDS.get(notice.kind)
    if kind is None:
        return None
    return Words(
        subject=str(kind.subject(notice.params)),
        body=str(kind.body(notice.params)),
        url=site_url(notice.council) + kind.url(notice.params),
    )


def unsubscribe_url(council: Council, preference: Preference) -> str:
    token = selectors.unsubscribe_token(preference)
    return site_url(council) + reverse("listening:unsubscribe", args=[token])


def _message(
    user: User, council: Council, items: Sequence[Words], *, digest: str = ""
) -> EmailMessage:
    preference = Preference.objects.get(user=user)  # made when its notice was handed on
    unsubscribe = unsubscribe_url(council, preference)
    with translation.override(preference.language):
        context = {
            "council": council,
            "items": items,
            "digest": digest,
            "unsubscribe": unsubscribe,
            "settings_url": site_url(council) + reverse("listening:preferences"),
        }
        subject = render_to_string("listening/email/subject.txt", context).strip()
        body = render_to_string("listening/email/body.txt", context)
    return NoticeEmail(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _send(message: EmailMessage) -> str:
    """Send one email; "" when it went, else the error's kind (no address, no content)."""
    try:
        mailers.default.send_messages([message])
    except Exception as exc:  # any backend's failure: tried again later
        log.warning("A notification email could not be sent (%s)", type(exc).__name__)
        return type(exc).__name__
    return ""


def _in_language(user: User, notice: Notice) -> Words | None:
    preference = Preference.objects.filter(user=user).first()
    language = preference.language if preference else settings.LANGUAGE_CODE
    with translation.override(language):
        return words(notice)


def send_due(now: datetime | None = None) -> dict[str, int]:
    """Email every notification due at once now; failures wait for their next try."""
    now = now or timezone.now()
    sent: list[Notification] = []
    failed: dict[Notification, str] = {}
    for notification in selectors.due_now(now):
        found = _in_language(notification.user, notification.notice)
        if found is None:
            failed[notification] = "UnknownNoticeKind"
            continue
        council = notification.notice.council
        error = _send(_message(notification.user, council, [found]))
        if error:
            failed[notification] = error
        else:
            sent.append(notification)
    return actions.record_attempts(sent, failed, when=now)


def send_digests(how: How, now: datetime | None = None) -> dict[str, int]:
    """One email per person gathering every notification waiting for this digest."""
    now = now or timezone.now()
    sent: list[Notification] = []
    failed: dict[Notification, str] = {}
    for user, batch in selectors.digest_batches(how, now):
        items = [w for w in (_in_language(user, n.notice) for n in batch) if w is not None]
        if not items:
            continue
        council = batch[0].notice.council
        error = _send(_message(user, council, items, digest=how.value))
        if error:
            failed.update({n: error for n in batch})
        else:
            sent.extend(batch)
    return actions.record_attempts(sent, failed, when=now, digest=how.value)


def dispatch_waiting() -> dict[str, int]:
    """Hand every waiting notice on to the people it concerns, one transaction each."""
    notices = selectors.waiting_notices()
    people = sum(actions.dispatch(notice) for notice in notices)
    return {"notices": len(notices), "people": people}


# Stories <-> the grouping engine -------------------------------------------------------------


def suggest_groupings(collection: StoryCollection) -> dict[str, int]:
    """Read the collection's stories, run the grouping engine (outside any transaction), then
    store its suggestions in place of the unanswered ones (``actions.save_suggestions``)."""
    from changemaker.listening.engine.stories import suggest

    rows = selectors.grouping_texts(collection)
    groups = suggest([text for _pk, text in rows])
    made = actions.save_suggestions(
        collection, [(g.label, [rows[i][0] for i in g.members]) for g in groups]
    )
    grouped = sum(len(g.members) for g in groups)
    return {"stories": len(rows), "groups": made, "grouped": grouped}
