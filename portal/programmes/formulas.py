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
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

MAX_LENGTH = 500  # characters; a benefit formula is one line of arithmetic
MAX_DEPTH = 32  # nesting of the tree (a sum of 30 terms, or 30 nested brackets)
MAX_NUMBER = Decimal(10) ** 12  # a literal beyond it is a typing error
BASELINE = "baseline"
FUNCTIONS = {"min": min, "max": max}
DERIVED_PARAMETERS = frozenset({"hourly_cost"})

# Decimal arithmetic with every questionable operation trapped: nothing silently becomes
# Infinity or NaN. 28 significant digits are far beyond any kroner figure.
_CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_REFUSED_OPERATORS = {
    ast.Pow: "**",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
}


class FormulaError(Exception):
    """A formula cannot be used or evaluated; ``reason`` is for people (Danish first)."""

    kind = "error"

    def __init__(self, reason: str, names: Iterable[str] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.names = tuple(names)


class InvalidFormula(FormulaError):
    """Refused by the parser or the name check; ``reasons`` lists every problem."""

    kind = "invalid"

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class MissingValues(FormulaError):
    """A value the formula needs is not there (``names``: which)."""

    kind = "missing"

    def __init__(self, names: Iterable[str]) -> None:
        names = tuple(sorted(names))
        super().__init__(_("mangler værdi for %(names)s", names=", ".join(names)), names)


class DivisionByZero(FormulaError):
    """A divisor came out as zero; ``names`` holds the divisor's text."""

    kind = "division_by_zero"

    def __init__(self, divisor: str) -> None:
        super().__init__(_("division med nul (%(divisor)s er 0)", divisor=divisor), (divisor,))


# The compiled tree: tuples, so it is immutable and cheap to walk.
#   ("num", Decimal)  ("name", str)  ("neg", node)  ("bin", op, left, right, right_text)
#   ("call", "min" | "max", (node, …))
Node = tuple


@dataclass(frozen=True)
class Formula:
    """A parsed formula. ``names`` are the keys ``evaluate`` looks up: indicator and
    parameter names as written, baselines as ``"baseline.KEY"``."""

    text: str
    names: frozenset[str]
    node: Node = field(repr=False, compare=False)

    @property
    def bare_names(self) -> frozenset[str]:
        """Indicator keys and parameter names (which is which depends on the catalogue)."""
        return frozenset(n for n in self.names if "." not in n)

    @property
    def baseline_keys(self) -> frozenset[str]:
        """Indicator keys whose baseline the formula reads."""
        prefix = BASELINE + "."
        return frozenset(n.removeprefix(prefix) for n in self.names if n.startswith(prefix))

    def indicators(self, indicator_keys: Iterable[str]) -> frozenset[str]:
        """The indicators whose measurement of a period the formula reads."""
        return self.bare_names & frozenset(indicator_keys)


def _refused_node(node: ast.AST) -> str:
    if isinstance(node, ast.Compare):
        return _("sammenligninger er ikke tilladt")
    if isinstance(node, ast.BoolOp):
        return _("'and' og 'or' er ikke tilladt")
    if isinstance(node, ast.Subscript):
        return _("indeksering med [ ] er ikke tilladt")
    if isinstance(node, ast.Lambda):
        return _("lambda er ikke tilladt")
    if isinstance(node, ast.IfExp):
        return _("'if … else' er ikke tilladt")
    if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        return _("comprehensions er ikke tilladt")
    if isinstance(node, ast.Tuple):
        return _("komma er kun tilladt mellem argumenterne til min og max (brug punktum i tal)")
    if isinstance(node, ast.List | ast.Set | ast.Dict):
        return _("lister og mængder er ikke tilladt")
    if isinstance(node, ast.JoinedStr):
        return _("tekst er ikke tilladt i en formel")
    return _("'%(what)s' er ikke tilladt i en formel", what=type(node).__name__)


class _Compiler:
    def __init__(self, text: str) -> None:
        self.text = text
        self.reasons: list[str] = []
        self.names: set[str] = set()

    def refuse(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def source(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or ""

    def compile(self, node: ast.AST, depth: int = 0) -> Node | None:
        if depth > MAX_DEPTH:
            self.refuse(_("formlen er for dybt indlejret (højst %(n)d niveauer)", n=MAX_DEPTH))
            return None
        inner = depth + 1
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                symbol = "not" if isinstance(node.op, ast.Not) else "~"
                self.refuse(_("operatoren '%(op)s' er ikke tilladt", op=symbol))
                return None
            operand = self.compile(node.operand, inner)
            if operand is None:
                return None
            return ("neg", operand) if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            op = _OPERATORS.get(type(node.op))
            if op is None:
                symbol = _REFUSED_OPERATORS.get(type(node.op), "?")
                if symbol == "**":
                    self.refuse(_("potensopløftning (**) er ikke tilladt"))
                else:
                    self.refuse(_("operatoren '%(op)s' er ikke tilladt", op=symbol))
            left = self.compile(node.left, inner)
            right = self.compile(node.right, inner)
            if op is None or left is None or right is None:
                return None
            return ("bin", op, left, right, self.source(node.right))
        if isinstance(node, ast.Call):
            return self.call(node, inner)
        self.refuse(_refused_node(node))
        return None

    def number(self, node: ast.Constant) -> Node | None:
        value = node.value
        if isinstance(value, str | bytes):
            self.refuse(_("tekst er ikke tilladt i en formel"))
            return None
        if isinstance(value, bool) or value is None or not isinstance(value, int | float):
            self.refuse(_("'%(value)s' er ikke et tal", value=self.source(node)))
            return None
        # From the written digits, never through a float: 3.79 stays exactly 3.79.
        written = self.source(node).replace("_", "")
        try:
            number = Decimal(written)
        except decimal.InvalidOperation:
            self.refuse(_("'%(value)s' er ikke et decimaltal", value=written))
            return None
        if not number.is_finite() or abs(number) > MAX_NUMBER:
            self.refuse(_("tallet '%(value)s' er for stort", value=written))
            return None
        return ("num", number)

    def name(self, node: ast.Name) -> Node | None:
        if node.id == BASELINE:
            self.refuse(_("'baseline' skal efterfølges af en indikatornøgle: baseline.NØGLE"))
            return None
        if node.id in FUNCTIONS:
            self.refuse(_("'%(name)s' skal kaldes som %(name)s(a, b)", name=node.id))
            return None
        self.names.add(node.id)
        return ("name", node.id)

    def attribute(self, node: ast.Attribute) -> Node | None:
        if isinstance(node.value, ast.Name) and node.value.id == BASELINE:
            if node.attr.startswith("_"):
                self.refuse(_("'%(text)s' er ikke en indikatornøgle", text=self.source(node)))
                return None
            key = f"{BASELINE}.{node.attr}"
            self.names.add(key)
            return ("name", key)
        self.refuse(
            _(
                "'%(text)s' er ikke tilladt; punktum bruges kun i baseline.NØGLE",
                text=self.source(node)[:60],
            )
        )
        return None

    def call(self, node: ast.Call, depth: int) -> Node | None:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            self.refuse(
                _("funktionen '%(name)s' er ikke tilladt", name=self.source(node.func)[:60])
            )
            return None
        name = node.func.id
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            self.refuse(_("%(name)s tager kun tal adskilt af komma", name=name))
            return None
        if len(node.args) < 2:
            self.refuse(_("%(name)s skal have mindst to argumenter", name=name))
            return None
        args = [self.compile(arg, depth) for arg in node.args]
        if any(a is None for a in args):
            return None
        return ("call", name, tuple(args))


def _syntax_reason(error: SyntaxError) -> str:
    message = (error.msg or "").lower()
    if "never closed" in message:
        hint = _("en '(' er ikke lukket")
    elif "unmatched" in message or "does not match" in message:
        hint = _("en parentes passer ikke")
    elif "nested" in message:
        hint = _("for mange parenteser inden i hinanden")
    else:
        hint = _("ugyldigt udtryk")
    if error.offset:
        return _("syntaksfejl ved tegn %(n)d: %(hint)s", n=error.offset, hint=hint)
    return _("syntaksfejl: %(hint)s", hint=hint)


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
        raise InvalidFormula([_syntax_reason(error)]) from None
    except (ValueError, RecursionError, MemoryError):
        raise InvalidFormula([_("syntaksfejl: ugyldigt udtryk")]) from None
    compiler = _Compiler(text)
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
    with decimal.localcontext(_CONTEXT):
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
