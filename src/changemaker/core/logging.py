"""A logging filter that keeps personal data out of the logs."""

from __future__ import annotations

import ipaddress
import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
NINO = re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
PHONE = re.compile(r"(?<!\d)(?:\+44\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
QUERY = re.compile(r"\?\S*")
# candidates only: replaced when ipaddress reads them as an address (not "12:30:45")
IP_CANDIDATE = re.compile(
    r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)(?![\w:]|\.\d)"
)


def _ip(match: re.Match[str]) -> str:
    try:
        ipaddress.ip_address(match.group(0))
    except ValueError:
        return match.group(0)
    return "[ip]"


def redact(text: str) -> str:
    for pattern, label in (
        (EMAIL, "[email]"),
        (NINO, "[nino]"),
        (POSTCODE, "[postcode]"),
        (PHONE, "[phone]"),
        (QUERY, "?[query]"),
    ):
        text = pattern.sub(label, text)
    return IP_CANDIDATE.sub(_ip, text)  # an address names a household (django-axes logs them)


class RedactPersonalData(logging.Filter):
    """Rewrites the message, and the traceback of a logged exception (an exception's text can
    carry a value: a ValueError quoting an email), before any handler formats them."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
