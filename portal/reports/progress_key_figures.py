"""The key figures of a progress report as cells an analyst can sum and quote (issue 21):
hours, FTE, gross, costs, net and the payback month, per municipality, community or round,
with a total row — in the workbook's "Nøgletal" sheet and the CSV files, beside the
sentences that say them in words on the page and in the PDF.

The exact figures (Decimal), as every table holds them: a column sums to its total row. A
group's payback is the month the group's cumulative net turns, from its members' months
added up (``arithmetic.payback_month``, the rule of one participation's payback).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from portal.benefits.calculation import Evaluation, Totals
from portal.benefits.calculation.arithmetic import payback_month
from portal.reports.model import Column, Kind, Table

Group = tuple[str, Sequence[Evaluation]]


def _payback(evaluations: Sequence[Evaluation]):
    return payback_month((p.period, p.net) for e in evaluations for p in e.benefits.periods)


def _values(label: str, evaluations: Sequence[Evaluation]) -> tuple:
    t = Totals.of(evaluations)
    return (
        label,
        t.municipalities,
        t.hours,
        t.fte_12m,
        t.gross,
        t.costs,
        t.net,
        _payback(evaluations),
    )


def key_figures_table(first: str, groups: Sequence[Group], total: str | None = None) -> Table:
    """A row per group (``first`` names the column: "Kommune", "Fællesskab", "Forløb") and,
    with ``total``, a total row over every group."""
    table = Table(
        _("Nøgletal"),
        [
            Column(first),
            Column(_("Kommuner"), Kind.INTEGER),
            Column(_("Frigjort tid (timer)"), Kind.DECIMAL, 0),
            Column(_("Årsværk (seneste 12 måneder)"), Kind.DECIMAL, 2),
            Column(_("Gevinst, brutto"), Kind.MONEY),
            Column(_("Omkostninger"), Kind.MONEY),
            Column(_("Nettogevinst"), Kind.MONEY),
            Column(_("Tilbagebetaling (måned)"), Kind.DATE),
        ],
        short_title=_("Nøgletal"),
        note=_(
            "Tilbagebetaling: den første måned, hvor den akkumulerede nettogevinst er nul eller"
            " derover efter at have været negativ; tom, hvis det ikke er sket."
        ),
        empty_text=_("Ingen kommuner deltager endnu."),
    )
    for label, evaluations in groups:
        if evaluations:
            table.add(*_values(label, evaluations))
    if total is not None and len(table.rows) > 1:
        everyone = [e for _label, evaluations in groups for e in evaluations]
        table.total(*_values(total, everyone))
    return table
