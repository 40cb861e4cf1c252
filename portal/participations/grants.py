"""Grants: the round's rule, the coordinator's overrides, disbursements and the funding summary.

The rule (seed 002): a scaling lead gets the round's lead grant; a participant gets the
round's fixed amount, or a share of the participant pool. The pool, less what overridden
participants were given, is divided among the other participants in whole kroner, rounded
down; what is left over is the pool's remainder and is shown, never silently paid out.
A grant recomputed below what was already disbursed is never silent: approving the
participant that causes it needs the coordinator's confirmation (``GrantBelowDisbursed``),
and the over-disbursement is an amount to settle (``to_settle``), never a negative
"remaining". Services flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.applications.models import ApplicantRole
from portal.audit import services as audit
from portal.db import db
from portal.errors import InvalidInput, NotAllowed, PortalError, check_version
from portal.i18n import money
from portal.municipalities.models import Municipality
from portal.participations.models import Community, Disbursement, Participation
from portal.programmes.models import Round

IMPORT_REASON = "Fastsat ved import"
MAX_AMOUNT = 2**31 - 1  # an INTEGER column


@dataclass(frozen=True)
class PoolShare:
    """How a pool is divided: ``share`` each for ``count`` participants, ``remainder`` left."""

    pool: int
    overridden: int  # the overridden participants' grants, taken off the pool first
    count: int
    share: int
    remainder: int


def pool_share(pool: int, overrides: list[int], count: int) -> PoolShare:
    """The pool less the overrides, divided among ``count`` participants in whole kroner.

    >>> pool_share(2_000_000, [], 7)
    PoolShare(pool=2000000, overridden=0, count=7, share=285714, remainder=2)
    """
    left = max(pool - sum(overrides), 0)
    share = left // count if count else 0
    return PoolShare(pool, sum(overrides), count, share, left - share * count)


def rule_amounts(round_: Round, participations: list[Participation]) -> dict[int, int]:
    """The grant each participation gets by the round's rule (``Participation.id`` → kroner).

    An overridden participant's rule amount is the share it would have had; its override,
    not that amount, is what the pool gives up."""
    participants = [p for p in participations if p.role == ApplicantRole.PARTICIPANT]
    if round_.participant_pool is None:
        participant_amount = round_.participant_grant or 0
    else:
        overrides = [p.grant_override for p in participants if p.grant_override is not None]
        count = sum(1 for p in participants if p.grant_override is None)
        participant_amount = pool_share(round_.participant_pool, overrides, count).share
    return {
        p.id: round_.lead_grant if p.role == ApplicantRole.LEAD else participant_amount
        for p in participations
    }


def _round_participations(round_: Round) -> list[Participation]:
    return list(
        db.session.scalars(
            select(Participation)
            .where(Participation.round_id == round_.id)
            .order_by(Participation.id)
        )
    )


def recompute_grants(round_: Round, *, actor) -> list[Participation]:
    """Set every participation's ``grant_amount`` by the rule; audit each that changed
    (before and after). Called whenever approvals, imports or overrides change."""
    db.session.flush()
    participations = _round_participations(round_)
    amounts = rule_amounts(round_, participations)
    changed = []
    for participation in participations:
        before, after = participation.grant_amount, amounts[participation.id]
        if before == after:
            continue
        participation.grant_amount = after
        changed.append(participation)
        audit.record(
            "grant_recomputed",
            actor=actor,
            obj=participation,
            municipality_id=participation.municipality_id,
            round_id=round_.id,
            application_id=participation.application_id,
            changes={"grant_amount": [before, after]},
        )
    db.session.flush()
    return changed


def disbursed_total(participation: Participation) -> int:
    return (
        db.session.scalar(
            select(func.coalesce(func.sum(Disbursement.amount), 0)).where(
                Disbursement.participation_id == participation.id
            )
        )
        or 0
    )


def override_grant(
    participation: Participation,
    amount: int | None,
    reason: str,
    *,
    actor,
    version: int | None = None,
) -> None:
    """A coordinator sets this municipality's grant (a reason is required) or, with
    ``amount=None``, hands it back to the round's rule. Refused when less than what has
    already been paid out. The round's grants are recomputed (a pool share moves)."""
    check_version(participation, version, _l("Tilskuddet"))
    reason = (reason or "").strip()
    if amount is not None:
        if amount < 0 or amount > MAX_AMOUNT:
            raise InvalidInput(_l("Skriv et helt antal kroner, fx 100.000."), field="amount")
        if not reason:
            raise InvalidInput(_l("Skriv hvorfor tilskuddet fastsættes."), field="reason")
        paid = disbursed_total(participation)
        if amount < paid:
            raise NotAllowed(
                _l(
                    "Tilskuddet kan ikke sættes til %(amount)s: der er allerede udbetalt %(paid)s.",
                    amount=money(amount),
                    paid=money(paid),
                ),
                field="amount",
            )
    before = _grant_snapshot(participation)
    participation.grant_override = amount
    participation.grant_override_reason = reason if amount is not None else ""
    db.session.flush()
    recompute_grants(participation.round, actor=actor)
    changed = audit.changes(before, _grant_snapshot(participation))
    if not changed:
        return
    audit.record(
        "grant_overridden" if amount is not None else "grant_override_cleared",
        actor=actor,
        obj=participation,
        municipality_id=participation.municipality_id,
        round_id=participation.round_id,
        application_id=participation.application_id,
        changes=changed,
    )


def _grant_snapshot(participation: Participation) -> dict:
    return {
        "grant_override": participation.grant_override,
        "grant_override_reason": participation.grant_override_reason,
        "grant": participation.grant,
    }


def record_disbursement(
    participation: Participation, paid_on: date, amount: int, note: str, *, actor
) -> Disbursement:
    """A payment of (part of) the grant; never more in all than the grant."""
    if amount is None or amount <= 0 or amount > MAX_AMOUNT:
        raise InvalidInput(_l("Beløbet skal være et helt antal kroner over 0."), field="amount")
    if paid_on is None:
        raise InvalidInput(_l("Angiv udbetalingsdatoen."), field="paid_on")
    grant = participation.grant or 0
    paid = disbursed_total(participation)
    if paid + amount > grant:
        raise NotAllowed(
            _l(
                "Der kan ikke udbetales %(amount)s: tilskuddet er %(grant)s, der er udbetalt"
                " %(paid)s, og der resterer %(left)s.",
                amount=money(amount),
                grant=money(grant),
                paid=money(paid),
                left=money(max(grant - paid, 0)),
            ),
            field="amount",
        )
    disbursement = Disbursement(
        participation=participation,
        municipality_id=participation.municipality_id,
        paid_on=paid_on,
        amount=amount,
        note=(note or "").strip(),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(disbursement)
    db.session.flush()
    audit.record(
        "disbursement_recorded",
        actor=actor,
        obj=disbursement,
        municipality_id=participation.municipality_id,
        round_id=participation.round_id,
        application_id=participation.application_id,
        paid_on=paid_on.isoformat(),
        amount=amount,
        note=disbursement.note,
        disbursed=[paid, paid + amount],
    )
    return disbursement


def delete_disbursement(disbursement: Disbursement, *, actor) -> None:
    participation = disbursement.participation
    audit.record(
        "disbursement_deleted",
        actor=actor,
        obj=disbursement,
        municipality_id=participation.municipality_id,
        round_id=participation.round_id,
        application_id=participation.application_id,
        before={
            "paid_on": disbursement.paid_on.isoformat(),
            "amount": disbursement.amount,
            "note": disbursement.note,
        },
    )
    participation.disbursements.remove(disbursement)
    db.session.flush()


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
