"""Benefit formulas: parsed through an ``ast`` whitelist, evaluated with Decimal.

A formula is arithmetic over indicator keys, ``baseline.KEY`` (a participation's baseline of
indicator KEY) and a round's parameters by name (``annual_cost``, ``km_rate`` … and the
derived ``hourly_cost``): ``+ - * / ( )``, unary minus, numbers, ``min(…)`` and ``max(…)``.
Nothing else is accepted — no attribute but ``baseline.KEY``, no other call, no subscript,
string, comparison, power, lambda or comprehension — and nothing is ever run through
``eval``: the whitelisted tree is turned into a small tree of our own and walked with Decimal.

This module is pure (``ast``, ``decimal`` and gettext only), so the programme loader, the
edit pages and the benefit arithmetic share it without importing each other.

Values are looked up by the names a formula uses: an indicator or parameter by its name,
a baseline as ``"baseline.KEY"``.
"""

from __future__ import annotations

import ast
import decimal
from collections.abc import Iterable, Mapping
from decimal import Decimal

from flask_babel import gettext as _

from portal.programmes.formulas.base import (
    BASELINE,
    CONTEXT,
    DERIVED_PARAMETERS,
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NUMBER,
    DivisionByZero,
    Formula,
    FormulaError,
    InvalidFormula,
    MissingValues,
    Node,
)
from portal.programmes.formulas.compiler import Compiler, syntax_reason

__all__ = [
    "BASELINE",
    "DERIVED_PARAMETERS",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NUMBER",
    "DivisionByZero",
    "Formula",
    "FormulaError",
    "InvalidFormula",
    "MissingValues",
    "Node",
    "as_decimal",
    "check_formula",
    "compile_formula",
    "evaluate",
    "names_used",
    "parse_formula",
]


def parse_formula(text: str) -> Formula:
    """Parse a formula through the whitelist; raise ``InvalidFormula`` with every reason.

    Checks only the form; which names exist is ``check_formula``'s business.
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidFormula([_("formlen er tom")])
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise InvalidFormula([_("formlen er for lang (højst %(n)d tegn)", n=MAX_LENGTH)])
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise InvalidFormula([syntax_reason(error)]) from None
    except (ValueError, RecursionError, MemoryError):
        raise InvalidFormula([_("syntaksfejl: ugyldigt udtryk")]) from None
    compiler = Compiler(text)
    node = compiler.compile(tree.body)
    if compiler.reasons or node is None:
        raise InvalidFormula(compiler.reasons or [_("syntaksfejl: ugyldigt udtryk")])
    return Formula(text=text, names=frozenset(compiler.names), node=node)


def check_formula(
    formula: str | Formula, indicator_keys: Iterable[str], parameter_names: Iterable[str]
) -> list[str]:
    """Every reason the formula cannot be used with this catalogue and these parameters;
    an empty list means it is fine.

    ``hourly_cost`` is always known (derived from ``annual_cost`` and ``annual_hours``); a
    name that is both an indicator and a parameter is refused as ambiguous.
    """
    if isinstance(formula, Formula):
        parsed = formula
    else:
        try:
            parsed = parse_formula(formula)
        except InvalidFormula as error:
            return list(error.reasons)
    indicators = frozenset(indicator_keys)
    parameters = frozenset(parameter_names) | DERIVED_PARAMETERS
    reasons = []
    for name in sorted(parsed.bare_names):
        if name in indicators and name in parameters:
            reasons.append(
                _("'%(name)s' er både en indikator og en parameter; omdøb den ene", name=name)
            )
        elif name not in indicators and name not in parameters:
            reasons.append(_("ukendt navn '%(name)s'", name=name))
    for key in sorted(parsed.baseline_keys):
        if key not in indicators:
            reasons.append(_("ukendt indikator '%(key)s' i baseline.%(key)s", key=key))
    return reasons


def compile_formula(
    formula: str, indicator_keys: Iterable[str], parameter_names: Iterable[str]
) -> Formula:
    """Parse and check; raise ``InvalidFormula`` with every reason."""
    parsed = parse_formula(formula)
    reasons = check_formula(parsed, indicator_keys, parameter_names)
    if reasons:
        raise InvalidFormula(reasons)
    return parsed


def names_used(formula: str | Formula) -> frozenset[str]:
    """The value names a formula reads (``"baseline.KEY"`` for a baseline)."""
    return (formula if isinstance(formula, Formula) else parse_formula(formula)).names


def as_decimal(value, name: str = "") -> Decimal:
    """A value for a formula: Decimal, int or a decimal string — never a float."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except decimal.InvalidOperation:
            raise FormulaError(
                _("værdien af '%(name)s' er ikke et tal", name=name), (name,)
            ) from None
    else:
        raise TypeError(f"{name or 'value'}: expected Decimal, int or str, not {type(value)!r}")
    if not number.is_finite():
        raise FormulaError(_("værdien af '%(name)s' er ikke et tal", name=name), (name,))
    return number


def evaluate(formula: Formula, values: Mapping[str, object]) -> Decimal:
    """The formula's value with these values (``None`` counts as missing).

    Raises ``MissingValues`` (with every missing name), ``DivisionByZero`` (with the
    divisor's text) or ``FormulaError`` — never returns a float or an Infinity.
    """
    missing = [name for name in formula.names if values.get(name) is None]
    if missing:
        raise MissingValues(missing)
    env = {name: as_decimal(values[name], name) for name in formula.names}
    with decimal.localcontext(CONTEXT):
        try:
            result = _walk(formula.node, env)
        except (decimal.Overflow, decimal.InvalidOperation):
            raise FormulaError(_("resultatet kan ikke beregnes (tallene er for store)")) from None
    return result if result else abs(result)  # never -0


def _walk(node: Node, env: Mapping[str, Decimal]) -> Decimal:
    tag = node[0]
    if tag == "num":
        return node[1]
    if tag == "name":
        return env[node[1]]
    if tag == "neg":
        return -_walk(node[1], env)
    if tag == "bin":
        _tag, op, left, right, right_text = node
        a, b = _walk(left, env), _walk(right, env)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if not b:
            raise DivisionByZero(right_text)
        return a / b
    if tag == "call":
        return FUNCTIONS[node[1]](_walk(arg, env) for arg in node[2])
    raise AssertionError(f"unknown node {tag!r}")
