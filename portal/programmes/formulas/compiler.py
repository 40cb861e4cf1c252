"""The ``ast`` whitelist: turns a parsed Python expression into the formulas' own small
tree, collecting every reason a node is refused (``parse_formula`` raises them together)."""

from __future__ import annotations

import ast
import decimal
from decimal import Decimal

from flask_babel import gettext as _

from portal.programmes.formulas.base import (
    BASELINE,
    FUNCTIONS,
    MAX_DEPTH,
    MAX_NUMBER,
    OPERATORS,
    REFUSED_OPERATORS,
    Node,
)


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


class Compiler:
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
            op = OPERATORS.get(type(node.op))
            if op is None:
                symbol = REFUSED_OPERATORS.get(type(node.op), "?")
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


def syntax_reason(error: SyntaxError) -> str:
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
