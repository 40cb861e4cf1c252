"""Every model, imported once so the metadata is complete (Alembic, tests, the CLI)."""

from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.municipalities.models import Municipality
from portal.programmes.models import BenefitLine, Indicator, Programme, ProgrammeGoal, Round

__all__ = [
    "AuditEvent",
    "BenefitLine",
    "Indicator",
    "Municipality",
    "Programme",
    "ProgrammeGoal",
    "Role",
    "Round",
    "User",
]
