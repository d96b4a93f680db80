"""Every write in participatory budgeting, each an ``@action`` (one transaction and an audit
event): budgets and ideas (``ideas``), funded projects' commitments and their delivery
updates (``delivery``), voting (``ballots``), eligibility and the residents
register (``eligibility``), and .pb imports (``imports``). Views call these."""

from changemaker.budgeting.actions.ballots import (
    cast_ballot,
    issue_codes,
    record_unusable_paper,
    redeem_code,
    start_count,
)
from changemaker.budgeting.actions.delivery import commit_funded, post_delivery_update
from changemaker.budgeting.actions.eligibility import (
    check_eligibility,
    decide_manual_check,
    import_register,
    request_manual_check,
)
from changemaker.budgeting.actions.ideas import (
    close_early,
    create_process,
    edit_process,
    propose_from_evidence,
    publish_idea,
    remove_idea_image,
    review_idea,
    submit_idea,
    support_idea,
    translate_idea,
    withdraw_support,
)
from changemaker.budgeting.actions.imports import import_election, import_pabulib, start_import
from changemaker.budgeting.actions.notify import announce_results, announce_voting
from changemaker.budgeting.errors import ActionRefused, CountExists, NotOnRegister

__all__ = [
    "ActionRefused",
    "CountExists",
    "NotOnRegister",
    "announce_results",
    "announce_voting",
    "cast_ballot",
    "check_eligibility",
    "close_early",
    "commit_funded",
    "create_process",
    "decide_manual_check",
    "edit_process",
    "import_election",
    "import_pabulib",
    "import_register",
    "issue_codes",
    "post_delivery_update",
    "propose_from_evidence",
    "publish_idea",
    "record_unusable_paper",
    "redeem_code",
    "remove_idea_image",
    "request_manual_check",
    "review_idea",
    "start_count",
    "start_import",
    "submit_idea",
    "support_idea",
    "translate_idea",
    "withdraw_support",
]
