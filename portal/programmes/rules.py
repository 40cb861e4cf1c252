"""The rules a programme and a round must satisfy, shared by the definition-file loader and
the coordinator's edit pages, so a file and a form are refused for the same reasons.

Each check returns a list of ``(field, message)``; an empty list means the data is valid.
Messages are Danish, for people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from portal.programmes.formulas import DERIVED_PARAMETERS
from portal.programmes.models import BenefitKind, Block, Direction, Frequency, RoundStatus

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_AMOUNT = 1_000_000_000  # kroner; beyond it is a typing error (and past the INTEGER column)
MAX_COMMUNITY = 100  # more municipalities than a lead can drive, whatever the round
# DERIVED_PARAMETERS (hourly_cost): formulas may use it, a round never stores it.

Problems = list[tuple[str, str]]


@dataclass
class RoundData:
    slug: str
    name_da: str
    name_en: str
    opens_at: datetime  # aware, UTC
    deadline_at: datetime  # aware, UTC
    period_start: date
    period_end: date
    lead_grant: int
    participant_grant: int | None
    participant_pool: int | None
    community_min: int
    community_max: int
    weight_experience: int = 1
    weight_leadership: int = 1
    weight_readiness: int = 1
    parameters: dict[str, str] = field(default_factory=dict)
    status: RoundStatus = RoundStatus.DRAFT


def check_slug(slug: str, field_name: str = "slug") -> Problems:
    if not SLUG_PATTERN.match(slug or ""):
        return [
            (
                field_name,
                _l("Kortnavnet må kun indeholde små bogstaver a-z, tal, bindestreg og understreg."),
            )
        ]
    if slug in reserved_words():
        return [
            (
                field_name,
                _l(
                    "Kortnavnet '%(slug)s' bruges i portalens egne adresser. Vælg et andet.",
                    slug=slug,
                ),
            )
        ]
    return []


def reserved_words() -> frozenset[str]:
    """Every fixed word of the portal's own URLs (``indlaes``, ``forloeb``, ``rediger`` …),
    read from the URL map: a programme or round named so would collide with a page."""
    if not has_app_context():
        return frozenset()
    return frozenset(
        part
        for rule in current_app.url_map.iter_rules()
        for part in rule.rule.split("/")
        if part and "<" not in part
    )


def check_key(key: str, field_name: str = "key") -> Problems:
    if not KEY_PATTERN.match(key or ""):
        return [
            (field_name, _l("Nøglen skal starte med et bogstav og må kun indeholde a-z, 0-9 og _."))
        ]
    return []


def check_choice(value: str, enum_cls, field_name: str) -> Problems:
    allowed = [m.value for m in enum_cls]
    if value not in allowed:
        return [
            (
                field_name,
                _l(
                    "'%(value)s' er ikke en af: %(allowed)s.",
                    value=value,
                    allowed=", ".join(allowed),
                ),
            )
        ]
    return []


def check_direction(value: str) -> Problems:
    return check_choice(value, Direction, "direction")


def check_frequency(value: str) -> Problems:
    return check_choice(value, Frequency, "frequency")


def check_block(value: str) -> Problems:
    return check_choice(value, Block, "block")


def check_benefit_kind(value: str) -> Problems:
    return check_choice(value, BenefitKind, "kind")


def parse_parameter(value) -> Decimal:
    """A round parameter as Decimal (``450000``, ``3.79`` or Danish ``3,79``)."""
    if isinstance(value, bool):
        raise InvalidOperation
    text = str(value).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


def check_parameters(parameters: dict) -> Problems:
    problems: Problems = []
    for name, value in parameters.items():
        if name in DERIVED_PARAMETERS:
            problems.append(
                (
                    "parameters",
                    _l(
                        "'%(name)s' beregnes altid (årlig lønudgift ÷ årlige timer) og kan ikke angives.",
                        name=name,
                    ),
                )
            )
            continue
        if not KEY_PATTERN.match(name):
            problems.append(
                (
                    "parameters",
                    _l("Parameternavnet '%(name)s' må kun indeholde a-z, 0-9 og _.", name=name),
                )
            )
            continue
        try:
            number = parse_parameter(value)
        except (InvalidOperation, ValueError):
            problems.append(
                (
                    "parameters",
                    _l(
                        "Parameteren '%(name)s' skal være et tal, ikke '%(value)s'.",
                        name=name,
                        value=value,
                    ),
                )
            )
            continue
        if number < 0:
            problems.append(
                ("parameters", _l("Parameteren '%(name)s' må ikke være negativ.", name=name))
            )
    annual_hours = parameters.get("annual_hours")
    if annual_hours is not None:
        try:
            if parse_parameter(annual_hours) == 0:
                problems.append(
                    ("parameters", _l("'annual_hours' må ikke være 0 (timeprisen deler med den)."))
                )
        except (InvalidOperation, ValueError):
            pass
    return problems


def check_round(data: RoundData) -> Problems:
    """Every rule of a round, each with the field it belongs to."""
    problems: Problems = list(check_slug(data.slug))
    if not data.name_da.strip():
        problems.append(("name_da", _l("Angiv et dansk navn.")))
    if data.deadline_at <= data.opens_at:
        problems.append(("deadline_at", _l("Ansøgningsfristen skal ligge efter åbningen.")))
    if data.period_end <= data.period_start:
        problems.append(("period_end", _l("Forløbet skal slutte efter det starter.")))
    if data.lead_grant < 0:
        problems.append(("lead_grant", _l("Tilskuddet kan ikke være negativt.")))
    for name in ("lead_grant", "participant_grant", "participant_pool"):
        value = getattr(data, name)
        if value is not None and value > MAX_AMOUNT:
            problems.append((name, _l("Beløbet er urealistisk stort (højst 1 mia. kr.).")))
    if (data.participant_grant is None) == (data.participant_pool is None):
        problems.append(
            (
                "participant_grant",
                _l(
                    "Angiv enten et fast tilskud pr. deltagerkommune eller en pulje, ikke begge og ikke ingen."
                ),
            )
        )
    for name in ("participant_grant", "participant_pool"):
        value = getattr(data, name)
        if value is not None and value < 0:
            problems.append((name, _l("Beløbet kan ikke være negativt.")))
    if data.community_min < 1:
        problems.append(("community_min", _l("Et fællesskab skal have mindst én deltagerkommune.")))
    if data.community_max > MAX_COMMUNITY:
        problems.append(
            (
                "community_max",
                _l("Et fællesskab kan højst have %(n)d deltagerkommuner.", n=MAX_COMMUNITY),
            )
        )
    if data.community_max < data.community_min:
        problems.append(
            ("community_max", _l("Største antal kan ikke være mindre end mindste antal."))
        )
    weights = (data.weight_experience, data.weight_leadership, data.weight_readiness)
    if any(w < 0 or w > 100 for w in weights) or sum(weights) == 0:
        problems.append(
            ("weight_experience", _l("Vægtene skal være mellem 0 og 100, og mindst én over 0."))
        )
    problems += check_parameters(data.parameters)
    return problems
