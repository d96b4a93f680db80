"""Pure-Python engine of the evidence capability: analyse pilots honestly and rate them.

No Django here: enforced by tests/test_architecture.py.

``analyse(table, design=DiD(unit=..., time=..., treated=...), outcome=...)`` returns a typed
:class:`Result` (estimate, uncertainty, pre-trend, event study, suggested Maryland SMS level
with reasons); ``pool(estimates, ses, method="reml")`` a random-effects :class:`Pooled`;
``minimum_detectable_effect(...)`` what a planned pilot could detect.
"""

from .analyse import analyse
from .errors import EvidenceError, InputError, Problem
from .meta import pool, pool_table
from .model import (
    AB,
    BeforeAfter,
    DiD,
    DiD2x2,
    EventTime,
    GroupTime,
    Pooled,
    Pretrend,
    Result,
    Staggered,
)
from .power import Detectable, minimum_detectable_effect
from .rating import sms_level
from .table import Table, read_table

__all__ = [
    "AB",
    "BeforeAfter",
    "Detectable",
    "DiD",
    "DiD2x2",
    "EventTime",
    "EvidenceError",
    "GroupTime",
    "InputError",
    "Pooled",
    "Pretrend",
    "Problem",
    "Result",
    "Staggered",
    "Table",
    "analyse",
    "minimum_detectable_effect",
    "pool",
    "pool_table",
    "read_table",
    "sms_level",
]
