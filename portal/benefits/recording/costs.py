"""Recording a participation's costs, its benefit owner (*gevinstejer*) and its own hourly
cost. Plain functions with an explicit ``actor``; they flush, never commit, and write an
audit line with the values before and after."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.benefits.models import Cost, CostKind
from portal.benefits.recording.figure_checks import check_figure, record_change, snapshot
from portal.benefits.recording.rules import Kind
from portal.db import db
from portal.errors import RuleViolations, check_version
from portal.participations.models import Participation
from portal.signals import send_figures_changed
from portal.textcheck import cpr_problems

MAX_OWNER = 150
MAX_HOURLY_COST = Decimal("100000")
AMOUNT_QUANTUM = Decimal("0.01")


COST_FIELDS = ("kind", "category", "incurred_on", "amount", "note")


def add_cost(
    participation: Participation,
    kind: CostKind,
    category: str,
    incurred_on: date,
    amount: Decimal,
    note: str = "",
    *,
    actor,
) -> Cost:
    """A one-off or yearly cost in kroner (øre rounded). The same kind, category and date
    twice is refused: delete the first, or import the file again to change it."""
    category, note = " ".join((category or "").split()), (note or "").strip()
    amount = amount.quantize(AMOUNT_QUANTUM)
    check_figure(
        participation,
        None,
        Kind.COST,
        value=amount,
        date=incurred_on,
        category=category,
        note=note,
    )
    taken = db.session.scalar(
        select(Cost.id).where(
            Cost.participation_id == participation.id,
            Cost.kind == kind,
            Cost.category == category,
            Cost.incurred_on == incurred_on,
        )
    )
    if taken is not None:
        raise RuleViolations(
            [("category", _l("Der er allerede en omkostning med denne art, kategori og dato."))]
        )
    cost = Cost(
        participation_id=participation.id,
        municipality_id=participation.municipality_id,
        kind=kind,
        category=category,
        incurred_on=incurred_on,
        amount=amount,
        note=note,
        updated_by_id=getattr(actor, "id", None),
    )
    db.session.add(cost)
    db.session.flush()
    record_change(
        "cost_added",
        participation,
        cost,
        actor=actor,
        before=None,
        after=snapshot(cost, COST_FIELDS),
    )
    send_figures_changed([participation.id])
    return cost


def delete_cost(cost: Cost, *, actor, version: int | None = None) -> None:
    check_version(cost, version, _l("Omkostningen"))
    record_change(
        "cost_deleted",
        cost.participation,
        cost,
        actor=actor,
        before=snapshot(cost, COST_FIELDS),
        after=None,
    )
    participation = cost.participation
    db.session.delete(cost)
    send_figures_changed([participation.id])


def set_benefit_owner(
    participation: Participation, name: str, title: str, *, actor, version: int | None = None
) -> None:
    """The benefit owner (*gevinstejer*): who answers for realising the benefits."""
    check_version(participation, version, _l("Deltagelsen"))
    name, title = " ".join((name or "").split()), " ".join((title or "").split())
    problems = [
        (field, _l("Højst %(max)d tegn.", max=MAX_OWNER))
        for field, text in (("name", name), ("title", title))
        if len(text) > MAX_OWNER
    ]
    problems += cpr_problems({"name": name, "title": title})
    if problems:
        raise RuleViolations(problems)
    fields = ("benefit_owner_name", "benefit_owner_title")
    before = snapshot(participation, fields)
    participation.benefit_owner_name, participation.benefit_owner_title = name, title
    db.session.flush()
    record_change(
        "benefit_owner_set",
        participation,
        participation,
        actor=actor,
        before=before,
        after=snapshot(participation, fields),
    )
    send_figures_changed([participation.id])


def set_hourly_cost(
    participation: Participation,
    amount: Decimal | None,
    *,
    actor,
    version: int | None = None,
) -> None:
    """The municipality's own hourly cost (kroner), or None for the round's
    annual_cost ÷ annual_hours."""
    check_version(participation, version, _l("Deltagelsen"))
    if amount is not None:
        amount = amount.quantize(AMOUNT_QUANTUM)
        if not Decimal(0) < amount <= MAX_HOURLY_COST:
            raise RuleViolations(
                [("amount", _l("Timeprisen skal være over 0 og højst 100.000 kr."))]
            )
    fields = ("hourly_cost_override",)
    before = snapshot(participation, fields)
    participation.hourly_cost_override = amount
    db.session.flush()
    record_change(
        "hourly_cost_set",
        participation,
        participation,
        actor=actor,
        before=before,
        after=snapshot(participation, fields),
    )
    send_figures_changed([participation.id])
