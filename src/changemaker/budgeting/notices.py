"""What participatory budgeting tells people (``core.notices``): an idea was checked, voting
opens, a ballot was received (a receipt, never its choices), results are out. Words are made at
send time in the reader's language, from params that hold nothing personal beyond what their
reader may see. Published from ``actions`` (``actions/notify.py``);
``selectors.describe_subject`` names what can be followed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.core.bilingual import text
from changemaker.core.dates import moment
from changemaker.core.registry import NoticeKind

IDEA_CHECKED = "budgeting.idea_checked"
VOTING_OPENS = "budgeting.voting_opens"
BALLOT_RECEIVED = "budgeting.ballot_received"
RESULTS_PUBLISHED = "budgeting.results_published"

#: why an officer did not publish an idea (the choices of the publishing form): the words are
#: the app's, so the author reads them in their own language
WITHHELD_REASONS = {
    "personal": gettext_lazy("It includes personal details about someone."),
    "offensive": gettext_lazy("It includes words or a picture that could offend people."),
    "consent": gettext_lazy("Its picture shows people who may not have agreed to it."),
    "rules": gettext_lazy("It does not keep to the rules for ideas."),
}


def voting_key(process: models.Model) -> str:
    """The key that makes "voting opens" a notice published once per budget."""
    return f"{VOTING_OPENS}:{process.pk}"


def results_key(process: models.Model) -> str:
    return f"{RESULTS_PUBLISHED}:{process.pk}"


def _when(iso: str) -> str:
    """A stored moment ("2026-05-01T09:00:00+00:00") in the reader's words and local time."""
    return moment(datetime.fromisoformat(iso))


def _idea_url(p: Mapping[str, Any]) -> str:
    code = p.get("merged_code") or p["code"]
    return reverse("budgeting:idea", args=[p["slug"], code])


def _idea_subject(p: Mapping[str, Any]) -> str:
    words = {
        "shortlisted": _("Your idea is on the ballot: %(title)s"),
        "rejected": _("Your idea is not going ahead: %(title)s"),
        "merged": _("Your idea has been joined with a similar one: %(title)s"),
        "published": _("Your idea is published: %(title)s"),
        "withheld": _("Your idea has not been published: %(title)s"),
    }.get(p["step"], _("Your idea has been checked: %(title)s"))
    return words % {"title": text(p, "title")}


def _idea_body(p: Mapping[str, Any]) -> str:
    step, names = p["step"], {"title": text(p, "title"), "budget": text(p, "budget")}
    if step == "shortlisted":
        return (
            _(
                "The idea “%(title)s” in %(budget)s has been checked and is on the ballot. "
                "Residents can vote for it when voting opens."
            )
            % names
        )
    if step == "rejected":
        return _(
            "The idea “%(title)s” in %(budget)s has been checked and is not going ahead. "
            "The reason given: %(reason)s"
        ) % {**names, "reason": p["reason"]}
    if step == "merged":
        return _(
            "The idea “%(title)s” in %(budget)s has been joined with a similar idea, "
            "“%(other)s”. The reason given: %(reason)s"
        ) % {**names, "other": text(p, "merged_title"), "reason": p["reason"]}
    if step == "published":
        return _("The idea “%(title)s” in %(budget)s has been checked and is now published.") % (
            names
        )
    reason = WITHHELD_REASONS.get(p.get("reason", ""), WITHHELD_REASONS["rules"])
    return _(
        "Your idea “%(title)s” in %(budget)s has been checked and will not be published. "
        "The reason: %(reason)s Only you and council officers can see it."
    ) % {**names, "reason": reason}


def _voting_body(p: Mapping[str, Any]) -> str:
    return _(
        "Voting has opened in %(budget)s. Choose the ideas you want funded before %(until)s."
    ) % {"budget": text(p, "budget"), "until": _when(p["until"])}


def _receipt_body(p: Mapping[str, Any]) -> str:
    return _(
        "We received your ballot in %(budget)s (%(heading)s) at %(when)s. Your receipt "
        "reference is %(reference)s. Quote it if you contact the council about your vote. "
        "This message does not say how you voted. If you did not vote, contact the council."
    ) % {
        "budget": text(p, "budget"),
        "heading": text(p, "heading"),
        "when": _when(p["when"]),
        "reference": p["reference"],
    }


def _results_subject(p: Mapping[str, Any]) -> str:
    if "funded" not in p:
        return _("Results are out: %(budget)s") % {"budget": text(p, "budget")}
    if p["funded"]:
        return _("Your idea will be funded: %(title)s") % {"title": text(p, "title")}
    return _("Your idea was not funded: %(title)s") % {"title": text(p, "title")}


def _results_body(p: Mapping[str, Any]) -> str:
    if "funded" not in p:
        return _("The votes in %(budget)s have been counted. See which ideas will be funded.") % {
            "budget": text(p, "budget")
        }
    if p["funded"]:
        return _(
            "The votes in %(budget)s have been counted and the idea “%(title)s” will be "
            "funded. Follow its delivery on its page."
        ) % {"budget": text(p, "budget"), "title": text(p, "title")}
    return _(
        "The votes in %(budget)s have been counted and the idea “%(title)s” was not funded "
        "this time. The results page explains why."
    ) % {"budget": text(p, "budget"), "title": text(p, "title")}


KINDS = {
    IDEA_CHECKED: NoticeKind(
        label=gettext_lazy("Ideas you shared in a budget being checked"),
        subject=_idea_subject,
        body=_idea_body,
        url=_idea_url,
    ),
    VOTING_OPENS: NoticeKind(
        label=gettext_lazy("Voting opening in budgets you follow"),
        subject=lambda p: _("Voting is open: %(budget)s") % {"budget": text(p, "budget")},
        body=_voting_body,
        url=lambda p: reverse("budgeting:detail", args=[p["slug"]]),
        direct=False,
    ),
    BALLOT_RECEIVED: NoticeKind(
        label=gettext_lazy("Receipts for your ballots"),
        subject=lambda p: _("We received your ballot: %(budget)s") % {"budget": text(p, "budget")},
        body=_receipt_body,
        url=lambda p: reverse("budgeting:detail", args=[p["slug"]]),
    ),
    RESULTS_PUBLISHED: NoticeKind(
        label=gettext_lazy("Results of budgets you voted in or shared ideas for"),
        subject=_results_subject,
        body=_results_body,
        url=lambda p: reverse("budgeting:results", args=[p["slug"]]),
    ),
}
