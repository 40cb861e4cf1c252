"""The progress report's appendix "Sådan er gevinsterne beregnet": the rules stated once
(progress, status, projection, hourly cost, benefit lines, FTE, net, payback, disclosure),
then per round its benefit lines with their formulas and its parameters, the hourly cost
among them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.benefits.calculation import Evaluation
from portal.benefits.calculation.data import LineInfo
from portal.benefits.display.wording import Wording
from portal.i18n import localized
from portal.programmes.models import Round
from portal.programmes.services import hourly_cost
from portal.reports.formatting import decimal_text
from portal.reports.model import Column, Kind, Section, Table
from portal.reports.progress_tables import sheet

PARAMETER_MEANINGS = {
    "annual_cost": _l("Lønomkostning for et årsværk (kr.)"),
    "annual_hours": _l("Arbejdstimer i et årsværk"),
    "hourly_cost": _l("Timepris = lønomkostning for et årsværk ÷ arbejdstimer i et årsværk (kr.)"),
    "km_rate": _l("Kilometertakst (kr. pr. km)"),
    "overtime_factor": _l("Faktor for overarbejde"),
}


def rules_paragraphs(*, several: bool) -> list[str]:
    paragraphs = [
        _(
            "Fremdrift = (seneste værdi − basislinje) ÷ (målbillede − basislinje): 0 % ved"
            " basislinjen og 100 % ved målbilledet, hvad enten højere eller lavere er bedre."
        ),
        _(
            "Status sammenligner fremdriften med den andel af tiden fra basislinjen til"
            " målbilledets dato, der er gået ved seneste måling: på sporet, når fremdriften"
            " højst er 10 procentpoint bagefter; i risiko, når den højst er 25 procentpoint"
            " bagefter; ellers bagud."
        ),
        _(
            "Fremskrivning: en ret linje (mindste kvadraters metode) gennem basislinjen og"
            " målingerne, aflæst på målbilledets dato."
        ),
        _(
            "Timepris = lønomkostning for et årsværk ÷ arbejdstimer i et årsværk (forløbets"
            " parametre), medmindre kommunen har oplyst sin egen timepris."
        ),
        _(
            "Hver gevinstlinje beregnes efter sin formel for hver måned (kvartal, år) med"
            " målinger; en måned, hvor en værdi mangler, tæller ikke med for linjen. Et kvartals"
            " eller års værdi fordeles ligeligt på periodens måneder, ligesom en årlig udgift."
            " Timer værdisættes med timeprisen: kroner = timer × timepris; en kronelinje tæller,"
            " som den er."
        ),
        _("Årsværk = timerne i de seneste 12 måneder ÷ arbejdstimer i et årsværk."),
        _(
            "Gevinst, brutto = summen af gevinstlinjerne i kroner. Nettogevinst = brutto −"
            " omkostninger. En engangsudgift tæller i sin måned; en årlig udgift fordeles"
            " ligeligt over 12 måneder fra sin måned."
        ),
        _(
            "Tilbagebetaling: den første måned, hvor den akkumulerede nettogevinst er nået op"
            " på 0 kr. efter at have været negativ."
        ),
        _(
            "Har den akkumulerede nettogevinst aldrig været negativ, og er nettogevinsten"
            " positiv, står der „fra første måned“; ellers „ikke nået“."
        ),
        _(
            "Beløb er vist i hele kroner og timer i hele timer; der regnes med de præcise tal,"
            " og regnearket har dem."
        ),
    ]
    if several:
        paragraphs.append(
            _(
                "Antal mellem 1 og 4 for en anden kommune vises som „< 5“ af hensyn til"
                " diskretion, og en median over færre end 3 kommuner vises ikke (der står"
                " „færre end 3 kommuner“)."
            )
        )
    return paragraphs


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def lines_table(lines: Sequence[LineInfo], suffix: str = "", words: Wording | None = None) -> Table:
    words = words or Wording(lines=lines)
    table = Table(
        _("Gevinstlinjer og formler"),
        [Column(_("Linje")), Column(_("Enhed")), Column(_("Formel"))],
        short_title=sheet(_("Formler"), suffix),
        empty_text=_("Indsatsen har ingen gevinstlinjer."),
    )
    for line in lines:
        table.add(
            localized(line, "name"),
            _("timer") if line.kind == "hours" else _("kr."),
            words.formula(line.formula),
        )
    return table


def parameters_table(round_: Round, suffix: str = "") -> Table:
    table = Table(
        _("Forløbets parametre"),
        [Column(_("Parameter")), Column(_("Betydning")), Column(_("Værdi"), Kind.DECIMAL, 2)],
        short_title=sheet(_("Parametre"), suffix),
        empty_text=_("Forløbet har ingen parametre."),
    )
    words = Wording()
    for name, value in sorted((round_.parameters or {}).items()):
        table.add(
            _capital(words.name(name)), str(PARAMETER_MEANINGS.get(name, "")), _decimal(value)
        )
    rate = hourly_cost(round_)
    if rate is not None:
        table.add(_capital(words.name("hourly_cost")), str(PARAMETER_MEANINGS["hourly_cost"]), rate)
    return table


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def overrides_text(evaluations: Sequence[Evaluation]) -> str:
    own = [e for e in evaluations if e.hourly_cost_override is not None]
    if not own:
        return ""
    listed = "; ".join(
        f"{e.member.municipality_name}: {decimal_text(e.hourly_cost_override, 2)} kr." for e in own
    )
    # the list ends in "kr.", which ends the sentence too
    return _("Kommuner med egen timepris: %(list)s", list=listed)


def round_method(
    round_: Round, evaluations: Sequence[Evaluation], lines: Sequence[LineInfo], suffix: str = ""
) -> tuple[list[str], list[Table]]:
    paragraphs = [localized(round_.programme, "name") + ": " + localized(round_, "name") + "."]
    if text := overrides_text(evaluations):
        paragraphs.append(text)
    # the indicators as evaluated (no query of their own)
    indicators = [r.indicator for r in evaluations[0].indicators] if evaluations else []
    words = Wording(indicators, lines)
    return paragraphs, [lines_table(lines, suffix, words), parameters_table(round_, suffix)]


def method_sections(
    rounds: Sequence[tuple[Round, Sequence[Evaluation], Sequence[LineInfo]]], *, several: bool
) -> list[Section]:
    """The appendix: the rules once, then each round's lines and parameters (within the
    first section for a single round, a section each for several)."""
    title = _("Sådan er gevinsterne beregnet")
    head = Section(title, paragraphs=rules_paragraphs(several=several), new_page=True)
    if len(rounds) == 1:
        round_, evaluations, lines = rounds[0]
        paragraphs, tables = round_method(round_, evaluations, lines)
        head.paragraphs += paragraphs[1:]
        head.tables = tables
        return [head]
    sections = [head]
    for n, (round_, evaluations, lines) in enumerate(rounds, start=1):
        paragraphs, tables = round_method(round_, evaluations, lines, f"({n})")
        sections.append(
            Section(localized(round_, "name"), paragraphs=paragraphs, tables=tables, level=2)
        )
    return sections
