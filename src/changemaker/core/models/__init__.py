"""What every capability shares: councils and wards, people and roles, audit, jobs."""

from .accounts import EnrolmentLink, Invitation, Role, RoleAssignment, User
from .audit import AuditEvent
from .commitments import Commitment, CommitmentUpdate, Milestone
from .councils import Council, CouncilDomain, Ward
from .jobs import Job
from .notices import Notice
from .throttle import ThrottleCount

__all__ = [
    "AuditEvent",
    "Commitment",
    "CommitmentUpdate",
    "Council",
    "CouncilDomain",
    "EnrolmentLink",
    "Invitation",
    "Job",
    "Milestone",
    "Notice",
    "Role",
    "RoleAssignment",
    "ThrottleCount",
    "User",
    "Ward",
]
