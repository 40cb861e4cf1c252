"""What a municipality fills in to apply (``ApplicationData``), kept apart from the services
so that both its users — the checks (``applications.checks``) and the services that store it —
import it, and the form builds it."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.applications.models import ApplicantRole


@dataclass
class ApplicationData:
    """What the municipality fills in; everything may be empty in a draft."""

    role: str = ApplicantRole.PARTICIPANT.value
    experience: str = ""
    competence_statement: str = ""
    capacity_statement: str = ""
    goal_ids: list[int] = field(default_factory=list)
    motivation: str = ""
    project_lead_name: str = ""
    project_lead_email: str = ""
    project_owner_name: str = ""
    project_owner_title: str = ""
    backing_board: bool = False
    backing_management: bool = False
    backing_political: bool = False
    member_ids: list[int] = field(default_factory=list)  # co-applicant municipalities


SNAPSHOT_FIELDS = (
    "role",
    "experience",
    "competence_statement",
    "capacity_statement",
    "motivation",
    "project_lead_name",
    "project_lead_email",
    "project_owner_name",
    "project_owner_title",
    "backing_board",
    "backing_management",
    "backing_political",
)
