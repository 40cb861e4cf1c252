"""Grants: the round's rule, the coordinator's overrides and disbursements (the funding
summary is ``portal.participations.funding``).

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

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.applications.models import ApplicantRole
from portal.audit import services as audit
from portal.db import db
from portal.errors import InvalidInput, NotAllowed, check_version
from portal.i18n import money
from portal.participations.models import Disbursement, Participation
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
            **audit.of_participation(participation),
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
                    # no full stop after an amount: it ends in "kr." ("700.000 kr..")
                    "Tilskuddet kan ikke sættes til %(amount)s: der er allerede udbetalt %(paid)s",
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
        **audit.of_participation(participation),
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
                " %(paid)s, og der resterer %(left)s",  # the amount's "kr." ends the sentence
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
        **audit.of_participation(participation),
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
        **audit.of_participation(participation),
        before={
            "paid_on": disbursement.paid_on.isoformat(),
            "amount": disbursement.amount,
            "note": disbursement.note,
        },
    )
    participation.disbursements.remove(disbursement)
    db.session.flush()
