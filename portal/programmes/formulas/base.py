"""What every part of the formulas shares: the limits, the whitelisted operators and
functions, the errors and the parsed ``Formula``."""

from __future__ import annotations

import ast
import decimal
from collections.abc import Iterable
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
CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
REFUSED_OPERATORS = {
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
