"""Community support publishes no open data (decided for the open-data API, issue 19).

Its records are about residents who asked for help (often older or vulnerable people) and the
volunteers who help them. Even counts of requests by ward are not published: no public page
shows them, a small ward's few requests could point to a household, and the figures are for
coordinators running the service. ``router`` is None, so core.api adds nothing under
``/api/support/``.
"""

from __future__ import annotations

from typing import Any

router: Any = None
