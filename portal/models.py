"""Every model, imported once so the metadata is complete (Alembic, tests, the CLI)."""

from portal.api.models import ApiToken, IdempotentAnswer
from portal.applications.models import (
    ApplicantRole,
    Application,
    ApplicationMember,
    ApplicationStatus,
    DeadlineExtension,
)
from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.benefits.models import Baseline, Cost, CostKind, Measurement, Target
from portal.files.models import FileChunk, StoredFile
from portal.jobs.models import Job, JobKind, JobLock, JobStatus
from portal.municipalities.models import Municipality
from portal.notifications.models import Notification, OutboxMessage
from portal.participations.models import Community, Disbursement, Participation
from portal.programmes.models import BenefitLine, Indicator, Programme, ProgrammeGoal, Round
from portal.reporting.models import ReportingRequirement, ReportKind
from portal.results.models import (
    IndicatorResultRow,
    LineMonthResult,
    MonthResult,
    ParticipationResult,
)
from portal.review.models import Review

__all__ = [
    "ApiToken",
    "IdempotentAnswer",
    "ApplicantRole",
    "Application",
    "ApplicationMember",
    "ApplicationStatus",
    "AuditEvent",
    "Baseline",
    "BenefitLine",
    "Community",
    "Cost",
    "CostKind",
    "DeadlineExtension",
    "Disbursement",
    "Indicator",
    "IndicatorResultRow",
    "LineMonthResult",
    "FileChunk",
    "Job",
    "JobLock",
    "JobKind",
    "JobStatus",
    "Measurement",
    "MonthResult",
    "Municipality",
    "Notification",
    "OutboxMessage",
    "Participation",
    "ParticipationResult",
    "Programme",
    "ProgrammeGoal",
    "ReportKind",
    "StoredFile",
    "ReportingRequirement",
    "Review",
    "Role",
    "Round",
    "Target",
    "User",
]
