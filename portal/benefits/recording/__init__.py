"""Recording a participation's figures by hand: baselines, targets and measurements (costs,
the benefit owner and the hourly cost: ``portal.benefits.recording.costs``).

Plain functions with an explicit ``actor``; they flush and never commit. Each checks the
same rules as the import (``portal.benefits.recording.rules``), raises ``RuleViolations`` with the
message at its field, and writes an audit line with the values before and after.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.benefits.models import MAX_NOTE, Baseline, FigureKind, Measurement, Quality, Target
from portal.benefits.recording import freeze, rules
from portal.benefits.recording.figure_checks import (
    check_figure,
    check_indicator,
    existing_figures,
    record_change,
    snapshot,
)
from portal.benefits.recording.rules import Kind
from portal.db import db
from portal.errors import RuleViolations, check_version
from portal.participations.models import Participation
from portal.programmes.models import Direction, Indicator
from portal.signals import send_figures_changed

BASELINE_FIELDS = ("value", "measured_on", "source_note", "quality")


def set_baseline(
    participation: Participation,
    indicator: Indicator,
    value: Decimal,
    measured_on: date,
    source_note: str = "",
    *,
    actor,
    version: int | None = None,
    quality: Quality | None = None,
    reason: str = "",
) -> Baseline:
    """Record or change the baseline of ``indicator``. ``version`` is the baseline's version
    the editor loaded (0 for "there was none": a baseline saved meanwhile is a conflict).
    Once the target picture is approved a new value or date is a re-baselining: it needs a
    ``reason`` and is kept as a new version (``portal.benefits.recording.freeze``)."""
    check_indicator(participation, indicator)
    baseline = db.session.scalar(
        select(Baseline).where(
            Baseline.participation_id == participation.id, Baseline.indicator_id == indicator.id
        )
    )
    if baseline is not None:
        check_version(baseline, version, _l("Basislinjen"))
    source_note = (source_note or "").strip()
    check_figure(
        participation,
        indicator,
        Kind.BASELINE,
        existing=existing_figures(participation, indicator),
        value=value,
        date=measured_on,
        note=source_note,
    )
    versioned = freeze.check_reason(
        participation, FigureKind.BASELINE, baseline, (value, measured_on, None, None), reason
    )
    before = snapshot(baseline, BASELINE_FIELDS)
    if baseline is None:
        baseline = Baseline(
            participation_id=participation.id,
            municipality_id=participation.municipality_id,
            indicator_id=indicator.id,
        )
        db.session.add(baseline)
    baseline.value, baseline.measured_on, baseline.source_note = value, measured_on, source_note
    baseline.quality = quality
    baseline.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    if versioned:
        freeze.record_version(participation, FigureKind.BASELINE, baseline, reason, actor=actor)
    record_change(
        "baseline_set",
        participation,
        baseline,
        actor=actor,
        before=before,
        after=snapshot(baseline, BASELINE_FIELDS),
        indicator=indicator.key,
        reason=reason.strip() or None,
    )
    send_figures_changed([participation.id])
    return baseline


TARGET_FIELDS = ("value", "target_date", "pessimistic", "optimistic", "note", "quality")


def set_target(
    participation: Participation,
    indicator: Indicator,
    value: Decimal,
    target_date: date,
    *,
    pessimistic: Decimal | None = None,
    optimistic: Decimal | None = None,
    note: str = "",
    actor,
    version: int | None = None,
    quality: Quality | None = None,
    reason: str = "",
) -> Target:
    """Record or change the target picture of ``indicator``: the likely value by a date, and
    optionally a pessimistic and an optimistic value on either side of it (which side is
    better follows the indicator's direction). Once the picture is approved a change of
    these needs a ``reason`` and is kept as a new version (``portal.benefits.recording.freeze``)."""
    check_indicator(participation, indicator)
    target = db.session.scalar(
        select(Target).where(
            Target.participation_id == participation.id, Target.indicator_id == indicator.id
        )
    )
    if target is not None:
        check_version(target, version, _l("Målbilledet"))
    note = (note or "").strip()
    problems = []
    try:
        check_figure(
            participation,
            indicator,
            Kind.TARGET,
            value=value,
            date=target_date,
            pessimistic=pessimistic,
            optimistic=optimistic,
            note=note,
        )
    except RuleViolations as error:
        problems = error.problems
    problems += _scenario_problems(indicator, value, pessimistic, optimistic)
    new = (value, target_date, pessimistic, optimistic)
    versioned = freeze.reason_required(participation, FigureKind.TARGET, target, new)
    if versioned and not reason.strip():
        problems.append(("reason", freeze.missing_reason_message()))
    elif versioned and len(reason.strip()) > MAX_NOTE:
        problems.append(("reason", _l("Højst %(max)d tegn.", max=MAX_NOTE)))
    if problems:
        raise RuleViolations(problems)
    before = snapshot(target, TARGET_FIELDS)
    if target is None:
        target = Target(
            participation_id=participation.id,
            municipality_id=participation.municipality_id,
            indicator_id=indicator.id,
        )
        db.session.add(target)
    target.value, target.target_date, target.note = value, target_date, note
    target.pessimistic, target.optimistic = pessimistic, optimistic
    target.quality = quality
    target.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    if versioned:
        freeze.record_version(participation, FigureKind.TARGET, target, reason, actor=actor)
    record_change(
        "target_set",
        participation,
        target,
        actor=actor,
        before=before,
        after=snapshot(target, TARGET_FIELDS),
        indicator=indicator.key,
        reason=reason.strip() or None,
    )
    send_figures_changed([participation.id])
    return target


def _scenario_problems(indicator, value, pessimistic, optimistic) -> list[tuple[str, str]]:
    higher = indicator.direction == Direction.HIGHER
    problems = []
    if pessimistic is not None and (pessimistic > value if higher else pessimistic < value):
        problems.append(
            (
                "pessimistic",
                _l("Det pessimistiske bud skal være lavere end det forventede.")
                if higher
                else _l(
                    "Det pessimistiske bud skal være højere end det forventede (lavere er bedre)."
                ),
            )
        )
    if optimistic is not None and (optimistic < value if higher else optimistic > value):
        problems.append(
            (
                "optimistic",
                _l("Det optimistiske bud skal være højere end det forventede.")
                if higher
                else _l(
                    "Det optimistiske bud skal være lavere end det forventede (lavere er bedre)."
                ),
            )
        )
    return problems


MEASUREMENT_FIELDS = ("period", "value", "note", "quality")


def record_measurement(
    participation: Participation,
    indicator: Indicator,
    on: date,
    value: Decimal,
    note: str = "",
    *,
    actor,
    quality: Quality | None = None,
) -> Measurement:
    """Record the value of a period; ``on`` is any day of it (stored as the period's first
    day). A period that already has a value is refused: change that one instead."""
    check_indicator(participation, indicator)
    note = (note or "").strip()
    period = check_figure(
        participation,
        indicator,
        Kind.MEASUREMENT,
        existing=existing_figures(participation, indicator),
        value=value,
        date=on,
        note=note,
    )
    taken = db.session.scalar(
        select(Measurement.id).where(
            Measurement.participation_id == participation.id,
            Measurement.indicator_id == indicator.id,
            Measurement.period == period,
        )
    )
    if taken is not None:
        raise RuleViolations(
            [
                (
                    "date",
                    _l(
                        "Der er allerede en måling for %(period)s. Ret den i tabellen i stedet.",
                        period=rules.period_label(period, indicator.frequency),
                    ),
                )
            ]
        )
    measurement = Measurement(
        participation_id=participation.id,
        municipality_id=participation.municipality_id,
        indicator_id=indicator.id,
        period=period,
        value=value,
        note=note,
        quality=quality,
        updated_by_id=getattr(actor, "id", None),
    )
    db.session.add(measurement)
    db.session.flush()
    record_change(
        "measurement_recorded",
        participation,
        measurement,
        actor=actor,
        before=None,
        after=snapshot(measurement, MEASUREMENT_FIELDS),
        indicator=indicator.key,
    )
    send_figures_changed([participation.id])
    return measurement


def update_measurement(
    measurement: Measurement,
    value: Decimal,
    note: str = "",
    *,
    actor,
    version: int | None = None,
    quality: Quality | None = None,
) -> Measurement:
    """Change a period's value, note and quality mark (its period stays)."""
    check_version(measurement, version, _l("Målingen"))
    participation, indicator = measurement.participation, measurement.indicator
    note = (note or "").strip()
    check_figure(
        participation,
        indicator,
        Kind.MEASUREMENT,
        value=value,
        date=measurement.period,
        note=note,
        existing=existing_figures(participation, indicator),
    )
    before = snapshot(measurement, MEASUREMENT_FIELDS)
    measurement.value, measurement.note, measurement.quality = value, note, quality
    measurement.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    record_change(
        "measurement_updated",
        participation,
        measurement,
        actor=actor,
        before=before,
        after=snapshot(measurement, MEASUREMENT_FIELDS),
        indicator=indicator.key,
    )
    send_figures_changed([participation.id])
    return measurement


def delete_measurement(measurement: Measurement, *, actor, version: int | None = None) -> None:
    check_version(measurement, version, _l("Målingen"))
    record_change(
        "measurement_deleted",
        measurement.participation,
        measurement,
        actor=actor,
        before=snapshot(measurement, MEASUREMENT_FIELDS),
        after=None,
        indicator=measurement.indicator.key,
    )
    participation = measurement.participation
    db.session.delete(measurement)
    send_figures_changed([participation.id])
