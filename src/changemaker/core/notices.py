"""Publishing notices: what capabilities call, inside their actions, when something happened
that people may want to hear about ("your idea was checked", "results are out").

    publish("pilots.result_out", council=pilot.council, subjects=[subject_key(pilot)],
            recipients=[pilot.lead_id], pilot=pilot.pk, title=pilot.title)

The notice is written in the caller's transaction (so it exists only if the action did), and
once that commits, the capability that delivers notices is told (``Capability.on_notices``).
Core knows nothing of followers, preferences or email.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.urls import reverse

from changemaker.core.models import Council, Notice, Ward
from changemaker.core.registry import NOTICE_KINDS, NOTICE_LISTENERS, SUBJECT_NAMERS

WARD = "ward"


def subject_key(obj: models.Model) -> str:
    """The followable key of a row: "app.model:id" (a ward: "ward:id")."""
    if isinstance(obj, Ward):
        return f"{WARD}:{obj.pk}"
    return f"{obj._meta.label_lower}:{obj.pk}"


def publish(
    kind: str,
    *,
    council: Council,
    subjects: Iterable[str] = (),
    recipients: Iterable[int | None] = (),
    key: str = "",
    **params: Any,
) -> Notice:
    """Write a notice in the current transaction. ``recipients`` are user ids (None is left
    out); ``params`` hold what its words need and nothing personal beyond what every
    recipient and follower may see. With ``key``, a notice is published once per council."""
    if kind not in NOTICE_KINDS:
        raise ValueError(f"Unknown notice kind {kind!r}: declare it in Capability.notices")
    if key:
        existing = Notice.objects.filter(council=council, key=key).first()
        if existing is not None:
            return existing
    notice = Notice.objects.create(
        council=council,
        kind=kind,
        subjects=sorted(set(subjects)),
        recipients=sorted({r for r in recipients if r is not None}),
        params=params,
        key=key,
    )
    for listener in NOTICE_LISTENERS:
        transaction.on_commit(listener)
    return notice


def describe_subject(council: Council, key: str) -> tuple[str, str] | None:
    """A followable subject's title and page, or None if it names nothing public."""
    label, _sep, ident = key.partition(":")
    if not ident.isdigit():
        return None
    if label == WARD:
        ward = Ward.objects.filter(council=council, pk=int(ident)).first()
        return None if ward is None else (ward.name, reverse("core:home"))
    namer = SUBJECT_NAMERS.get(label.partition(".")[0])
    return None if namer is None else namer(council, key)
