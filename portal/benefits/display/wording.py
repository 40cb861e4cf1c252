"""How a computed figure is explained to people: a formula in the words a project lead
reads, with indicator and parameter names and Danish operators (``Gennemførte skærmbesøg ×
Sparede minutter pr. besøg ÷ 60``), never its code form (``screen_visits *
minutes_saved_per_visit / 60``).

The arithmetic keeps its explanations in code form (names a program can check); pages and
reports put them through a ``Wording`` made from the programme's indicators and benefit
lines. A name nobody has worded (a parameter of one round) is shown without underscores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.i18n import localized

GENERAL = {
    "hours": _l("timer"),
    "hours_12m": _l("timer de seneste 12 måneder"),
    "annual_hours": _l("arbejdstimer i et årsværk"),
    "annual_cost": _l("lønomkostning for et årsværk"),
    "hourly_cost": _l("timepris"),
    "km_rate": _l("kilometertakst"),
    "overtime_factor": _l("faktor for overarbejde"),
    "gross": _l("gevinst, brutto"),
    "costs": _l("omkostninger"),
    "net": _l("nettogevinst"),
    "cumulative_net": _l("akkumuleret nettogevinst"),
    "previous cumulative_net": _l("akkumuleret nettogevinst måneden før"),
    "latest": _l("seneste værdi"),
    "baseline": _l("basislinje"),
    "target": _l("målbillede"),
    "progress": _l("fremdrift"),
    "elapsed": _l("andel af tiden, der er gået"),
    "intercept": _l("skæring"),
    "slope_per_day": _l("ændring pr. dag"),
    "days": _l("dage"),
    "points": _l("antal målinger"),
    "Σ costs": _l("summen af månedernes omkostninger"),
}
OPERATORS = {"*": "×", "/": "÷", "-": "−", "+": "+"}
_TOKEN = re.compile(
    r"\[[^\]]*\]"  # a labelled part (a cost), shown as it is
    r"|previous cumulative_net|Σ costs"
    r"|baseline\.[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*"
    r"|\d+(?:\.\d+)?|[*/+\-]"
)


class Wording:
    """Names for the keys of one programme (indicators and benefit lines)."""

    def __init__(self, indicators: Iterable = (), lines: Iterable = ()) -> None:
        self.names = {i.key: localized(i, "name") for i in indicators}
        self.names |= {line.key: localized(line, "name") for line in lines}

    @classmethod
    def of(cls, evaluation) -> Wording:
        """For a participation's evaluation (``benefits.calculation.Evaluation``)."""
        return cls((r.indicator for r in evaluation.indicators), evaluation.lines)

    def name(self, name: str) -> str:
        if name in self.names:
            return self.names[name]
        if name in GENERAL:
            return str(GENERAL[name])
        if name.startswith("baseline.") and name[9:] in self.names:
            return _("basislinje for %(name)s", name=self.names[name[9:]])
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name):
            return name.replace("_", " ").replace(".", " ")
        return name

    def formula(self, text: str) -> str:
        """The formula in words; numbers with a decimal comma."""

        def word(match: re.Match) -> str:
            token = match.group(0)
            if token.startswith("["):
                return token[1:-1]
            if token in OPERATORS:
                return f" {OPERATORS[token]} "
            if token[0].isdigit():
                return token.replace(".", ",")
            return self.name(token)

        words = re.sub(r"\s+", " ", _TOKEN.sub(word, text)).strip()
        words = re.sub(r"\( ", "(", re.sub(r" \)", ")", words))
        return words[:1].upper() + words[1:]

    def flag(self, flag) -> str:
        """Why a period of a line counts for nothing, in words."""
        names = ", ".join(self.name(n) for n in flag.names)
        if flag.kind == "missing":
            return _("mangler værdi for %(names)s", names=names)
        if flag.kind == "division_by_zero":
            return _("division med nul (%(name)s er 0)", name=names)
        if flag.kind == "no_hourly_cost":
            return _(
                "timeprisen kan ikke beregnes (forløbets lønomkostning eller arbejdstimer mangler)"
            )
        return flag.reason
