"""Exampleton's pilots (filled in below)."""

from __future__ import annotations

from changemaker.core.models import Council


def load(council: Council) -> list[str]:
    return []
