"""The checks of a programme definition file (TOML): every problem with its line, before
anything is written; the result is the file's content in the models' terms (``Checked``)."""

from __future__ import annotations

import re
import tomllib
from datetime import date

from sqlalchemy import select

from portal.db import db
from portal.errors import RowErrors
from portal.programmes import rules
from portal.programmes.formulas import check_formula
from portal.programmes.loading.values import (
    Checked,
    Lines,
    is_whole,
    to_utc,
    translated_text,
    unknown_keys,
)
from portal.programmes.models import (
    MAX_DESCRIPTION,
    MAX_GOAL,
    MAX_METHOD,
    MAX_SOURCE,
    BenefitKind,
    Block,
    Direction,
    Frequency,
    Programme,
    Round,
    RoundStatus,
)

TOP_KEYS = {"slug", "name", "description", "goals", "indicators", "benefits", "rounds"}
INDICATOR_KEYS = {"key", "name", "unit", "direction", "frequency", "block", "method", "source"}
BENEFIT_KEYS = {"key", "name", "kind", "formula", "dis_benefit"}
ROUND_KEYS = {
    "slug",
    "name",
    "opens",
    "deadline",
    "period_start",
    "period_end",
    "lead_grant",
    "participant_grant",
    "participant_pool",
    "community_size",
    "status",
    "weights",
    "parameters",
}
WEIGHT_KEYS = {"experience", "leadership", "readiness"}
ARRAY_LABEL = {"indicators": "indikator", "benefits": "gevinstlinje", "rounds": "forløb"}


def _check_array_items(
    data: dict, array: str, allowed: set[str], lines: Lines, errors: list[tuple[int, str]]
) -> list[dict]:
    items = data.get(array, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        errors.append((lines.top(array), f"'{array}' skal være en liste af [[{array}]]-tabeller"))
        return []
    seen: dict[str, int] = {}
    label = ARRAY_LABEL[array]
    id_key = "slug" if array == "rounds" else "key"
    for index, item in enumerate(items):
        ident = str(item.get(id_key, f"nr. {index + 1}"))
        for message in unknown_keys(item, allowed):
            key = message.split("'")[1]
            errors.append((lines.item(array, index, key), f"{label} '{ident}': {message}"))
        if ident in seen:
            errors.append(
                (
                    lines.item(array, index, id_key),
                    f"{label} '{ident}' står to gange (også linje {seen[ident]})",
                )
            )
        else:
            seen[ident] = lines.item(array, index, id_key)
    return items


def _check_indicator(item: dict, index: int, lines: Lines, errors: list) -> dict | None:
    ident = str(item.get("key", f"nr. {index + 1}"))
    problems: list[tuple[str | None, str]] = []
    problems += [("key", m) for _, m in rules.check_key(item.get("key", ""))]
    texts: list[str] = []
    name = translated_text(item.get("name"), "name", texts)
    method = translated_text(item.get("method"), "method", texts, required=False, limit=MAX_METHOD)
    source = translated_text(item.get("source"), "source", texts, required=False, limit=MAX_SOURCE)
    problems += [("name", m) for m in texts]
    for key, enum_cls in (("direction", Direction), ("frequency", Frequency), ("block", Block)):
        if key not in item:
            problems.append((key, f"'{key}' mangler"))
        else:
            problems += [(key, m) for _, m in rules.check_choice(str(item[key]), enum_cls, key)]
    unit_problems: list[str] = []
    unit = translated_text(
        item.get("unit"), "unit", unit_problems, required=False
    )  # "timer" or {da, en}
    if unit_problems or any(len(text) > 50 for text in unit.values()):
        problems.append(("unit", "'unit' skal være tekst på højst 50 tegn (eller { da, en })"))
    for key, message in problems:
        errors.append((lines.item("indicators", index, key), f"indikator '{ident}': {message}"))
    if problems:
        return None
    return {
        "key": item["key"],
        "name_da": name["da"],
        "name_en": name["en"],
        "unit": unit["da"],
        "unit_en": unit["en"],
        "direction": Direction(item["direction"]),
        "frequency": Frequency(item["frequency"]),
        "block": Block(item["block"]),
        "method_da": method["da"],
        "method_en": method["en"],
        "source_da": source["da"],
        "source_en": source["en"],
    }


def _check_benefit(
    item: dict,
    index: int,
    lines: Lines,
    errors: list,
    indicator_keys: set[str],
    parameter_names: set[str],
) -> dict | None:
    ident = str(item.get("key", f"nr. {index + 1}"))
    problems: list[tuple[str, str]] = [("key", m) for _, m in rules.check_key(item.get("key", ""))]
    texts: list[str] = []
    name = translated_text(item.get("name"), "name", texts)
    problems += [("name", m) for m in texts]
    problems += [
        ("kind", m) for _, m in rules.check_choice(str(item.get("kind")), BenefitKind, "kind")
    ]
    formula = item.get("formula")
    if not isinstance(formula, str) or not formula.strip():
        problems.append(("formula", "formlen mangler"))
    else:
        problems += [
            ("formula", f"formlen: {reason}")
            for reason in check_formula(formula, indicator_keys, parameter_names)
        ]
    dis_benefit = item.get("dis_benefit", False)
    if not isinstance(dis_benefit, bool):
        problems.append(("dis_benefit", "'dis_benefit' skal være true eller false"))
    for key, message in problems:
        errors.append((lines.item("benefits", index, key), f"gevinstlinje '{ident}': {message}"))
    if problems:
        return None
    return {
        "key": item["key"],
        "name_da": name["da"],
        "name_en": name["en"],
        "kind": BenefitKind(item["kind"]),
        "formula": formula.strip(),
        "dis_benefit": dis_benefit,
    }


# Which key of the file each RoundData field is written as, to point at the right line.
_ROUND_FIELD_KEY = {
    "opens_at": "opens",
    "deadline_at": "deadline",
    "community_min": "community_size",
    "community_max": "community_size",
    "weight_experience": "weights",
    "name_da": "name",
}


def _check_round(item: dict, index: int, lines: Lines, errors: list) -> rules.RoundData | None:
    ident = str(item.get("slug", f"nr. {index + 1}"))
    problems: list[tuple[str, str]] = []

    def need(key: str, check, message: str):
        if key not in item:
            problems.append((key, f"'{key}' mangler"))
            return None
        if not check(item[key]):
            problems.append((key, message))
            return None
        return item[key]

    texts: list[str] = []
    name = translated_text(item.get("name"), "name", texts)
    problems += [("name", m) for m in texts]
    slug = need("slug", lambda v: isinstance(v, str), "'slug' skal være tekst")
    opens = need(
        "opens", lambda v: isinstance(v, date), "'opens' skal være en dato eller et tidspunkt"
    )
    deadline = need(
        "deadline", lambda v: isinstance(v, date), "'deadline' skal være en dato eller et tidspunkt"
    )
    start = need(
        "period_start", lambda v: type(v) is date, "'period_start' skal være en dato (ÅÅÅÅ-MM-DD)"
    )
    end = need(
        "period_end", lambda v: type(v) is date, "'period_end' skal være en dato (ÅÅÅÅ-MM-DD)"
    )
    lead = need("lead_grant", is_whole, "'lead_grant' skal være et helt antal kroner")
    size = need(
        "community_size",
        lambda v: isinstance(v, list) and len(v) == 2 and all(is_whole(x) for x in v),
        "'community_size' skal være [mindst, højst], fx [5, 10]",
    )
    grants = {}
    for key in ("participant_grant", "participant_pool"):
        value = item.get(key)
        if value is not None and not is_whole(value):
            problems.append((key, f"'{key}' skal være et helt antal kroner"))
            value = None
        grants[key] = value
    weights = item.get("weights", {})
    if (
        not isinstance(weights, dict)
        or set(weights) - WEIGHT_KEYS
        or not all(is_whole(v) for v in weights.values())
    ):
        problems.append(
            ("weights", "'weights' skal være { experience = 1, leadership = 1, readiness = 1 }")
        )
        weights = {}
    parameters = item.get("parameters", {})
    if not isinstance(parameters, dict):
        problems.append(("parameters", "[rounds.parameters] skal være en tabel af navn = tal"))
        parameters = {}
    status = item.get("status", "draft")
    problems += [("status", m) for _, m in rules.check_choice(str(status), RoundStatus, "status")]

    data = None
    if not problems:
        data = rules.RoundData(
            slug=slug,
            name_da=name["da"],
            name_en=name["en"],
            opens_at=to_utc(opens),
            deadline_at=to_utc(deadline, end_of_day=True),
            period_start=start,
            period_end=end,
            lead_grant=lead,
            participant_grant=grants["participant_grant"],
            participant_pool=grants["participant_pool"],
            community_min=size[0],
            community_max=size[1],
            weight_experience=weights.get("experience", 1),
            weight_leadership=weights.get("leadership", 1),
            weight_readiness=weights.get("readiness", 1),
            parameters={k: str(v) for k, v in parameters.items()},
            status=RoundStatus(status),
        )
        for field_name, message in rules.check_round(data):
            problems.append((_ROUND_FIELD_KEY.get(field_name, field_name), message))
    for key, message in problems:
        errors.append((lines.item("rounds", index, key), f"forløb '{ident}': {message}"))
    return None if problems else data


def _formula_names(data: dict, slug: str) -> tuple[set[str], set[str]]:
    """The names a benefit formula of the file may use.

    Indicators: every key the file's catalogue names (an indicator refused for another
    reason is reported there, not again at each formula). Parameters: the names in any of
    the file's rounds' ``[rounds.parameters]``, plus those of the programme's rounds already
    stored (a file may leave its rounds out, and stored rounds are kept), plus the derived
    ``hourly_cost``. A formula is checked against the union: a name that only some rounds
    define is accepted, and a participation of a round without it gets its periods flagged
    as missing that value when the benefits are computed.
    """
    indicators = data.get("indicators", [])
    indicator_keys = {
        item["key"]
        for item in (indicators if isinstance(indicators, list) else [])
        if isinstance(item, dict) and isinstance(item.get("key"), str)
    }
    parameter_names: set[str] = set()
    rounds = data.get("rounds", [])
    for item in rounds if isinstance(rounds, list) else []:
        if isinstance(item, dict) and isinstance(item.get("parameters"), dict):
            parameter_names |= set(item["parameters"])
    if slug:
        stored = db.session.scalars(
            select(Round.parameters).join(Programme).where(Programme.slug == slug)
        )
        for parameters in stored:
            parameter_names |= set(parameters or {})
    return indicator_keys, parameter_names | set(rules.DERIVED_PARAMETERS)


def check_programme_file(text: str | bytes) -> Checked:
    """Parse and check a whole file; raise ``RowErrors`` with every problem and its line."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RowErrors([(1, "Filen er ikke UTF-8.")]) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise RowErrors([(int(match.group(1)) if match else 1, f"TOML-fejl: {exc}")]) from exc
    except RecursionError as exc:  # arrays or tables nested thousands deep
        raise RowErrors([(1, "TOML-fejl: filen er indlejret for dybt.")]) from exc
    lines = Lines(text)
    errors: list[tuple[int, str]] = []
    for message in unknown_keys(data, TOP_KEYS):
        errors.append((lines.top(message.split("'")[1]), message))
    slug = data.get("slug")
    if not isinstance(slug, str):
        errors.append((lines.top("slug"), "'slug' mangler"))
        slug = ""
    else:
        errors += [(lines.top("slug"), m) for _, m in rules.check_slug(slug)]
    texts: list[str] = []
    name = translated_text(data.get("name"), "name", texts)
    errors += [(lines.top("name"), m) for m in texts]
    texts = []
    description = translated_text(
        data.get("description"), "description", texts, required=False, limit=MAX_DESCRIPTION
    )
    errors += [(lines.top("description"), m) for m in texts]
    goals = []
    raw_goals = data.get("goals", [])
    if not isinstance(raw_goals, list):
        errors.append((lines.top("goals"), "'goals' skal være en liste"))
        raw_goals = []
    for number, goal in enumerate(raw_goals, start=1):
        texts = []
        goals.append(translated_text(goal, f"mål nr. {number}", texts, limit=MAX_GOAL))
        errors += [(lines.top("goals"), m) for m in texts]

    checked = Checked(slug=slug, name=name, description=description, goals=goals)
    for index, item in enumerate(
        _check_array_items(data, "indicators", INDICATOR_KEYS, lines, errors)
    ):
        checked.indicators.append(_check_indicator(item, index, lines, errors))
    indicator_keys, parameter_names = _formula_names(data, slug)
    for index, item in enumerate(_check_array_items(data, "benefits", BENEFIT_KEYS, lines, errors)):
        checked.benefits.append(
            _check_benefit(item, index, lines, errors, indicator_keys, parameter_names)
        )
    for index, item in enumerate(_check_array_items(data, "rounds", ROUND_KEYS, lines, errors)):
        checked.rounds.append(_check_round(item, index, lines, errors))

    if slug:
        owners = dict(
            db.session.execute(
                select(Round.slug, Programme.slug)
                .join(Programme)
                .where(Round.slug.in_([r.slug for r in checked.rounds if r]))
            ).all()
        )
        for index, round_data in enumerate(checked.rounds):
            if round_data and owners.get(round_data.slug, slug) != slug:
                errors.append(
                    (
                        lines.item("rounds", index, "slug"),
                        f"forløb '{round_data.slug}' hører allerede til indsatsen "
                        f"'{owners[round_data.slug]}'",
                    )
                )
    if errors:
        raise RowErrors(sorted(set(errors)))
    return checked
