"""Every model, imported once so the metadata is complete (Alembic, tests, the CLI)."""

from portal.api.models import ApiToken, IdempotentAnswer
from portal.applications.models import (
    ApplicantRole,
    Application,
    ApplicationMember,
    ApplicationStatus,
    ApplicationVersion,
    DeadlineExtension,
)
from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.auth.sso.models import ExternalLogin
from portal.auth.sso.saml.models import SamlMessage
from portal.benefits.models import Baseline, Cost, CostKind, Measurement, Target
from portal.conversations.models import Attachment, Message, Thread, ThreadRead
from portal.files.models import FileChunk, StoredFile
from portal.jobs.models import Job, JobKind, JobLock, JobStatus
from portal.municipalities.models import Municipality
from portal.notifications.models import Notification, OutboxMessage
from portal.openresults.models import (
    OpenDataVersion,
    OpenDataVersionFile,
    OpenDataVersionMember,
    PublicationConsent,
)
from portal.participations.models import Community, Disbursement, Participation
from portal.privacy.models import RetentionRun
from portal.programmes.models import BenefitLine, Indicator, Programme, ProgrammeGoal, Round
from portal.reporting.models import ReportingRequirement, ReportKind
from portal.results.models import (
    IndicatorResultRow,
    LineMonthResult,
    MonthResult,
    ParticipationResult,
)
from portal.review.models import Review
from portal.webhooks.models import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiToken",
    "IdempotentAnswer",
    "ApplicantRole",
    "Application",
    "ApplicationMember",
    "ApplicationStatus",
    "ApplicationVersion",
    "Attachment",
    "AuditEvent",
    "Baseline",
    "BenefitLine",
    "Community",
    "Cost",
    "CostKind",
    "DeadlineExtension",
    "Disbursement",
    "ExternalLogin",
    "OpenDataVersion",
    "OpenDataVersionFile",
    "OpenDataVersionMember",
    "PublicationConsent",
    "Indicator",
    "IndicatorResultRow",
    "LineMonthResult",
    "FileChunk",
    "Job",
    "JobLock",
    "JobKind",
    "JobStatus",
    "Measurement",
    "Message",
    "MonthResult",
    "Municipality",
    "Notification",
    "OutboxMessage",
    "Participation",
    "RetentionRun",
    "ParticipationResult",
    "Programme",
    "ProgrammeGoal",
    "ReportKind",
    "StoredFile",
    "ReportingRequirement",
    "Review",
    "Role",
    "Round",
    "SamlMessage",
    "Target",
    "Thread",
    "ThreadRead",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
]
