"""How long each step of a linkage run took, for its report (the CLI's and the web app's)."""

from __future__ import annotations

import time


class Laps:
    """Seconds each step took, in the order the steps ran: ``lap(name)`` ends a step."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.timings[name] = round(now - self._last, 3)
        self._last = now
