"""Benefit lines of a programme's benefit model, edited by the coordinator.

A line's formula is checked with the same rules as a programme file's
(``portal.programmes.formulas``): against the programme's indicators and the parameter names
of its rounds, plus the derived ``hourly_cost``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.audit import services as audit
from portal.db import db, utcnow
from portal.errors import RuleViolations, check_version
from portal.programmes import rules
from portal.programmes.formulas import DERIVED_PARAMETERS, check_formula
from portal.programmes.models import BenefitKind, BenefitLine, Programme, Round
from portal.programmes.services import field_values as snapshot  # same package
from portal.programmes.services import refresh_results


def formula_names(programme: Programme) -> tuple[list[str], list[str]]:
    """The names a benefit formula of the programme may use, for the check and the hint:
    the indicator keys, and the parameter names of any of its rounds (drafts too) plus
    ``hourly_cost`` — the same choice as when a programme file is loaded."""
    parameters = set(DERIVED_PARAMETERS)
    for stored in db.session.scalars(
        select(Round.parameters).where(Round.programme_id == programme.id)
    ):
        parameters |= set(stored or {})
    return [i.key for i in programme.indicators], sorted(parameters)


BENEFIT_FIELDS = ("key", "name_da", "name_en", "kind", "formula")


@dataclass
class BenefitLineData:
    key: str
    name_da: str
    name_en: str
    kind: str
    formula: str


def check_benefit_line(programme: Programme, data: BenefitLineData, *, line=None) -> list:
    """Every rule a benefit line breaks, as ``(field, message)``; the formula is checked
    against the programme's indicators and its rounds' parameter names."""
    problems = []
    if line is None:
        problems += rules.check_key(data.key)
        if any(b.key == data.key for b in programme.benefits):
            problems.append(("key", _l("Der findes allerede en gevinstlinje med denne nøgle.")))
    if not data.name_da.strip():
        problems.append(("name_da", _l("Angiv et dansk navn.")))
    problems += rules.check_benefit_kind(data.kind)
    indicator_keys, parameters = formula_names(programme)
    problems += [
        ("formula", reason) for reason in check_formula(data.formula, indicator_keys, parameters)
    ]
    return problems


def save_benefit_line(
    programme: Programme,
    data: BenefitLineData,
    *,
    actor,
    line: BenefitLine | None = None,
    version: int | None = None,
) -> BenefitLine:
    """Create a benefit line, or change one (its key stays). Locked, like the indicator
    catalogue, on the programme's version."""
    check_version(programme, version, _l("Gevinstmodellen"))
    problems = check_benefit_line(programme, data, line=line)
    if problems:
        raise RuleViolations(problems)
    before = snapshot(line, BENEFIT_FIELDS) if line else {}
    if line is None:
        line = BenefitLine(programme=programme, key=data.key, position=len(programme.benefits))
        db.session.add(line)
    line.name_da, line.name_en = data.name_da.strip(), data.name_en.strip()
    line.kind = BenefitKind(data.kind)
    line.formula = data.formula.strip()
    programme.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "benefit_line_saved",
        actor=actor,
        obj=line,
        changes=audit.changes(before, snapshot(line, BENEFIT_FIELDS)),
    )
    refresh_results(programme=programme)
    return line


def delete_benefit_line(line: BenefitLine, *, actor, version: int | None = None) -> None:
    programme = line.programme
    check_version(programme, version, _l("Gevinstmodellen"))
    audit.record(
        "benefit_line_deleted", actor=actor, obj=line, before=snapshot(line, BENEFIT_FIELDS)
    )
    programme.benefits.remove(line)
    programme.updated_at = utcnow()
    db.session.flush()
    refresh_results(programme=programme)
