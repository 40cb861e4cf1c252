"""The funding summary: per participation its grant, what was disbursed, what remains and
what is to settle (never a negative "remaining"), per round and for many rounds at once; and
the refusal of a decision that would set grants below what was already paid."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.applications.models import ApplicantRole
from portal.db import db
from portal.errors import PortalError
from portal.i18n import money
from portal.municipalities.models import Municipality
from portal.participations.grants import PoolShare, disbursed_total, pool_share
from portal.participations.models import Community, Disbursement, Participation
from portal.programmes.models import Round


@dataclass
class FundingRow:
    participation_id: int
    municipality_id: int
    municipality: str
    region: str
    role: ApplicantRole
    community: str | None
    grant_amount: int | None
    grant_override: int | None
    override_reason: str
    disbursed: int
    municipality_code: str = ""
    community_id: int | None = None

    @property
    def grant(self) -> int:
        if self.grant_override is not None:
            return self.grant_override
        return self.grant_amount or 0

    @property
    def remaining(self) -> int:
        """What is still to be paid (0 when more than the grant was paid)."""
        return max(self.grant - self.disbursed, 0)

    @property
    def to_settle(self) -> int:
        """What was paid beyond the grant, to be settled with the municipality."""
        return max(self.disbursed - self.grant, 0)


@dataclass
class FundingSummary:
    round: Round
    rows: list[FundingRow] = field(default_factory=list)

    @property
    def leads(self) -> int:
        return sum(1 for r in self.rows if r.role == ApplicantRole.LEAD)

    @property
    def participants(self) -> int:
        return sum(1 for r in self.rows if r.role == ApplicantRole.PARTICIPANT)

    @property
    def granted(self) -> int:
        return sum(r.grant for r in self.rows)

    @property
    def disbursed(self) -> int:
        return sum(r.disbursed for r in self.rows)

    @property
    def remaining(self) -> int:
        return sum(r.remaining for r in self.rows)

    @property
    def to_settle(self) -> int:
        return sum(r.to_settle for r in self.rows)

    @property
    def overpaid(self) -> list[FundingRow]:
        return [r for r in self.rows if r.to_settle]

    @property
    def budget(self) -> int:
        """The lead grants of the leads plus the pool, or the fixed amount per participant."""
        round_ = self.round
        leads = round_.lead_grant * self.leads
        if round_.participant_pool is not None:
            return leads + round_.participant_pool
        return leads + (round_.participant_grant or 0) * self.participants

    @property
    def pool(self) -> PoolShare | None:
        """How the pool is divided now (``None`` for a fixed participant grant)."""
        if self.round.participant_pool is None:
            return None
        participants = [r for r in self.rows if r.role == ApplicantRole.PARTICIPANT]
        return pool_share(
            self.round.participant_pool,
            [r.grant_override for r in participants if r.grant_override is not None],
            sum(1 for r in participants if r.grant_override is None),
        )

    @property
    def pool_remainder(self) -> int | None:
        """What of the pool no participant has been granted (negative when overrides exceed
        it)."""
        if self.round.participant_pool is None:
            return None
        given = sum(r.grant for r in self.rows if r.role == ApplicantRole.PARTICIPANT)
        return self.round.participant_pool - given


def funding_summary(round_: Round) -> FundingSummary:
    """Every participation of the round with its grant, disbursed and remaining, in one
    query (the disbursements summed in a subquery)."""
    return funding_summaries([round_])[round_.id]


def funding_summaries(rounds: list[Round]) -> dict[int, FundingSummary]:
    """The funding summary of each round (``Round.id`` → summary), in one query whatever the
    number of rounds and municipalities."""
    paid = (
        select(
            Disbursement.participation_id.label("pid"),
            func.sum(Disbursement.amount).label("total"),
        )
        .group_by(Disbursement.participation_id)
        .subquery()
    )
    stmt = (
        select(
            Participation,
            Municipality,
            Community.name,
            func.coalesce(paid.c.total, 0),
        )
        .join(Municipality, Municipality.id == Participation.municipality_id)
        .outerjoin(Community, Community.id == Participation.community_id)
        .outerjoin(paid, paid.c.pid == Participation.id)
        .where(Participation.round_id.in_([r.id for r in rounds]))
        .order_by(Participation.role, Municipality.name)
    )
    summaries = {r.id: FundingSummary(r) for r in rounds}
    if not rounds:
        return summaries
    for participation, municipality, community, disbursed in db.session.execute(stmt):
        summaries[participation.round_id].rows.append(
            FundingRow(
                participation_id=participation.id,
                municipality_id=participation.municipality_id,
                municipality=municipality.name,
                region=municipality.region,
                role=participation.role,
                community=community,
                grant_amount=participation.grant_amount,
                grant_override=participation.grant_override,
                override_reason=participation.grant_override_reason,
                disbursed=int(disbursed or 0),
                municipality_code=municipality.code_display,
                community_id=participation.community_id,
            )
        )
    return summaries


def participation_funding(participation: Participation) -> tuple[int, int, int]:
    """(grant, disbursed, remaining) of one participation; remaining is negative by the
    amount to settle when more than the grant was paid (the page says so in words)."""
    grant = participation.grant or 0
    paid = disbursed_total(participation)
    return grant, paid, grant - paid


class GrantBelowDisbursed(PortalError):
    """A decision would set grants below what was already paid: the coordinator confirms."""

    def __init__(self, rows: list[FundingRow]) -> None:
        super().__init__(
            _l(
                "Godkendelsen sænker tilskuddet under det, der allerede er udbetalt, for"
                ' %(list)s. Sæt flueben i "Godkend alligevel" for at gemme afgørelsen;'
                " beløbet skal så afregnes med kommunen.",
                list="; ".join(overpaid_text(r) for r in rows),
            ),
            field="confirm_overpaid",
        )
        self.rows = rows


def overpaid_text(row: FundingRow) -> str:
    return str(
        _l(
            "%(name)s (tilskud %(grant)s, udbetalt %(paid)s: %(settle)s til afregning)",
            name=row.municipality,
            grant=money(row.grant),
            paid=money(row.disbursed),
            settle=money(row.to_settle),
        )
    )


def newly_overpaid(round_: Round, before: dict[int, int]) -> list[FundingRow]:
    """The rows paid beyond their grant by more than ``before`` (participation id → amount
    to settle, as ``settle_amounts`` gave it before the change)."""
    return [
        r
        for r in funding_summary(round_).overpaid
        if r.to_settle > before.get(r.participation_id, 0)
    ]


def settle_amounts(round_: Round) -> dict[int, int]:
    return {r.participation_id: r.to_settle for r in funding_summary(round_).overpaid}
