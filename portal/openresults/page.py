"""The public round page's tables, as the reports' plain ``Table`` (rendered by the reports'
macros, so formats, phone layout and accessibility are theirs): every indicator across the
round, each community's totals, and each published municipality's own indicators; and the
method — the reports' rules in words, the benefit lines' formulas and the round's
parameters (``reports.progress_method``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from portal.benefits.calculation import programme_models
from portal.benefits.calculation.disclosure import too_few_text
from portal.benefits.calculation.progress import Status
from portal.benefits.calculation.quality import label
from portal.benefits.display import status_label
from portal.i18n import localized
from portal.openresults.figures import MunicipalityFigures, PublicRound
from portal.reports.model import Column, Kind, Table
from portal.reports.progress_method import lines_table, parameters_table, rules_paragraphs
from portal.reports.progress_tables import indicator_title, median_values, shown


def indicators_table(found: PublicRound) -> Table:
    """Each indicator across every municipality of the round: the medians and how many are
    on track, at risk, behind; withheld as ``figures.withheld`` says (the medians of three
    or more by the reports' own rule, ``median_values``)."""
    table = Table(
        _("Indikatorer i hele forløbet"),
        [
            Column(_("Indikator")),
            Column(_("Kommuner"), Kind.INTEGER),
            Column(_("Median, seneste værdi"), Kind.DECIMAL, 1),
            Column(_("Median, fremdrift"), Kind.PERCENT, 0),
            *(Column(status_label(s), Kind.INTEGER) for s in Status),
        ],
        empty_text=_("Forløbet har ingen indikatorer endnu."),
    )
    for i in found.indicators:
        if i.indicator.id in found.withheld_indicators:
            hidden = [too_few_text()] * (2 + len(Status))
            table.add(indicator_title(i.indicator), i.count, *hidden)
            continue
        counts = dict(i.status_counts)
        statuses = [counts.get(s, 0) for s in Status]
        table.add(indicator_title(i.indicator), i.count, *median_values(i.median), *statuses)
    return table


def communities_table(found: PublicRound) -> Table:
    table = Table(
        _("Fællesskabernes gevinster"),
        [
            Column(_("Fællesskab")),
            Column(_("Kommuner"), Kind.INTEGER),
            Column(_("Frigjort tid (timer)"), Kind.DECIMAL, 0),
            Column(_("Årsværk (seneste 12 måneder)"), Kind.DECIMAL, 2),
            Column(_("Gevinst, brutto"), Kind.MONEY),
            Column(_("Omkostninger"), Kind.MONEY),
            Column(_("Nettogevinst"), Kind.MONEY),
        ],
        empty_text=_("Ingen fællesskaber endnu."),
    )
    for c in found.communities:
        t = c.totals
        figures = (
            [too_few_text()] * 5 if t is None else [t.hours, t.fte_12m, t.gross, t.costs, t.net]
        )
        table.add(c.name or _("Ikke placeret"), c.municipalities, *figures)
    return table


def municipality_table(m: MunicipalityFigures) -> Table:
    """A published municipality's indicators as another municipality sees them in the
    reports (``shown(..., own=False)``), with the quality marks in words."""
    table = Table(
        _("Indikatorer: %(name)s", name=m.evaluation.member.municipality_name),
        [
            Column(_("Indikator")),
            Column(_("Basislinje"), Kind.DECIMAL, 2, as_entered=True),
            Column(_("Målbillede"), Kind.DECIMAL, 2, as_entered=True),
            Column(_("Måldato"), Kind.DATE),
            Column(_("Seneste værdi"), Kind.DECIMAL, 2, as_entered=True),
            Column(_("Seneste måling"), Kind.DATE),
            Column(_("Fremdrift"), Kind.PERCENT, 0),
            Column(_("Status")),
            Column(_("Kvalitet")),
        ],
        empty_text=_("Indsatsen har ingen indikatorer endnu."),
    )
    for r in m.evaluation.indicators:
        figures = shown(r, False)
        marks = {r.baseline.quality if r.baseline else None, r.target.quality if r.target else None}
        marks |= set(r.series_marks)
        table.add(
            indicator_title(r.indicator),
            figures.baseline,
            figures.target,
            r.target.date if r.target else None,
            figures.latest,
            r.latest.date if r.latest else None,
            r.progress_value,
            status_label(r.status),
            ", ".join(sorted(label(q) for q in marks if q)),
        )
    return table


@dataclass(frozen=True)
class Method:
    rules: list[str]
    lines: Table
    parameters: Table
    indicators: list[tuple[str, str, str]]  # name, method, source


def method(found: PublicRound) -> Method:
    round_ = found.round
    model = programme_models([round_.programme_id], lines=True)[round_.programme_id]
    indicators = [
        (
            localized(i, "name"),
            localized(i, "method"),
            localized(i, "source"),
        )
        for i in sorted(found.methods.values(), key=lambda i: (i.position, i.id))
    ]
    return Method(
        rules_paragraphs(several=True),
        lines_table(model.line_infos),
        parameters_table(round_),
        indicators,
    )
