"""Listening publishes no open data yet (the open-data API, issue 19).

What it holds so far is personal: who follows what and the notifications people were sent.
Commitments, "you said, we did" pages and scorecards will publish here when they arrive.
``router`` is None, so core.api adds nothing under ``/api/listening/``.
"""

from __future__ import annotations

from typing import Any

router: Any = None
