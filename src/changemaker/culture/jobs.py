"""The culture survey's background jobs: a closed wave's report (the engine's disclosure
control can take more than a moment on a large organisation) and sending the survey links
(a staff list of thousands, through a mail server that may refuse for a while)."""

from __future__ import annotations

import secrets
import smtplib
import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from changemaker.core import bilingual
from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job
from changemaker.core.selectors import token_hash
from changemaker.culture import actions, adapter
from changemaker.culture.models import Wave

#: Links sent, then kept (invitations and progress) in one transaction: if the worker dies,
#: the job starts again after the last kept batch (its people may get a second, working link).
BATCH = 100
#: Seconds to wait before each new try of a message the mail server did not take for now
#: (disconnected, busy, 4xx): three more tries, then the job stops and says where.
RETRY_PAUSES: Sequence[float] = (5, 30, 120)


def describe_report(result: dict[str, Any]) -> list[str]:
    cells, published = int(result.get("cells", 0)), int(result.get("published", 0))
    return [
        _(
            "%(published)s of %(cells)s results are shown; the others are hidden to protect "
            "groups smaller than the minimum."
        )
        % {"published": published, "cells": cells}
    ]


# It writes only in its one final transaction: safe to run again if its worker died.
@register("culture.report", retry_when_lost=True, describe=describe_report)
def report(job: Job) -> dict[str, Any]:
    wave = Wave.objects.select_related("survey__council").get(pk=job.params["wave"])
    job.report(0, total=1, message="Scoring and hiding small groups")
    stored = adapter.compute_and_store(wave)
    job.report(1, total=1, message="Done")
    cells = stored.data["cells"]
    return {
        "cells": len(cells),
        "published": sum(1 for c in cells if not c["suppressed"]),
        "link": reverse("culture:results", args=[wave.pk]),
    }


def _lines(lines: Sequence[int]) -> str:
    return ", ".join(str(n) for n in lines)


def describe_invite(result: dict[str, Any]) -> list[str]:
    if "sent" not in result:  # still sending: the progress says how far
        return []
    sent, refused = int(result.get("sent", 0)), list(result.get("refused", []))
    said = [
        ngettext("%(n)s person was sent their link.", "%(n)s people were sent their link.", sent)
        % {"n": sent}
    ]
    if refused:
        said.append(
            _(
                "The mail server refused the addresses on these lines of %(file)s: %(lines)s. "
                "Check them, then upload a list of those people only."
            )
            % {"file": result.get("source", ""), "lines": _lines(refused)}
        )
    return said


def _delete_list(job: Job) -> None:
    """The staff list is deleted whatever happens. Idempotent."""
    name = job.params.get("file")
    if name and storages["private"].exists(name):
        storages["private"].delete(name)


def _permanent(exc: Exception) -> bool:
    """A refusal that another try will not change (5xx for this message or recipient)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _send(connection: BaseEmailBackend, message: EmailMessage) -> bool:
    """Send one message, trying again after each pause while the server refuses for now.
    False if it refused this message for good; raises the last error if it never took it."""
    for pause in (*RETRY_PAUSES, None):
        try:
            connection.send_messages([message])
            return True
        except (smtplib.SMTPException, OSError) as exc:
            if _permanent(exc):
                return False
            if pause is None:
                raise
            connection.close()  # a fresh connection for the next try
            time.sleep(pause)
    return False  # pragma: no cover (the loop returns or raises)


#: One person of the staff list: its line, address, unit code and language ("" not known).
Row = tuple[int, str, str, str]


def _read_list(job: Job) -> list[Row]:
    try:
        with storages["private"].open(job.params["file"], "rb") as f:
            text = f.read().decode()
    except FileNotFoundError as exc:
        raise JobFailed(_("The staff list is no longer there. Upload it again.")) from exc
    rows = []
    for row in text.splitlines():
        line, email, unit, *language = row.split(",")  # lists kept before languages: 3 fields
        rows.append((int(line), email, unit, "".join(language)))
    return rows


def _words(wave: Wave, link: str, language: str) -> tuple[str, str]:
    """The invitation's subject and body in one language, the wave's words in it too."""
    with translation.override(language):
        context = {
            "wave": wave,
            "wave_name": bilingual.text(wave, "name"),
            "council": wave.survey.council,
            "link": link,
        }
        subject = render_to_string("culture/email/invite_subject.txt", context).strip()
        return subject, render_to_string("culture/email/invite.txt", context)


def _english_below() -> str:
    """The first line of a message in both languages, said in both."""
    said = []
    for code in (bilingual.WELSH, settings.LANGUAGE_CODE):
        with translation.override(code):
            said.append(_("The English is below."))
    return " ".join(said)


def _message(wave: Wave, site: str, email: str, language: str) -> tuple[EmailMessage, str]:
    """The invitation to one person in their language, or in Welsh and English when it is not
    known (as Welsh public bodies write: the Welsh first), and its token's hash (the token
    itself is not kept)."""
    token = secrets.token_urlsafe(32)
    link = site.rstrip("/") + reverse("culture:take-start", args=[token])
    english = settings.LANGUAGE_CODE
    if language:
        subject, body = _words(wave, link, bilingual.WELSH if language == "cy" else english)
    else:
        subject_cy, body_cy = _words(wave, link, bilingual.WELSH)
        subject_en, body_en = _words(wave, link, english)
        subject = f"{subject_cy} / {subject_en}"
        body = f"{_english_below()}\n\n{body_cy}\n{'-' * 40}\n\n{body_en}"
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email]), token_hash(token)


def _stopped(rows: list[Row], n: int, refused: list[int], source: str) -> str:
    said = _(
        "The mail server stopped taking messages: %(sent)s of %(total)s links were sent. "
        "Upload a list of the people from line %(line)s of %(file)s on."
    ) % {"sent": n - len(refused), "total": len(rows), "line": rows[n][0], "file": source}
    if refused:
        said += " " + describe_invite({"sent": 0, "refused": refused, "source": source})[1]
    return said


# Each batch is kept with the progress: a job run again after a lost worker carries on.
@register("culture.invite", retry_when_lost=True, on_failed=_delete_list, describe=describe_invite)
def invite(job: Job) -> dict[str, Any]:
    """Send each person on the staff list their link, a batch at a time; keep the invitations
    of the messages the server took. Refused addresses are reported by line, never by
    address; if the server stops taking messages, the job stops and says where."""
    wave = Wave.objects.select_related("survey__council").get(pk=job.params["wave"])
    rows = _read_list(job)
    source, refused = job.params.get("source", ""), list(job.result.get("refused", []))
    job.report(job.done, total=len(rows), message="Sending the links")
    with mailers.default as connection:
        for first in range(job.done, len(rows), BATCH):
            if not Wave.objects.filter(pk=wave.pk, status=Wave.Status.OPEN).exists():
                raise JobFailed(_("The wave was closed before every link was sent."))
            batch = rows[first : first + BATCH]
            sent: list[tuple[str, str]] = []
            for n, (line, email, unit, language) in enumerate(batch, start=first):
                message, digest = _message(wave, job.params["site"], email, language)
                try:
                    took = _send(connection, message)
                except (smtplib.SMTPException, OSError) as exc:
                    actions.record_invitations(wave, sent, refused, job=job, done=n)
                    raise JobFailed(_stopped(rows, n, refused, source)) from exc
                if took:
                    sent.append((unit, digest))
                else:
                    refused.append(line)
            actions.record_invitations(wave, sent, refused, job=job, done=first + len(batch))
    _delete_list(job)
    return {
        "sent": len(rows) - len(refused),
        "refused": refused,
        "source": source,
        "link": reverse("culture:wave", args=[wave.pk]),
    }
