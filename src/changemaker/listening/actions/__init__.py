"""Listening's writes, each an @action (one transaction and an audit event): follow and
notify (follows.py), the open self-evaluation (scorecards.py), "we asked, you said, we did"
pages (reports.py)."""

from changemaker.listening.actions.follows import (
    INVALID_LINK,
    ListeningError,
    announce_commitment_change,
    change_follow,
    dispatch,
    follow,
    mark_read,
    record_attempts,
    save_preferences,
    unfollow,
    unsubscribe,
)
from changemaker.listening.actions.reports import (
    DRAFTED,
    EDITED,
    draft_report,
    publish_report,
    redraft_report,
    save_report,
    unpublish_report,
)
from changemaker.listening.actions.scorecards import (
    close_scorecard,
    create_scorecard,
    moderate_comment,
    open_scorecard,
    publish_scorecard,
    rate,
    save_criterion,
)

__all__ = [
    "DRAFTED",
    "EDITED",
    "INVALID_LINK",
    "ListeningError",
    "announce_commitment_change",
    "change_follow",
    "close_scorecard",
    "create_scorecard",
    "dispatch",
    "draft_report",
    "follow",
    "mark_read",
    "moderate_comment",
    "open_scorecard",
    "publish_report",
    "publish_scorecard",
    "rate",
    "record_attempts",
    "redraft_report",
    "save_criterion",
    "save_preferences",
    "save_report",
    "unfollow",
    "unpublish_report",
    "unsubscribe",
]
