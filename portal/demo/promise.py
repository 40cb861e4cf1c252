"""The demo's promises: three scenarios on every target of both running rounds
(pessimistic at 60 % of the way from the baseline to the likely target, optimistic at
125 %), as the README says; and in the screen-visit round Aarhus's target picture approved
by the coordinator, its screen-visit target then lowered with a reason, and its latest
screen-visit figure provisional. Through the services a municipality and the coordinator
use; skipped when Aarhus is approved already, so loading the demo twice changes nothing."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from portal.benefits import recording
from portal.benefits.models import Baseline, Measurement, Quality, Target
from portal.benefits.recording import costs, freeze
from portal.db import db
from portal.municipalities.models import Municipality
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.results.refresh import refresh_round

PESSIMISTIC, OPTIMISTIC = Decimal("0.6"), Decimal("1.25")
LOWERED = Decimal("0.8")  # Aarhus's screen visits: a fifth fewer than promised
REASON = (
    "Visitationsgennemgangen viste færre borgere i målgruppen end ventet; målet er sænket"
    " efter aftale med gevinstejeren."
)
AARHUS = 751


SHOWCASE = "skaermbesoeg-2025"  # the round where Aarhus's promise changes


def load_promises(round_: Round, coordinator) -> None:
    _scenarios(round_)  # only targets without them: a second load adds none
    if round_.slug != SHOWCASE:
        return
    aarhus = db.session.scalar(
        select(Participation)
        .join(Municipality, Municipality.id == Participation.municipality_id)
        .where(Participation.round_id == round_.id, Municipality.code == AARHUS)
    )
    if aarhus is None or freeze.is_frozen(aarhus):
        return
    if not aarhus.benefit_owner_name:
        costs.set_benefit_owner(aarhus, "Mette Gevinst", "Ældrechef", actor=coordinator)
    freeze.approve_target_picture(aarhus, actor=coordinator)
    visits = next(i for i in round_.programme.indicators if i.key == "screen_visits")
    target = _one(Target, aarhus, visits)
    recording.set_target(
        aarhus,
        visits,
        (target.value * LOWERED).quantize(Decimal("0.1")),
        target.target_date,
        pessimistic=target.pessimistic,
        optimistic=target.optimistic,
        note=target.note,
        reason=REASON,
        actor=coordinator,
        version=target.version,
    )
    latest = db.session.scalar(
        select(Measurement)
        .where(Measurement.participation_id == aarhus.id, Measurement.indicator_id == visits.id)
        .order_by(Measurement.period.desc())
        .limit(1)
    )
    if latest is not None:
        recording.update_measurement(
            latest,
            latest.value,
            "Foreløbigt tal: december mangler i omsorgssystemet",
            actor=coordinator,
            version=latest.version,
            quality=Quality.PROVISIONAL,
        )


def _scenarios(round_: Round) -> None:
    """A pessimistic and an optimistic value on every target of the round."""
    baselines = {
        (b.participation_id, b.indicator_id): b.value
        for b in db.session.scalars(
            select(Baseline)
            .join(Participation, Participation.id == Baseline.participation_id)
            .where(Participation.round_id == round_.id)
        )
    }
    targets = db.session.scalars(
        select(Target)
        .join(Participation, Participation.id == Target.participation_id)
        .where(Participation.round_id == round_.id)
        .order_by(Target.id)
    ).all()
    for target in targets:
        base = baselines.get((target.participation_id, target.indicator_id))
        if base is None or target.pessimistic is not None:
            continue
        # Set on the rows, not through ``set_target`` once per target: the demo's figures
        # came in through the import, whose format has no scenario columns, and these two
        # values lie on either side of the target by construction.
        way = target.value - base
        target.pessimistic = (base + way * PESSIMISTIC).quantize(Decimal("0.1"))
        target.optimistic = (base + way * OPTIMISTIC).quantize(Decimal("0.1"))
    db.session.flush()
    refresh_round(round_)  # the rows were set directly: the stored results follow them


def _one(model, participation, indicator):
    return db.session.scalar(
        select(model).where(
            model.participation_id == participation.id, model.indicator_id == indicator.id
        )
    )
