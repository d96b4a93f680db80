"""What each capability shows in the staff area. Capabilities register here from their
AppConfig.ready, so core never imports them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from changemaker.core.models import Council


@dataclass(frozen=True)
class Workspace:
    permission: str
    title: Any  # a lazy translation
    description: Any
    links: Callable[[Council], list[tuple[str, str]]]  # (label, url) for this council


WORKSPACES: list[Workspace] = []


def register(workspace: Workspace) -> None:
    if all(w.permission != workspace.permission for w in WORKSPACES):
        WORKSPACES.append(workspace)
