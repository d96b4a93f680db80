"""Every write in community support. Views, jobs and commands call these; each is an
``@action`` (one transaction, and an audit event: ids and kinds only, never personal data).
Reads are in selectors.py. One module per concern; every public name is here.
"""

from changemaker.support.actions.matches import (
    complete_match,
    confirm_match,
    message_coordinator,
    respond_to_match,
    store_proposals,
    withdraw_match,
)
from changemaker.support.actions.postcodes import import_postcodes
from changemaker.support.actions.requests import (
    anonymise_closed_requests,
    cancel_request,
    submit_help_request,
    triage_request,
)
from changemaker.support.actions.safeguarding import close_concern, raise_concern
from changemaker.support.actions.volunteers import (
    ALLOWED_MOVES,
    change_volunteer_status,
    record_training,
    record_vetting,
    send_vetting_reminders,
    sign_up_volunteer,
)
from changemaker.support.errors import SupportError

__all__ = [
    "ALLOWED_MOVES",
    "SupportError",
    "anonymise_closed_requests",
    "cancel_request",
    "change_volunteer_status",
    "close_concern",
    "complete_match",
    "confirm_match",
    "import_postcodes",
    "message_coordinator",
    "raise_concern",
    "record_training",
    "record_vetting",
    "respond_to_match",
    "send_vetting_reminders",
    "sign_up_volunteer",
    "store_proposals",
    "submit_help_request",
    "triage_request",
    "withdraw_match",
]
