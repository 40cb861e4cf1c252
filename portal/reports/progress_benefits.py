"""The progress report's benefit tables (per municipality, month by month, per community,
per round, with medians and totals) and the municipalities' own words, as plain values.

A table holds the exact figures (Decimal): the page and the PDF round them to the column's
digits, the workbook's number format rounds them for the eye, and the CSV carries two
decimals, so a column summed in a spreadsheet agrees with the total row. Sentences and
facts round once, half up (``kroner``, ``rounded``)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from statistics import median

from flask_babel import gettext as _

from portal.benefits.calculation import CommunityTotals, Evaluation, Totals
from portal.benefits.calculation.disclosure import too_few, too_few_text
from portal.benefits.calculation.quality import marked_share_text
from portal.benefits.display import payback_text
from portal.i18n import local_date, localized, money, number
from portal.programmes.models import Round
from portal.reporting.narratives import Narrative
from portal.reports.formatting import decimal_text
from portal.reports.model import Column, Kind, Table, Value
from portal.reports.progress_comparison import COMPACT_FROM
from portal.reports.progress_tables import kroner, month_text, rounded, sheet

# --- benefits ------------------------------------------------------------------------------


def active_periods(evaluation: Evaluation) -> list:
    """The benefit period (``BenefitResult.active_periods``): the same on every page."""
    return list(evaluation.benefits.active_periods)


def benefit_facts(evaluation: Evaluation) -> list[tuple[str, str]]:
    b = evaluation.benefits
    rate = decimal_text(b.hourly_cost, 2) + " kr." if b.hourly_cost is not None else "–"
    if evaluation.hourly_cost_override is not None:
        rate += " " + _("(kommunens egen)")
    facts = [
        (_("Timepris"), rate),
        (_("Frigjort tid"), _("%(hours)s timer", hours=number(rounded(b.total_hours, 0), 0))),
        (_("Årsværk (seneste 12 måneder)"), decimal_text(b.fte_12m, 2)),
        (_("Gevinst, brutto"), money(kroner(b.gross))),
        (_("Omkostninger"), money(kroner(b.costs))),
        (_("Nettogevinst"), money(kroner(b.net))),
        (_("Tilbagebetaling"), payback_text(b)),
    ]
    if periods := active_periods(evaluation):
        facts.insert(
            0,
            (
                _("Beregnet for"),
                f"{month_text(periods[0].period)} – {month_text(periods[-1].period)}",
            ),
        )
    return facts


def line_table(evaluation: Evaluation) -> Table:
    b = evaluation.benefits
    table = Table(
        _("Gevinstlinjer"),
        [
            Column(_("Linje")),
            Column(_("Timer"), Kind.DECIMAL, 0),
            Column(_("Kroner"), Kind.MONEY),
        ],
        short_title=_("Gevinstlinjer"),
        empty_text=_("Indsatsen har ingen gevinstlinjer."),
    )
    benefits = [line for line in evaluation.lines if not line.dis_benefit]
    dis_benefits = [line for line in evaluation.lines if line.dis_benefit]

    def hours_of(line):
        return b.line_amounts.get(line.key) if line.kind == "hours" else None

    for line in benefits:
        table.add(localized(line, "name"), hours_of(line), b.line_kroner.get(line.key))
    if dis_benefits:  # apart, after the benefits' own sum, and subtracted in the total
        table.subtotal(
            _("Gevinster før ulemper"),
            sum((hours_of(line) or 0 for line in benefits), Decimal(0)),
            sum((b.line_kroner.get(line.key) or 0 for line in benefits), Decimal(0)),
        )
        for line in dis_benefits:
            table.add(
                _("%(name)s (ulempe)", name=localized(line, "name")),
                hours_of(line),
                b.line_kroner.get(line.key),
            )
    if evaluation.lines:
        table.total(_("I alt"), b.total_hours, b.gross)
    return table


SUMMED_MONTHLY = ("hours", "gross", "costs", "net")  # the month-by-month columns that add up


def monthly_table(evaluation: Evaluation) -> Table:
    table = Table(
        _("Måned for måned"),
        [
            Column(_("Måned")),
            Column(_("Timer"), Kind.DECIMAL, 0),
            Column(_("Brutto"), Kind.MONEY),
            Column(_("Omkostninger"), Kind.MONEY),
            Column(_("Netto"), Kind.MONEY),
            Column(_("Akkumuleret netto"), Kind.MONEY),
            Column(_("Årsværk (12 mdr.)"), Kind.DECIMAL, 2),
        ],
        short_title=_("Måned for måned"),
        empty_text=_("Der er ingen målinger eller omkostninger endnu."),
    )
    periods = active_periods(evaluation)
    for p in periods:
        table.add(
            local_date(p.period, "MMM yyyy").replace(" ", "\u00a0"),  # one line
            p.hours,
            p.gross,
            p.costs,
            p.net,
            p.cumulative_net,
            p.fte_12m,
        )
    if periods:  # the period's sums as cells, not only in a sentence (issue 21)
        table.total(
            _("I alt"),
            *(sum((getattr(p, f) for p in periods), Decimal(0)) for f in SUMMED_MONTHLY),
            None,
            None,
        )
    return table


def flags_note(evaluation: Evaluation) -> str:
    flags = evaluation.benefits.flags
    if not flags:
        return ""
    months = sorted({f.period for f in flags})
    return _(
        "I %(n)d måneder mangler en værdi til en gevinstlinje; de tæller ikke med for den"
        " linje: %(months)s.",
        n=len(months),
        months=", ".join(local_date(m, "MMM yyyy") for m in months),
    )


def _benefit_columns(first: str, *, with_community: bool) -> list[Column]:
    columns = [Column(first)]
    if with_community:
        columns.append(Column(_("Fællesskab")))
    return columns + [
        Column(_("Timer"), Kind.DECIMAL, 0),
        Column(_("Årsværk"), Kind.DECIMAL, 2),
        Column(_("Brutto"), Kind.MONEY),
        Column(_("Omkostninger"), Kind.MONEY),
        Column(_("Netto"), Kind.MONEY),
        Column(_("Tilbagebetaling")),
    ]


def totals_values(t: Totals) -> list[Value]:
    return [
        t.hours,
        t.fte_12m,
        t.gross,
        t.costs,
        t.net,
    ]


def benefits_table(
    evaluations: Sequence[Evaluation], *, with_community: bool, sheet_suffix: str = ""
) -> Table:
    """A row per municipality, the median and the total."""
    table = Table(
        _("Gevinster pr. kommune"),
        _benefit_columns(_("Kommune"), with_community=with_community),
        short_title=sheet(_("Gevinster"), sheet_suffix),
        empty_text=_("Ingen kommuner deltager endnu."),
        fixed_layout=len(evaluations) >= COMPACT_FROM,
        paged=True,
    )
    blanks: list[Value] = [""] if with_community else []
    flagged = 0
    for e in evaluations:
        b = e.benefits
        flagged += bool(b.flags)
        values: list[Value] = [e.member.municipality_name]
        if with_community:
            values.append(e.member.community_name or "")
        values += [
            b.total_hours,
            b.fte_12m,
            b.gross,
            b.costs,
            b.net,
            payback_text(b),
        ]
        table.add(*values)
    if evaluations:
        table.subtotal(_("Median"), *blanks, *_median_benefits(evaluations), "")
        table.total(_("I alt"), *blanks, *totals_values(Totals.of(evaluations)), "")
    if flagged:
        table.note = _(
            "%(n)d kommuner mangler en værdi til en gevinstlinje i en eller flere måneder;"
            " de måneder tæller ikke med for den linje.",
            n=flagged,
        )
    return table


def _median_benefits(evaluations: Sequence[Evaluation]) -> list[Value]:
    b = [e.benefits for e in evaluations]
    if too_few(len(b)):
        return [too_few_text()] * 5
    return [
        median([x.total_hours for x in b]),
        median([x.fte_12m or Decimal(0) for x in b]),
        median([x.gross for x in b]),
        median([x.costs for x in b]),
        median([x.net for x in b]),
    ]


def community_benefits_table(communities: Sequence[CommunityTotals], sheet_suffix: str) -> Table:
    table = Table(
        _("Gevinster pr. fællesskab"),
        [Column(_("Fællesskab")), Column(_("Kommuner"), Kind.INTEGER)]
        + _benefit_columns("", with_community=False)[1:-1],
        short_title=sheet(_("Fællesskaber"), sheet_suffix),
    )
    total = Totals()
    for c in communities:
        table.add(c.name or _("Ikke placeret"), c.totals.municipalities, *totals_values(c.totals))
        total += c.totals
    if communities:
        table.total(_("I alt"), total.municipalities, *totals_values(total))
    return table


def rounds_table(rounds: Sequence[tuple[Round, Totals]]) -> Table:
    """The national overview: a row per round with its benefit totals, and the total."""
    table = Table(
        _("Gevinster pr. forløb"),
        [Column(_("Indsats")), Column(_("Forløb")), Column(_("Kommuner"), Kind.INTEGER)]
        + _benefit_columns("", with_community=False)[1:-1],
        short_title=_("Overblik"),
        empty_text=_("Ingen forløb er i gang i dag."),
    )
    total = Totals()
    for round_, totals in rounds:
        total += totals
        table.add(
            localized(round_.programme, "name"),
            localized(round_, "name"),
            totals.municipalities,
            *totals_values(totals),
        )
    if rounds:
        table.total(_("I alt"), "", total.municipalities, *totals_values(total))
    return table


def totals_sentence(t: Totals) -> str:
    """A sentence ending in "kr.", which ends it (no full stop after it)."""
    return _(
        "Frigjort tid %(hours)s timer (%(fte)s årsværk de seneste 12 måneder);"
        " gevinst brutto %(gross)s, omkostninger %(costs)s, nettogevinst %(net)s",
        hours=number(rounded(t.hours, 0), 0),
        fte=decimal_text(t.fte_12m, 2),
        gross=money(kroner(t.gross)),
        costs=money(kroner(t.costs)),
        net=money(kroner(t.net)),
    ) + _marked_clause(t)


def _marked_clause(t: Totals) -> str:
    """A total built on marked figures says so: " (3 af 98 kommuners tal er skøn …)"."""
    if not t.marked:
        return ""
    return " (" + marked_share_text(t.marked, t.participations).rstrip(".") + ")"


# --- narratives ----------------------------------------------------------------------------


def narrative_facts(narrative: Narrative) -> list[tuple[str, str]]:
    return [
        (_("Rapport"), f"{narrative.label} ({local_date(narrative.submitted_at)})"),
        (_("Det, der virker"), narrative.what_worked or "–"),
        (_("Forhindringer"), narrative.obstacles or "–"),
        (_("Næste skridt"), narrative.next_steps or "–"),
    ]


def narratives_table(narratives: Sequence[Narrative], sheet_suffix: str = "") -> Table:
    table = Table(
        _("Kommunernes seneste statusrapport"),
        [
            Column(_("Kommune")),
            Column(_("Rapport")),
            Column(_("Det, der virker")),
            Column(_("Forhindringer")),
            Column(_("Næste skridt")),
        ],
        short_title=sheet(_("Egne ord"), sheet_suffix),
        empty_text=_("Ingen kommuner har afleveret en statusrapport endnu."),
        note=_(
            "De %(n)d kommuners egne ord står på rapportens side og i regnearket (XLSX);"
            " hver kommunes egen rapport har dem også.",
            n=len(narratives),
        )
        if len(narratives) >= COMPACT_FROM
        else "",
        in_pdf=len(narratives) < COMPACT_FROM,
        paged=True,
    )
    for n in narratives:
        table.add(
            n.municipality,
            f"{n.label} ({local_date(n.submitted_at)})",
            n.what_worked,
            n.obstacles,
            n.next_steps,
        )
    return table
