"""Pure rules of delivery: how someone hears (the most immediate of their choices), when a
failed email is tried again, and how often digests go. No Django."""

from .delivery import (
    BACKOFF_BASE,
    BACKOFF_FACTOR,
    MAX_ATTEMPTS,
    PERIOD,
    How,
    backoff,
    retry_schedule,
    soonest,
)

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_FACTOR",
    "MAX_ATTEMPTS",
    "PERIOD",
    "How",
    "backoff",
    "retry_schedule",
    "soonest",
]
