"""The funding report: who was granted what, what is paid out and what remains, against
the round's budget (the lead grants of the leads plus the participant pool, or the fixed
amount per participant).

For a round, nationally: the rule, a table per role against the budget, every approved
municipality grouped by community with a subtotal per community and a total, and the
disbursements. For a municipality: its own row and its community's subtotal (never another
member's row). For a community: the members' rows with a subtotal per role. Across rounds:
an overview per programme and round, then a chapter per round.

The figures come from ``grants.funding_summaries`` (one query for any number of rounds and
municipalities) and one query of disbursements: a fixed number of queries in all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from portal.applications.labels import role_label
from portal.applications.models import ApplicantRole
from portal.db import db, utcnow
from portal.i18n import localized, long_date, money
from portal.municipalities.models import Municipality
from portal.participations.grants import FundingRow, FundingSummary, funding_summaries
from portal.participations.models import Disbursement, Participation
from portal.programmes.models import Round
from portal.reports.model import Column, Kind, Report, Section, Table, slugify
from portal.reports.scope import ReportScope, ScopeKind

SHEET_MAX = 31


def funding_report(scope: ReportScope, *, generated_at: datetime | None = None) -> Report:
    """The funding report of ``scope`` (see the module); access is the caller's check."""
    generated_at = generated_at or utcnow()
    if scope.round is not None:
        return _round_report(scope, generated_at)
    return _across_report(scope, generated_at)


# --- columns and small tables ----------------------------------------------------------


def _money(label: str) -> Column:
    return Column(label, Kind.MONEY)


def _paid_share(disbursed: int, granted: int) -> Decimal | None:
    if not granted:
        return None
    return (Decimal(disbursed) / Decimal(granted)).quantize(Decimal("0.0001"))


def _sums(rows: Iterable[FundingRow]) -> tuple[int, int, int]:
    rows = list(rows)
    granted = sum(r.grant for r in rows)
    disbursed = sum(r.disbursed for r in rows)
    return granted, disbursed, granted - disbursed


def _ordered(rows: Iterable[FundingRow]) -> list[FundingRow]:
    return sorted(rows, key=lambda r: (r.role != ApplicantRole.LEAD, r.municipality))


def _sheet(round_: Round, suffix: str, across: bool) -> str:
    """A sheet name: the suffix alone in a round's report; across rounds, the round's name
    cut to fit before it."""
    if not across:
        return suffix[:1].upper() + suffix[1:]
    room = SHEET_MAX - len(suffix) - 1
    return f"{localized(round_, 'name')[:room].rstrip()} {suffix}"


def _municipality_columns() -> list[Column]:
    return [
        Column(_("Kommune")),
        Column(_("Kode")),
        Column(_("Rolle")),
        Column(_("Fællesskab")),
        _money(_("Tilskud")),
        _money(_("Udbetalt")),
        _money(_("Resterende")),
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


def _rule_facts(summary: FundingSummary) -> list[tuple[str, str]]:
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
                _(
                    "%(share)s til hver af %(count)d deltagerkommuner, rest %(rest)s",
                    share=money(pool.share),
                    count=pool.count,
                    rest=money(pool.remainder),
                ),
            )
        )
    return facts


def _period(start, end) -> str:
    return f"{long_date(start)} – {long_date(end)}"


def _summary_text(granted: int, disbursed: int, remaining: int, budget: int | None) -> str:
    # every amount ends in "kr.", which ends the sentence too
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


# --- one round ---------------------------------------------------------------------------


def role_budget_table(summary: FundingSummary, *, across: bool = False) -> Table:
    """Per role: the budget, what is granted and what is left of the budget, what is paid
    out and what remains to be paid; the round's total last."""
    round_ = summary.round
    table = Table(
        _("Budget og tilskud pr. rolle"),
        [
            Column(_("Rolle")),
            Column(_("Kommuner"), Kind.INTEGER),
            _money(_("Budget")),
            _money(_("Tildelt")),
            _money(_("Ikke tildelt")),
            _money(_("Udbetalt")),
            _money(_("Resterende")),
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
        granted, disbursed, remaining = _sums(rows)
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
        table.subtotal(_("I alt, %(group)s", group=label), "", "", "", *_sums(rows))
    if summary.rows:
        table.total(_("I alt"), "", "", "", *_sums(summary.rows))
    return table


def _own_table(
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
        empty_text=_("%(name)s deltager ikke i forløbet.", name=municipality.name),
    )
    for r in own:
        _add_row(table, r)
        if r.community_id is None:
            continue
        members = [m for m in summary.rows if m.community_id == r.community_id]
        table.subtotal(
            _("I alt, %(group)s (%(count)d kommuner)", group=r.community, count=len(members)),
            "",
            "",
            r.community,
            *_sums(members),
        )
    return table


def _community_table(summary: FundingSummary, community) -> Table:
    members = _ordered(r for r in summary.rows if r.community_id == community.id)
    table = Table(
        _("Tilskud til fællesskabets kommuner"),
        _municipality_columns(),
        short_title=_("Kommuner"),
        note=_override_note(members),
        empty_text=_("Fællesskabet har ingen medlemmer endnu."),
    )
    for role in (ApplicantRole.LEAD, ApplicantRole.PARTICIPANT):
        rows = [r for r in members if r.role == role]
        for r in rows:
            _add_row(table, r)
        if rows:
            label = _("Skaleringsleder") if role == ApplicantRole.LEAD else _("Deltagerkommuner")
            table.subtotal(_("I alt, %(group)s", group=label.lower()), "", "", "", *_sums(rows))
    if members:
        table.total(_("I alt, %(group)s", group=community.name), "", "", "", *_sums(members))
    return table


def _disbursements(round_: Round, scope: ReportScope) -> Table:
    """The round's disbursements within the scope, oldest first."""
    stmt = (
        select(Disbursement.paid_on, Municipality.name, Disbursement.amount, Disbursement.note)
        .join(Participation, Participation.id == Disbursement.participation_id)
        .join(Municipality, Municipality.id == Disbursement.municipality_id)
        .where(Participation.round_id == round_.id)
        .order_by(Disbursement.paid_on, Municipality.name, Disbursement.id)
    )
    if scope.kind == ScopeKind.MUNICIPALITY:
        stmt = stmt.where(Disbursement.municipality_id == scope.municipality.id)
    elif scope.kind == ScopeKind.COMMUNITY:
        stmt = stmt.where(Participation.community_id == scope.community.id)
    table = Table(
        _("Udbetalinger"),
        [Column(_("Dato"), Kind.DATE), Column(_("Kommune")), _money(_("Beløb")), Column(_("Note"))],
        short_title=_("Udbetalinger"),
        empty_text=_("Der er ikke registreret udbetalinger endnu."),
    )
    total = 0
    for paid_on, name, amount, note in db.session.execute(stmt):
        table.add(paid_on, name, amount, note or "")
        total += amount
    if table.rows:
        table.total(None, _("I alt"), total, "")
    return table


def _round_report(scope: ReportScope, generated_at: datetime) -> Report:
    round_ = scope.round
    summary = funding_summaries([round_])[round_.id]
    name = localized(round_, "name")
    facts = _rule_facts(summary)
    payments = _disbursements(round_, scope)
    filename = f"tilskud-{round_.slug}"
    if scope.kind == ScopeKind.NATIONAL:
        main = municipality_table(summary)
        sections = [
            Section(_("Budget og tildeling"), facts=facts, tables=[role_budget_table(summary)]),
            Section(_("Tilskud pr. kommune"), tables=[main]),
            Section(_("Udbetalinger"), tables=[payments]),
        ]
        scope_text = _("Alle kommuner i forløbet")
        summary_text = _summary_text(
            summary.granted, summary.disbursed, summary.remaining, summary.budget
        )
    elif scope.kind == ScopeKind.MUNICIPALITY:
        municipality = scope.municipality
        main = _own_table(summary, municipality, _("Tilskud til %(name)s", name=municipality.name))
        sections = [
            Section(_("Tilskud"), facts=facts, tables=[main]),
            Section(_("Udbetalinger"), tables=[payments]),
        ]
        scope_text = municipality.full_name
        own = [r for r in summary.rows if r.municipality_id == municipality.id]
        summary_text = _summary_text(*_sums(own), None)
        filename += f"-{municipality.code_display}-{slugify(municipality.name)}"
    else:
        community = scope.community
        main = _community_table(summary, community)
        sections = [
            Section(_("Tilskud"), facts=facts, tables=[main]),
            Section(_("Udbetalinger"), tables=[payments]),
        ]
        scope_text = _("Fællesskab: %(name)s", name=community.name)
        members = [r for r in summary.rows if r.community_id == community.id]
        summary_text = _summary_text(*_sums(members), None)
        filename += f"-faellesskab-{slugify(community.name)}"
    return Report(
        title=_("Tilskud: %(round)s", round=name),
        scope=scope_text,
        period=_period(round_.period_start, round_.period_end),
        generated_at=generated_at,
        sections=sections,
        filename=filename,
        main_table=main,
        summary=summary_text,
    )


# --- across rounds -------------------------------------------------------------------------


def _rounds_with_participations(municipality_id: int | None) -> list[Round]:
    """Rounds where someone (or this municipality) was approved, by programme and start."""
    has = select(Participation.id).where(Participation.round_id == Round.id)
    if municipality_id is not None:
        has = has.where(Participation.municipality_id == municipality_id)
    stmt = select(Round).options(joinedload(Round.programme)).where(exists(has))
    rounds = list(db.session.scalars(stmt))
    return sorted(rounds, key=lambda r: (localized(r.programme, "name"), r.period_start, r.id))


def _overview_table(summaries: list[FundingSummary]) -> Table:
    table = Table(
        _("Tilskud pr. indsats og forløb"),
        [
            Column(_("Indsats")),
            Column(_("Forløb")),
            Column(_("Kommuner"), Kind.INTEGER),
            _money(_("Budget")),
            _money(_("Tildelt")),
            _money(_("Ikke tildelt")),
            _money(_("Udbetalt")),
            _money(_("Resterende")),
        ],
        short_title=_("Overblik"),
        empty_text=_("Ingen kommuner er godkendt i noget forløb endnu."),
    )

    def figures(group: list[FundingSummary]) -> tuple[int, ...]:
        budget = sum(s.budget for s in group)
        granted = sum(s.granted for s in group)
        disbursed = sum(s.disbursed for s in group)
        count = sum(len(s.rows) for s in group)
        return count, budget, granted, budget - granted, disbursed, granted - disbursed

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


def _own_overview_table(summaries: list[FundingSummary], municipality: Municipality) -> Table:
    table = Table(
        _("Tilskud til %(name)s pr. forløb", name=municipality.name),
        [
            Column(_("Indsats")),
            Column(_("Forløb")),
            Column(_("Rolle")),
            Column(_("Fællesskab")),
            _money(_("Tilskud")),
            _money(_("Udbetalt")),
            _money(_("Resterende")),
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
        table.total(_("I alt"), "", "", "", *_sums(own))
    return table


def _across_report(scope: ReportScope, generated_at: datetime) -> Report:
    municipality = scope.municipality if scope.kind == ScopeKind.MUNICIPALITY else None
    rounds = _rounds_with_participations(municipality.id if municipality else None)
    by_round = funding_summaries(rounds)
    summaries = [by_round[r.id] for r in rounds]
    if municipality is None:
        main = _overview_table(summaries)
        chapters = [
            Section(
                localized(s.round, "name"),
                paragraphs=[localized(s.round.programme, "name")],
                facts=_rule_facts(s),
                tables=[role_budget_table(s, across=True), municipality_table(s, across=True)],
                new_page=True,
            )
            for s in summaries
        ]
        scope_text = _("Alle forløb og kommuner")
        budget = sum(s.budget for s in summaries)
        all_rows = [r for s in summaries for r in s.rows]
        filename = "tilskud-alle-forloeb"
    else:
        main = _own_overview_table(summaries, municipality)
        chapters = [
            Section(
                localized(s.round, "name"),
                paragraphs=[localized(s.round.programme, "name")],
                facts=_rule_facts(s),
                tables=[_own_table(s, municipality, _("Tilskud"), across=True)],
            )
            for s in summaries
        ]
        scope_text = municipality.full_name
        budget = None
        all_rows = [r for s in summaries for r in s.rows if r.municipality_id == municipality.id]
        filename = f"tilskud-alle-forloeb-{municipality.code_display}-{slugify(municipality.name)}"
    overview = Section(
        _("Overblik"),
        paragraphs=[_("Forløb uden godkendte kommuner er ikke med.")],
        tables=[main],
    )
    if rounds:
        period = _period(min(r.period_start for r in rounds), max(r.period_end for r in rounds))
    else:
        period = "–"
    return Report(
        title=_("Tilskud: alle forløb"),
        scope=scope_text,
        period=period,
        generated_at=generated_at,
        sections=[overview, *chapters],
        filename=filename,
        main_table=main,
        summary=_summary_text(*_sums(all_rows), budget),
    )
