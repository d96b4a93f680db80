"""Exampleton's open self-evaluation (demo_scorecards.py), and its follow and notify: the demo
resident follows a consultation whose results are out and their ward (weekly), and the
notices the other demos published are handed on and sent (under dev settings the emails are
files in var/mail/). Idempotent."""

from __future__ import annotations

from changemaker.core.models import Council, Notice, User, Ward
from changemaker.core.notices import describe_subject, subject_key
from changemaker.listening import actions, adapter, demo_scorecards
from changemaker.listening.engine import How
from changemaker.listening.models import Follow

RESIDENT = "resident@exampleton.example"


def load(council: Council) -> list[str]:
    made = demo_scorecards.load(council)
    resident = User.objects.filter(email=RESIDENT).first()
    if resident is None:
        return made
    if not Follow.objects.filter(user=resident, council=council).exists():
        made += _follows(council, resident)
    handed = adapter.dispatch_waiting()
    sent = adapter.send_due()
    if handed["notices"] or sent["sent"]:
        made.append(
            f"notifications: {handed['notices']} notices handed on, {sent['sent']} emails sent"
        )
    return made


def _follows(council: Council, resident: User) -> list[str]:
    made = []
    subjects = {
        key
        for subjects in Notice.objects.filter(council=council).values_list("subjects", flat=True)
        for key in subjects
        if describe_subject(council, key) is not None
    }
    for key in sorted(subjects)[:3]:
        actions.follow(resident, council, key, how=How.AT_ONCE)
        made.append("follow: the demo resident follows a subject")
    ward = Ward.objects.filter(council=council).order_by("name").first()
    if ward is not None:
        actions.follow(resident, council, subject_key(ward), how=How.WEEKLY)
        made.append("follow: the demo resident follows a ward (weekly)")
    return made
