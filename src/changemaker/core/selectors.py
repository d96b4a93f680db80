"""Core's reads (writes are in actions.py)."""

from __future__ import annotations

import hashlib

from changemaker.core.models import Invitation


def token_hash(token: str) -> str:
    """How a token sent by email is stored: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def find_invitation(token: str) -> Invitation | None:
    """The open invitation this emailed token is for, or None."""
    invitation = (
        Invitation.objects.select_related("council").filter(token_hash=token_hash(token)).first()
    )
    return invitation if invitation is not None and invitation.is_open else None
