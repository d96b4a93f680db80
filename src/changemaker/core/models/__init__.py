"""What every capability shares: councils and wards, people and roles, audit, jobs."""

from .accounts import EnrolmentLink, Invitation, Role, RoleAssignment, User
from .audit import AuditEvent
from .councils import Council, CouncilDomain, Ward
from .jobs import Job
from .notices import Notice
from .throttle import ThrottleCount

__all__ = [
    "AuditEvent",
    "Council",
    "CouncilDomain",
    "EnrolmentLink",
    "Invitation",
    "Job",
    "Notice",
    "Role",
    "RoleAssignment",
    "ThrottleCount",
    "User",
    "Ward",
]
