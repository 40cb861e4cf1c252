"""The funding report's tables and texts, built from ``FundingSummary`` rows: plain values,
whatever the scope. ``funding`` decides which of them a scope gets."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.applications.labels import role_label
from portal.applications.models import ApplicantRole
from portal.i18n import localized, long_date, money
from portal.municipalities.models import Municipality
from portal.participations.funding import FundingRow, FundingSummary
from portal.programmes.models import Round
from portal.reports.formatting import cut_at_word
from portal.reports.model import Column, Kind, Table

SHEET_MAX = 31


def money_column(label: str) -> Column:
    return Column(label, Kind.MONEY)


def _paid_share(disbursed: int, granted: int) -> Decimal | None:
    if not granted:
        return None
    return (Decimal(disbursed) / Decimal(granted)).quantize(Decimal("0.0001"))


def sums(rows: Iterable[FundingRow]) -> tuple[int, int, int]:
    rows = list(rows)
    granted = sum(r.grant for r in rows)
    disbursed = sum(r.disbursed for r in rows)
    return granted, disbursed, sum(r.remaining for r in rows)


def settle_warning(rows: Iterable[FundingRow]) -> str:
    """Paid beyond the grant: an amount to settle, said in words (never a negative
    "remaining")."""
    over = [r for r in rows if r.to_settle]
    if not over:
        return ""
    return _(
        "Udbetalt mere end tilskuddet, til afregning: %(list)s",
        list="; ".join(f"{r.municipality} {money(r.to_settle)}" for r in over),
    )


def _ordered(rows: Iterable[FundingRow]) -> list[FundingRow]:
    return sorted(rows, key=lambda r: (r.role != ApplicantRole.LEAD, r.municipality))


def _sheet(round_: Round, suffix: str, across: bool) -> str:
    """A sheet name: the suffix alone in a round's report; across rounds, the round's name
    cut to fit before it."""
    if not across:
        return suffix[:1].upper() + suffix[1:]
    room = SHEET_MAX - len(suffix) - 1
    return f"{cut_at_word(localized(round_, 'name'), room)} {suffix}"


def _municipality_columns() -> list[Column]:
    return [
        Column(_("Kommune")),
        Column(_("Kode")),
        Column(_("Rolle")),
        Column(_("Fællesskab")),
        money_column(_("Tilskud")),
        money_column(_("Udbetalt")),
        money_column(_("Resterende")),
    ]


def _add_row(table: Table, r: FundingRow) -> None:
    table.add(
        r.municipality,
        r.municipality_code,
        role_label(r.role),
        r.community or "",
        r.grant,
        r.disbursed,
        r.remaining,
    )


def _override_note(rows: Iterable[FundingRow]) -> str:
    overridden = [r for r in rows if r.grant_override is not None]
    if not overridden:
        return ""
    parts = [
        f"{r.municipality}: {money(r.grant_override)}"
        + (f" ({r.override_reason})" if r.override_reason else "")
        for r in overridden
    ]
    return _("Tilskud fastsat af koordinatoren: %(list)s", list="; ".join(parts))


def rule_facts(summary: FundingSummary) -> list[tuple[str, str]]:
    round_ = summary.round
    facts = [(_("Tilskud til skaleringsleder"), money(round_.lead_grant))]
    pool = summary.pool
    if pool is None:
        facts.append((_("Tilskud til deltagerkommune"), money(round_.participant_grant)))
        return facts
    facts.append((_("Pulje til deltagerkommuner"), money(round_.participant_pool)))
    if pool.overridden:
        facts.append((_("Heraf fastsat af koordinatoren"), money(pool.overridden)))
    if pool.count:
        facts.append(
            (
                _("Fordeling"),
                ngettext(
                    "%(share)s til %(num)d deltagerkommune, rest %(rest)s",
                    "%(share)s til hver af %(num)d deltagerkommuner, rest %(rest)s",
                    pool.count,
                    share=money(pool.share),
                    rest=money(pool.remainder),
                ),
            )
        )
    return facts


def period_text(start, end) -> str:
    return f"{long_date(start)} – {long_date(end)}"


def over_budget_text(granted: int, budget: int | None) -> str | None:
    """Said plainly, on the cover and on the page, when grants exceed the budget."""
    if budget is None or granted <= budget:
        return None
    return _(
        "Over budget: der er tildelt %(granted)s af et budget på %(budget)s, %(over)s for meget.",
        granted=money(granted),
        budget=money(budget),
        over=money(granted - budget),
    )


def summary_text(granted: int, disbursed: int, remaining: int, budget: int | None) -> str:
    # every amount ends in "kr.", which ends the sentence too
    if over := over_budget_text(granted, budget):
        return over + " " + summary_text(granted, disbursed, remaining, None)
    if budget is None:
        return _(
            "Tildelt %(granted)s; udbetalt %(disbursed)s, resterende %(remaining)s",
            granted=money(granted),
            disbursed=money(disbursed),
            remaining=money(remaining),
        )
    return _(
        "Tildelt %(granted)s af et budget på %(budget)s; udbetalt %(disbursed)s,"
        " resterende %(remaining)s",
        granted=money(granted),
        budget=money(budget),
        disbursed=money(disbursed),
        remaining=money(remaining),
    )


def role_budget_table(summary: FundingSummary, *, across: bool = False) -> Table:
    """Per role: the budget, what is granted and what is left of the budget, what is paid
    out and what remains to be paid; the round's total last."""
    round_ = summary.round
    table = Table(
        _("Budget og tilskud pr. rolle"),
        [
            Column(_("Rolle")),
            Column(_("Kommuner"), Kind.INTEGER),
            money_column(_("Budget")),
            money_column(_("Tildelt")),
            money_column(_("Ikke tildelt")),
            money_column(_("Udbetalt")),
            money_column(_("Resterende")),
            Column(_("Udbetalt andel"), Kind.PERCENT),
        ],
        short_title=_sheet(round_, _("budget"), across),
    )
    leads = [r for r in summary.rows if r.role == ApplicantRole.LEAD]
    participants = [r for r in summary.rows if r.role == ApplicantRole.PARTICIPANT]
    if round_.participant_pool is not None:
        participant_budget = round_.participant_pool
    else:
        participant_budget = (round_.participant_grant or 0) * len(participants)
    for label, rows, budget in (
        (_("Skaleringsledere"), leads, round_.lead_grant * len(leads)),
        (_("Deltagerkommuner"), participants, participant_budget),
    ):
        granted, disbursed, remaining = sums(rows)
        table.add(
            label,
            len(rows),
            budget,
            granted,
            budget - granted,
            disbursed,
            remaining,
            _paid_share(disbursed, granted),
        )
    table.total(
        _("I alt"),
        len(summary.rows),
        summary.budget,
        summary.granted,
        summary.budget - summary.granted,
        summary.disbursed,
        summary.remaining,
        _paid_share(summary.disbursed, summary.granted),
    )
    return table


def municipality_table(summary: FundingSummary, *, across: bool = False) -> Table:
    """Every approved municipality, grouped by community (those without one last), with a
    subtotal per community and the round's total."""
    table = Table(
        _("Tilskud pr. kommune"),
        _municipality_columns(),
        short_title=_sheet(summary.round, _("kommuner"), across),
        note=_override_note(summary.rows),
        warning=settle_warning(summary.rows),
        empty_text=_("Ingen kommuner er godkendt i forløbet endnu."),
    )
    groups: dict[str | None, list[FundingRow]] = {}
    for r in summary.rows:
        groups.setdefault(r.community, []).append(r)
    for community in sorted(groups, key=lambda c: (c is None, c or "")):
        rows = _ordered(groups[community])
        for r in rows:
            _add_row(table, r)
        label = community or _("Uden fællesskab")
        table.subtotal(_("I alt, %(group)s", group=label), "", "", "", *sums(rows))
    if summary.rows:
        table.total(_("I alt"), "", "", "", *sums(summary.rows))
    return table


def own_table(
    summary: FundingSummary, municipality: Municipality, title: str, *, across: bool = False
) -> Table:
    """The municipality's own row and its community's subtotal (the other members' rows are
    not theirs to see)."""
    own = [r for r in summary.rows if r.municipality_id == municipality.id]
    table = Table(
        title,
        _municipality_columns(),
        short_title=_sheet(summary.round, _("tilskud"), across),
        note=_override_note(own),
        warning=settle_warning(own),
        empty_text=_("%(name)s deltager ikke i forløbet.", name=municipality.name),
    )
    for r in own:
        _add_row(table, r)
        if r.community_id is None:
            continue
        members = [m for m in summary.rows if m.community_id == r.community_id]
        table.subtotal(
            ngettext(
                "I alt, %(group)s (%(num)d kommune)",
                "I alt, %(group)s (%(num)d kommuner)",
                len(members),
                group=r.community,
            ),
            "",
            "",
            r.community,
            *sums(members),
        )
    return table


def community_table(summary: FundingSummary, community) -> Table:
    members = _ordered(r for r in summary.rows if r.community_id == community.id)
    table = Table(
        _("Tilskud til fællesskabets kommuner"),
        _municipality_columns(),
        short_title=_("Kommuner"),
        note=_override_note(members),
        warning=settle_warning(members),
        empty_text=_("Fællesskabet har ingen medlemmer endnu."),
    )
    for role in (ApplicantRole.LEAD, ApplicantRole.PARTICIPANT):
        rows = [r for r in members if r.role == role]
        for r in rows:
            _add_row(table, r)
        if rows:
            label = _("Skaleringsleder") if role == ApplicantRole.LEAD else _("Deltagerkommuner")
            table.subtotal(_("I alt, %(group)s", group=label.lower()), "", "", "", *sums(rows))
    if members:
        table.total(_("I alt, %(group)s", group=community.name), "", "", "", *sums(members))
    return table


def overview_table(summaries: list[FundingSummary]) -> Table:
    table = Table(
        _("Tilskud pr. indsats og forløb"),
        [
            Column(_("Indsats")),
            Column(_("Forløb")),
            Column(_("Kommuner"), Kind.INTEGER),
            money_column(_("Budget")),
            money_column(_("Tildelt")),
            money_column(_("Ikke tildelt")),
            money_column(_("Udbetalt")),
            money_column(_("Resterende")),
        ],
        short_title=_("Overblik"),
        empty_text=_("Ingen kommuner er godkendt i noget forløb endnu."),
    )

    def figures(group: list[FundingSummary]) -> tuple[int, ...]:
        budget = sum(s.budget for s in group)
        granted = sum(s.granted for s in group)
        disbursed = sum(s.disbursed for s in group)
        count = len({r.municipality_id for s in group for r in s.rows})  # distinct
        remaining = sum(s.remaining for s in group)
        return count, budget, granted, budget - granted, disbursed, remaining

    programmes: dict[int, list[FundingSummary]] = {}
    for s in summaries:
        programmes.setdefault(s.round.programme_id, []).append(s)
    for group in programmes.values():
        programme = localized(group[0].round.programme, "name")
        for s in group:
            table.add(programme, localized(s.round, "name"), *figures([s]))
        if len(group) > 1:
            table.subtotal(_("I alt, %(group)s", group=programme), "", *figures(group))
    if summaries:
        table.total(_("I alt"), "", *figures(summaries))
    return table


def own_overview_table(summaries: list[FundingSummary], municipality: Municipality) -> Table:
    table = Table(
        _("Tilskud til %(name)s pr. forløb", name=municipality.name),
        [
            Column(_("Indsats")),
            Column(_("Forløb")),
            Column(_("Rolle")),
            Column(_("Fællesskab")),
            money_column(_("Tilskud")),
            money_column(_("Udbetalt")),
            money_column(_("Resterende")),
        ],
        short_title=_("Overblik"),
        empty_text=_("%(name)s deltager ikke i noget forløb endnu.", name=municipality.name),
    )
    own = []
    for s in summaries:
        for r in s.rows:
            if r.municipality_id != municipality.id:
                continue
            own.append(r)
            table.add(
                localized(s.round.programme, "name"),
                localized(s.round, "name"),
                role_label(r.role),
                r.community or "",
                r.grant,
                r.disbursed,
                r.remaining,
            )
    if own:
        table.total(_("I alt"), "", "", "", *sums(own))
        table.warning = settle_warning(own)
    return table
