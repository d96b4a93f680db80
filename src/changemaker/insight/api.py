"""The shared view of need publishes no open data (decided for the open-data API, issue 19).

Everything it holds is personal data shared between services under data-sharing agreements
(benefits, social care, schools), read only by named roles for a stated purpose and audited.
Publishing even counts of need by ward is a decision for the council's information governance,
with its own disclosure control; until then nothing goes out. ``router`` is None, so core.api
adds nothing under ``/api/insight/``.
"""

from __future__ import annotations

from typing import Any

router: Any = None
