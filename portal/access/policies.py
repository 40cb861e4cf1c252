"""The policy table: for every model a municipality owns, per action the roles it grants
and the rule each of them reads by. A role a policy does not name gets nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portal.access.reach import ANONYMOUS
from portal.access.rules import (
    ALL,
    ASSIGNED,
    CONSENTED,
    FELLOW,
    IN_REACH,
    INVOLVED,
    MEMBER,
    NATIONAL_OR_INVOLVED,
    NATIONAL_OR_MEMBER,
    NONE,
    OWN,
    OWN_REVIEW,
    PERSONAL,
    PUBLISHED,
    SUBMITTED,
    Rule,
    either,
    national_or,
    of_application,
    personal_or,
)
from portal.api.models import ApiToken
from portal.applications.models import (
    Application,
    ApplicationMember,
    ApplicationVersion,
    DeadlineExtension,
)
from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.benefits.models import (
    Baseline,
    Cost,
    FigureVersion,
    FollowUpMeasurement,
    Measurement,
    Target,
)
from portal.conversations.models import Attachment, Message, Thread
from portal.jobs.models import Job
from portal.municipalities.models import Municipality
from portal.notifications.models import Notification, OutboxMessage
from portal.openresults.models import PublicationConsent
from portal.participations.models import Community, Disbursement, Participation
from portal.programmes.models import Programme, Round
from portal.reporting.models import ReportingRequirement
from portal.review.models import Review
from portal.webhooks.models import WebhookDelivery, WebhookEndpoint


@dataclass(frozen=True)
class Policy:
    """For each action, the roles it grants and the rule each of them reads by."""

    read: Mapping[Role | str, Rule]
    change: Mapping[Role | str, Rule] = field(default_factory=dict)
    other: Mapping[str, Mapping[Role | str, Rule]] = field(default_factory=dict)

    def rules(self, action: str) -> Mapping[Role | str, Rule]:
        if action == "read":
            return self.read
        if action == "change":
            return self.change
        if action in self.other:
            return self.other[action]
        raise LookupError(f"no action {action!r} in the policy")


# Who reads a participation and its figures: each within their reach (``access.reach``):
# municipal users their own, leadership their own (or all, nationally), regional consultants
# their region's, coordinators all. Admins run users and the register, not figures (DESIGN's
# roles): no admin here. Reviewers have no business with figures.
FIGURE_READERS = {
    Role.MUNICIPAL: IN_REACH,
    Role.LEADERSHIP: IN_REACH,
    Role.REGIONAL: IN_REACH,
    Role.COORDINATOR: ALL,
}
# What the public reads (``public``: the open results and open data, which read as the
# anonymous reader ``access.PUBLIC`` whoever asks, so every role sees the same): a
# participation and its figures only where the municipality's leadership agreed to publish
# them (``PublicationConsent``); rounds once they are out of draft.
PUBLIC_FIGURES = {ANONYMOUS: CONSENTED}
FIGURES = Policy(
    read=FIGURE_READERS,
    # Recorded by the municipality's own project staff, and by coordinators.
    change={Role.MUNICIPAL: OWN, Role.COORDINATOR: ALL},
    # A target picture handed in is approved (and so frozen) by a coordinator.
    other={"approve": {Role.COORDINATOR: ALL}, "public": PUBLIC_FIGURES},
)
# Report audiences: what a member of a community sees of another member. Grants are public
# money: a grant's amount and a payment's amount (``amount``, on participations and on
# payments alike), never the coordinator's note on a payment (``note``: as the payment
# itself is read); the figures side by side (``compare``: the community's progress report and
# dashboard). The report builders select through these actions, so a line changed here
# changes the page, the PDF, the XLSX and the CSV alike.
AMOUNTS = {
    Role.MUNICIPAL: either(OWN, FELLOW),
    Role.LEADERSHIP: national_or(either(OWN, FELLOW)),
    Role.REGIONAL: IN_REACH,
    Role.COORDINATOR: ALL,
}
SIDE_BY_SIDE = {
    Role.MUNICIPAL: either(OWN, FELLOW),
    Role.LEADERSHIP: national_or(either(OWN, FELLOW)),
    Role.REGIONAL: IN_REACH,
    Role.COORDINATOR: ALL,
}
# A conversation (``portal.conversations``) is between a municipality's own users and the
# coordinators: its leadership reads along, nobody else does — not reviewers (their notes
# stay in the review), not regional consultants, not admins. A coordinator may ask for a
# correction from a message (``correct``: it reopens the application or the report).
CONVERSATION = Policy(
    read={Role.MUNICIPAL: OWN, Role.LEADERSHIP: OWN, Role.COORDINATOR: ALL},
    change={Role.MUNICIPAL: OWN, Role.COORDINATOR: ALL},
    other={"correct": {Role.COORDINATOR: ALL}},
)
# Everyone signed in, each role by name (a role not named here gets nothing).
EVERYONE = {role: ALL for role in Role}

POLICIES: dict[type, Policy] = {
    Application: Policy(
        read={
            Role.MUNICIPAL: INVOLVED,
            Role.LEADERSHIP: NATIONAL_OR_INVOLVED,
            Role.COORDINATOR: ALL,
        },
        # Drafting, submitting and withdrawing: the applicant's own project staff.
        change={Role.MUNICIPAL: OWN},
        other={
            "review": {Role.COORDINATOR: SUBMITTED, Role.REVIEWER: ASSIGNED},
            # Decisions, reopening, the round's review overview: the coordinators'.
            "decide": {Role.COORDINATOR: SUBMITTED},
        },
    ),
    ApplicationMember: Policy(
        read={
            Role.MUNICIPAL: OWN,
            Role.LEADERSHIP: IN_REACH,
            Role.COORDINATOR: ALL,
        },
        # Confirming or declining a joint application: the co-applicant's own staff.
        change={Role.MUNICIPAL: OWN},
    ),
    # What an application said at each submission: its own staff, its leadership (or the
    # national leadership), the coordinators and the reviewers assigned to it.
    ApplicationVersion: Policy(
        read={
            Role.MUNICIPAL: OWN,
            Role.LEADERSHIP: national_or(OWN),
            Role.COORDINATOR: ALL,
            Role.REVIEWER: of_application(ASSIGNED),
        },
    ),
    Thread: CONVERSATION,
    Message: CONVERSATION,
    Attachment: CONVERSATION,
    DeadlineExtension: Policy(
        read={Role.MUNICIPAL: OWN, Role.COORDINATOR: ALL},
        change={Role.COORDINATOR: ALL},
    ),
    Review: Policy(
        read={Role.COORDINATOR: OWN_REVIEW, Role.REVIEWER: OWN_REVIEW},
        # Coordinators assign and remove anyone's; a reviewer keeps their own.
        change={Role.COORDINATOR: ALL, Role.REVIEWER: OWN_REVIEW},
    ),
    Participation: Policy(
        read=FIGURE_READERS,
        change={Role.COORDINATOR: ALL},
        other={"amount": AMOUNTS, "compare": SIDE_BY_SIDE, "public": PUBLIC_FIGURES},
    ),
    # The consent to publish one collaboration's results: given or withdrawn by the
    # municipality's own leadership only (the *chef/direktion* owns the project; not the
    # national leadership, and not the coordinator, who may not publish a municipality's
    # figures for it); read by the municipality's users and those who read its figures.
    PublicationConsent: Policy(read=FIGURE_READERS, change={Role.LEADERSHIP: OWN}),
    Disbursement: Policy(
        read=FIGURE_READERS,
        change={Role.COORDINATOR: ALL},
        other={"amount": AMOUNTS, "note": FIGURE_READERS},
    ),
    Community: Policy(
        read={
            Role.MUNICIPAL: MEMBER,
            Role.LEADERSHIP: NATIONAL_OR_MEMBER,
            Role.COORDINATOR: ALL,
        },
        change={Role.COORDINATOR: ALL},
    ),
    Baseline: FIGURES,
    Target: FIGURES,
    Measurement: FIGURES,
    FollowUpMeasurement: FIGURES,
    Cost: FIGURES,
    # The versions of a frozen target picture: written with the change they record.
    FigureVersion: FIGURES,
    ReportingRequirement: Policy(
        read=FIGURE_READERS,
        # Only the municipality's own project staff deliver its reports.
        change={Role.MUNICIPAL: OWN},
        other={"reopen": {Role.COORDINATOR: ALL}},
    ),
    Notification: Policy(
        read={
            Role.MUNICIPAL: personal_or(OWN),
            Role.LEADERSHIP: personal_or(IN_REACH),
            Role.COORDINATOR: personal_or(ALL),
            # A reviewer's own notices (an application they scored has changed).
            Role.REVIEWER: personal_or(NONE),
        },
        # The read mark is the municipality's: its own users keep it, national users leave
        # it alone. A personal notice (a file is ready) is marked by its user.
        change={
            Role.MUNICIPAL: personal_or(OWN),
            Role.LEADERSHIP: personal_or(OWN),
            Role.COORDINATOR: PERSONAL,
            Role.REVIEWER: personal_or(NONE),
        },
    ),
    # A background job and its file: only the user who started it (``portal.jobs``; it
    # also checks that they may still read the report it makes).
    # A job is its starter's (admins start the hand-over and erasure of a person's data).
    Job: Policy(
        read={
            Role.MUNICIPAL: PERSONAL,
            Role.LEADERSHIP: PERSONAL,
            Role.COORDINATOR: PERSONAL,
            Role.ADMIN: PERSONAL,
        }
    ),
    OutboxMessage: Policy(
        read={Role.COORDINATOR: ALL, Role.ADMIN: ALL},
        change={Role.COORDINATOR: ALL, Role.ADMIN: ALL},
    ),
    AuditEvent: Policy(read={Role.COORDINATOR: ALL, Role.ADMIN: ALL}),
    # Webhooks (``portal.webhooks``): a municipality's own staff keep its endpoints and see
    # their deliveries; coordinators keep the collaboration's and see every one.
    WebhookEndpoint: Policy(
        read={Role.MUNICIPAL: OWN, Role.COORDINATOR: ALL},
        change={Role.MUNICIPAL: OWN, Role.COORDINATOR: ALL},
    ),
    WebhookDelivery: Policy(
        read={Role.MUNICIPAL: OWN, Role.COORDINATOR: ALL},
        change={Role.MUNICIPAL: OWN, Role.COORDINATOR: ALL},
    ),
    # API tokens (``portal.api``): a municipality's project staff keep their municipality's
    # (a departed colleague's token can be revoked), a regional consultant their own,
    # coordinators every token.
    ApiToken: Policy(
        read={Role.MUNICIPAL: OWN, Role.REGIONAL: PERSONAL, Role.COORDINATOR: ALL},
        change={Role.MUNICIPAL: OWN, Role.REGIONAL: PERSONAL, Role.COORDINATOR: ALL},
    ),
    # Users and the municipality register: the admins' (DESIGN's roles).
    User: Policy(read={Role.ADMIN: ALL}, change={Role.ADMIN: ALL}),
    Municipality: Policy(read=EVERYONE, change={Role.ADMIN: ALL}),
    # Programmes, their indicators, benefit lines and rounds are defined by coordinators.
    Programme: Policy(read=EVERYONE, change={Role.COORDINATOR: ALL}),
    Round: Policy(
        read={
            Role.COORDINATOR: ALL,
            Role.ADMIN: ALL,
            Role.MUNICIPAL: PUBLISHED,
            Role.LEADERSHIP: PUBLISHED,
            Role.REGIONAL: PUBLISHED,
            Role.REVIEWER: PUBLISHED,
        },
        change={Role.COORDINATOR: ALL},
        other={"public": {ANONYMOUS: PUBLISHED}},
    ),
}


def policy_of(model: type) -> Policy:
    try:
        return POLICIES[model]
    except KeyError:
        raise LookupError(
            f"{model.__name__} has no access policy in portal/access/policies.py"
        ) from None


def rule_of(user: Any, model: type, action: str) -> Rule | None:
    rules = policy_of(model).rules(action)
    if not getattr(user, "is_authenticated", False):
        return rules.get(ANONYMOUS)  # the anonymous reader: only what a policy names for it
    if not getattr(user, "active", True):
        return None
    return rules.get(user.role)
