"""Programmes and rounds: reading them and the rules for changing them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal.audit import services as audit
from portal.db import db, utcnow
from portal.errors import InvalidInput, NotAllowed, RuleViolations, check_version
from portal.programmes import rules
from portal.programmes.formulas import FormulaError, parse_formula
from portal.programmes.models import Indicator, Programme, ProgrammeGoal, Round, RoundStatus
from portal.programmes.signals import round_period_changed
from portal.signals import send_figures_changed


def _rounds_loader(include_drafts: bool):
    """Rounds of a programme; a draft round is the coordinator's work in progress."""
    if include_drafts:
        return selectinload(Programme.rounds)
    return selectinload(Programme.rounds.and_(Round.status != RoundStatus.DRAFT))


def list_programmes(include_drafts: bool = False) -> list[Programme]:
    return list(
        db.session.scalars(
            select(Programme).options(_rounds_loader(include_drafts)).order_by(Programme.name_da)
        )
    )


def open_rounds(now: datetime | None = None) -> list[Round]:
    """Rounds taking applications now, the nearest deadline first."""
    now = now or utcnow()
    stmt = (
        select(Round)
        .options(joinedload(Round.programme))
        .where(
            Round.status == RoundStatus.OPEN,
            Round.opens_at <= now,
            Round.deadline_at > now - timedelta(minutes=1),  # the deadline minute counts
        )
        .order_by(Round.deadline_at)
    )
    return [r for r in db.session.scalars(stmt) if r.accepts_applications(now)]


def upcoming_rounds(now: datetime | None = None) -> list[Round]:
    """Rounds announced as open whose application window has not begun."""
    now = now or utcnow()
    stmt = (
        select(Round)
        .options(joinedload(Round.programme))
        .where(Round.status == RoundStatus.OPEN, Round.opens_at > now)
        .order_by(Round.opens_at)
    )
    return list(db.session.scalars(stmt))


def running_rounds(now: datetime | None = None) -> list[Round]:
    """Rounds whose collaboration period includes today."""
    today = (now or utcnow()).date()
    stmt = (
        select(Round)
        .options(joinedload(Round.programme))
        .where(
            Round.status != RoundStatus.DRAFT,
            Round.period_start <= today,
            Round.period_end >= today,
        )
        .order_by(Round.period_end)
    )
    return list(db.session.scalars(stmt))


def get_programme_by_slug(slug: str, include_drafts: bool = False) -> Programme | None:
    return db.session.scalar(
        select(Programme)
        .options(
            selectinload(Programme.goals),
            selectinload(Programme.indicators),
            selectinload(Programme.benefits),
            _rounds_loader(include_drafts),
        )
        .where(Programme.slug == slug)
    )


def get_round_by_slug(slug: str, include_drafts: bool = False) -> Round | None:
    stmt = select(Round).options(joinedload(Round.programme)).where(Round.slug == slug)
    if not include_drafts:
        stmt = stmt.where(Round.status != RoundStatus.DRAFT)
    return db.session.scalar(stmt)


def hourly_cost(round_: Round) -> Decimal | None:
    """annual_cost ÷ annual_hours of the round, always derived, never stored."""
    try:
        cost = rules.parse_parameter(round_.parameters["annual_cost"])
        hours = rules.parse_parameter(round_.parameters["annual_hours"])
    except (KeyError, InvalidOperation, ValueError):
        return None
    return (cost / hours).quantize(Decimal("0.01")) if hours else None


_check_version = check_version


def field_values(obj, fields: tuple[str, ...]) -> dict:
    return {f: _plain(getattr(obj, f)) for f in fields}


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


@dataclass
class ProgrammeData:
    name_da: str
    name_en: str
    description_da: str
    description_en: str
    goals: list[tuple[str, str]]  # (da, en) in order


def refresh_results(*, programme: Programme | None = None, round_: Round | None = None) -> None:
    """The stored results of every participation that read what just changed: a round's
    parameters, or a programme's indicators and formulas: told by the one signal
    (``portal.signals``), the results listen."""
    if round_ is not None:
        db.session.flush()
        send_figures_changed(round_ids=[round_.id])
    elif programme is not None and programme.id is not None:
        db.session.flush()
        for obj in [*programme.indicators, *programme.benefits]:
            db.session.expire(obj)  # read back as stored: enums, not the form's strings
        send_figures_changed(programme_ids=[programme.id])


def set_goals(programme: Programme, goals: list[tuple[str, str]]) -> None:
    """Replace the goals in order, reusing rows by position so an unchanged goal keeps its
    id (applications will refer to goals by id)."""
    rows = list(programme.goals)
    for position, (da, en) in enumerate(goals):
        if position >= len(rows):
            rows.append(ProgrammeGoal())
        rows[position].position = position
        rows[position].text_da, rows[position].text_en = da.strip(), en.strip()
    programme.goals = rows[: len(goals)]


PROGRAMME_FIELDS = ("name_da", "name_en", "description_da", "description_en")


def update_programme(programme: Programme, data: ProgrammeData, *, actor, version=None) -> None:
    _check_version(programme, version, _l("Indsatsen"))
    problems = []
    if not data.name_da.strip():
        problems.append(("name_da", _l("Angiv et dansk navn.")))
    if any(not da.strip() for da, _en in data.goals):
        problems.append(("goals_da", _l("Et mål skal have en dansk tekst.")))
    if problems:
        raise RuleViolations(problems)
    before = field_values(programme, PROGRAMME_FIELDS)
    before["goals"] = [g.text_da for g in programme.goals]
    for name in PROGRAMME_FIELDS:
        setattr(programme, name, getattr(data, name).strip())
    set_goals(programme, data.goals)
    programme.updated_at = utcnow()  # the goals alone may have changed: bump the version
    db.session.flush()
    after = field_values(programme, PROGRAMME_FIELDS)
    after["goals"] = [g.text_da for g in programme.goals]
    audit.record(
        "programme_updated", actor=actor, obj=programme, changes=audit.changes(before, after)
    )


INDICATOR_FIELDS = (
    "key",
    "name_da",
    "name_en",
    "unit",
    "unit_en",
    "direction",
    "frequency",
    "block",
    "method_da",
    "method_en",
    "source_da",
    "source_en",
)


@dataclass
class IndicatorData:
    key: str
    name_da: str
    name_en: str
    unit: str
    direction: str
    frequency: str
    block: str
    unit_en: str = ""
    method_da: str = ""
    method_en: str = ""
    source_da: str = ""
    source_en: str = ""


def save_indicator(
    programme: Programme,
    data: IndicatorData,
    *,
    actor,
    indicator: Indicator | None = None,
    version: int | None = None,
) -> Indicator:
    """Create an indicator, or change one (its key stays: figures are recorded against it).

    The catalogue is locked as a whole: ``version`` is the programme's version the editor
    loaded, and every change of an indicator bumps it.
    """
    _check_version(programme, version, _l("Indikatorkataloget"))
    problems = []
    if indicator is None:
        problems += rules.check_key(data.key)
        if any(i.key == data.key for i in programme.indicators):
            problems.append(("key", _l("Der findes allerede en indikator med denne nøgle.")))
    if not data.name_da.strip():
        problems.append(("name_da", _l("Angiv et dansk navn.")))
    problems += rules.check_direction(data.direction)
    problems += rules.check_frequency(data.frequency)
    problems += rules.check_block(data.block)
    if problems:
        raise RuleViolations(problems)
    before = field_values(indicator, INDICATOR_FIELDS) if indicator else {}
    if indicator is None:
        indicator = Indicator(programme=programme, key=data.key, position=len(programme.indicators))
        db.session.add(indicator)
    for name in INDICATOR_FIELDS[1:]:
        value = getattr(data, name)
        setattr(indicator, name, value.strip() if isinstance(value, str) else value)
    programme.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "indicator_saved",
        actor=actor,
        obj=indicator,
        changes=audit.changes(before, field_values(indicator, INDICATOR_FIELDS)),
    )
    refresh_results(programme=programme)
    return indicator


def delete_indicator(indicator: Indicator, *, actor, version: int | None = None) -> None:
    """Delete an indicator no benefit formula uses (a formula would lose a name it reads)."""
    programme = indicator.programme
    _check_version(programme, version, _l("Indikatorkataloget"))
    users = [b.key for b in programme.benefits if indicator.key in formula_indicators(b.formula)]
    if users:
        raise InvalidInput(
            _l(
                "Indikatoren %(key)s kan ikke slettes: formlen for gevinstlinjen %(lines)s"
                " bruger den. Ret eller slet gevinstlinjen først.",
                key=indicator.key,
                lines=", ".join(users),
            )
        )
    audit.record(
        "indicator_deleted",
        actor=actor,
        obj=indicator,
        before=field_values(indicator, INDICATOR_FIELDS),
    )
    try:
        with db.session.begin_nested():
            programme.indicators.remove(indicator)
            programme.updated_at = utcnow()
            db.session.flush()
    except IntegrityError as exc:  # figures recorded against it (a RESTRICT foreign key)
        raise NotAllowed(
            _l(
                "Indikatoren %(key)s kan ikke slettes: der er registreret tal for den"
                " (baseline, målbillede eller målinger).",
                key=indicator.key,
            )
        ) from exc
    refresh_results(programme=programme)


ROUND_FIELDS = tuple(f.name for f in fields(rules.RoundData))


def _check_round_data(data: rules.RoundData, *, existing: Round | None = None) -> None:
    problems = rules.check_round(data)
    other = db.session.scalar(select(Round).where(Round.slug == data.slug))
    if other is not None and other is not existing:
        problems.append(("slug", _l("Et andet forløb har allerede dette kortnavn.")))
    if problems:
        raise RuleViolations(problems)


def create_round(programme: Programme, data: rules.RoundData, *, actor) -> Round:
    _check_round_data(data)
    round_ = Round(programme=programme, **vars(data))
    db.session.add(round_)
    db.session.flush()
    audit.record(
        "round_created", actor=actor, obj=round_, values=field_values(round_, ROUND_FIELDS)
    )
    return round_


def update_round(round_: Round, data: rules.RoundData, *, actor, version=None) -> Round:
    _check_version(round_, version, _l("Forløbet"))
    _check_round_data(data, existing=round_)
    before = field_values(round_, ROUND_FIELDS)
    period = (round_.period_start, round_.period_end)
    for name in ROUND_FIELDS:
        setattr(round_, name, getattr(data, name))
    db.session.flush()
    if (round_.period_start, round_.period_end) != period:
        round_period_changed.send(round_)
    audit.record(
        "round_updated",
        actor=actor,
        obj=round_,
        changes=audit.changes(before, field_values(round_, ROUND_FIELDS)),
    )
    refresh_results(round_=round_)
    return round_


def formula_indicators(formula: str) -> frozenset[str]:
    """Indicator keys a stored formula reads, as a measurement or as baseline.KEY."""
    try:
        parsed = parse_formula(formula)
    except FormulaError:  # a stored formula that no longer parses reads nothing we can name
        return frozenset()
    return parsed.bare_names | parsed.baseline_keys
