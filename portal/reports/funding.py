"""The funding report: who was granted what, what is paid out and what remains, against
the round's budget (the lead grants of the leads plus the participant pool, or the fixed
amount per participant).

For a round, nationally: the rule, a table per role against the budget, every approved
municipality grouped by community with a subtotal per community and a total, and the
disbursements. For a municipality: its own row and its community's subtotal (never another
member's row). For a community: the members' rows with a subtotal per role and their
payments, without the coordinator's notes. Across rounds:
an overview per programme and round, then a chapter per round.

The figures come from ``participations.funding.funding_summaries`` (one query for any number of rounds and
municipalities) and one query of disbursements: a fixed number of queries in all.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import case, exists, select, true
from sqlalchemy.orm import joinedload

from portal import access
from portal.db import db, utcnow
from portal.i18n import localized
from portal.municipalities.models import Municipality
from portal.participations.funding import funding_summaries
from portal.participations.models import Disbursement, Participation
from portal.programmes.models import Round
from portal.reports.funding_tables import (
    community_table,
    money_column,
    municipality_table,
    over_budget_text,
    overview_table,
    own_overview_table,
    own_table,
    period_text,
    role_budget_table,
    rule_facts,
    settle_warning,
    summary_text,
    sums,
)
from portal.reports.model import Column, Kind, Report, Section, Table, slugify
from portal.reports.scope import ReportScope, ScopeKind, community_label


def funding_report(
    scope: ReportScope, *, generated_at: datetime | None = None, viewer=None
) -> Report:
    """The funding report of ``scope`` (see the module) as ``viewer`` may see it: whose
    amounts and notes are the gate's report audiences (``amount`` and ``note`` of the
    participation and payment policies); no viewer (the command line): everything. Which
    scope a viewer may have is the caller's check."""
    generated_at = generated_at or utcnow()
    if scope.round is not None:
        return _round_report(scope, generated_at, viewer)
    return _across_report(scope, generated_at)


def _audience(stmt, viewer, action: str, model: type):
    """``stmt`` narrowed to the rows of ``model`` whose ``action`` the viewer may see."""
    return stmt if viewer is None else access.visible(stmt, viewer, action, model)


def _note(viewer):
    """A payment's note where the viewer may read it, else nothing."""
    if viewer is None:
        return Disbursement.note
    return case((access.condition(Disbursement, viewer, "note"), Disbursement.note), else_=None)


def _disbursements(round_: Round, scope: ReportScope, viewer=None) -> Table:
    """The round's disbursements within the scope, oldest first."""
    stmt = (
        select(
            Disbursement.paid_on,
            Municipality.name,
            Disbursement.amount,
            _note(viewer),
            access.condition(Disbursement, viewer, "note") if viewer is not None else true(),
        )
        .join(Participation, Participation.id == Disbursement.participation_id)
        .join(Municipality, Municipality.id == Disbursement.municipality_id)
        .where(Participation.round_id == round_.id)
        .order_by(Disbursement.paid_on, Municipality.name, Disbursement.id)
    )
    if scope.kind == ScopeKind.MUNICIPALITY:
        stmt = stmt.where(access.belonging_to(Disbursement, scope.municipality.id))
    elif scope.kind == ScopeKind.REGION:
        stmt = stmt.where(Municipality.region == scope.region)
    elif scope.kind == ScopeKind.COMMUNITY:
        stmt = stmt.where(Participation.community_id == scope.community.id)
    # Members of a community see each other's payments, never the notes: those are the
    # coordinator's (the gate's ``amount`` and ``note``); the column only when every note
    # shown is the viewer's to read.
    found = db.session.execute(_audience(stmt, viewer, "amount", Disbursement)).all()
    with_notes = all(readable for *_row, readable in found)
    columns = [Column(_("Dato"), Kind.DATE), Column(_("Kommune")), money_column(_("Beløb"))]
    table = Table(
        _("Udbetalinger"),
        columns + ([Column(_("Note"))] if with_notes else []),
        short_title=_("Udbetalinger"),
        empty_text=_("Der er ikke registreret udbetalinger endnu."),
    )
    total = 0
    for paid_on, name, amount, note, _readable in found:
        table.add(paid_on, name, amount, *([note or ""] if with_notes else []))
        total += amount
    if table.rows:
        table.total(_("I alt"), "", total, *([""] if with_notes else []))
    return table


def _over_budget(summary) -> list[str]:
    over = over_budget_text(summary.granted, summary.budget)
    return [over] if over else []


def _granted_to(viewer, summary):
    """The rows of the summary whose grant the viewer may see (``amount``)."""
    if viewer is None:
        return summary
    ids = [r.participation_id for r in summary.rows]
    stmt = select(Participation.id).where(Participation.id.in_(ids))
    shown = set(db.session.scalars(_audience(stmt, viewer, "amount", Participation)))
    return replace(summary, rows=[r for r in summary.rows if r.participation_id in shown])


def _round_report(scope: ReportScope, generated_at: datetime, viewer=None) -> Report:
    round_ = scope.round
    summary = funding_summaries([round_])[round_.id]
    name = localized(round_, "name")
    facts = rule_facts(summary)
    payments = _disbursements(round_, scope, viewer)
    filename = f"tilskud-{round_.slug}"
    if scope.kind == ScopeKind.NATIONAL:
        main = municipality_table(summary)
        sections = [
            Section(
                _("Budget og tildeling"),
                paragraphs=_over_budget(summary),
                facts=facts,
                tables=[role_budget_table(summary)],
            ),
            Section(_("Tilskud pr. kommune"), tables=[main]),
            Section(_("Udbetalinger"), tables=[payments]),
        ]
        scope_text = _("Alle kommuner i forløbet")
        cover_text = summary_text(
            summary.granted, summary.disbursed, summary.remaining, summary.budget
        )
        shown = summary.rows
    elif scope.kind == ScopeKind.REGION:
        shown = [r for r in summary.rows if r.region == scope.region]
        main = municipality_table(replace(summary, rows=shown))
        sections = [
            Section(_("Tilskud"), facts=facts, tables=[main]),
            Section(_("Udbetalinger"), tables=[payments]),
        ]
        scope_text = scope.region
        cover_text = summary_text(*sums(shown), None)
        filename += f"-{slugify(scope.region)}"
    elif scope.kind == ScopeKind.MUNICIPALITY:
        municipality = scope.municipality
        main = own_table(summary, municipality, _("Tilskud til %(name)s", name=municipality.name))
        sections = [
            Section(_("Tilskud"), facts=facts, tables=[main]),
            Section(_("Udbetalinger"), tables=[payments]),
        ]
        scope_text = municipality.full_name
        own = [r for r in summary.rows if r.municipality_id == municipality.id]
        cover_text = summary_text(*sums(own), None)
        shown = own
        filename += f"-{municipality.code_display}-{slugify(municipality.name)}"
    else:
        community = scope.community
        summary = _granted_to(viewer, summary)
        main = community_table(summary, community)
        sections = [
            Section(_("Tilskud"), facts=facts, tables=[main]),
            Section(_("Udbetalinger"), tables=[payments]),
        ]
        scope_text = community_label(community.name)
        members = [r for r in summary.rows if r.community_id == community.id]
        cover_text = summary_text(*sums(members), None)
        shown = members
        filename += f"-faellesskab-{slugify(community.name)}"
    if warning := settle_warning(shown):
        cover_text = f"{cover_text} {warning}"
    return Report(
        title=_("Tilskud: %(round)s", round=name),
        scope=scope_text,
        period=period_text(round_.period_start, round_.period_end),
        generated_at=generated_at,
        sections=sections,
        filename=filename,
        main_table=main,
        summary=cover_text,
    )


# --- across rounds -------------------------------------------------------------------------


def _rounds_with_participations(municipality_id: int | None) -> list[Round]:
    """Rounds where someone (or this municipality) was approved, by programme and start."""
    has = select(Participation.id).where(Participation.round_id == Round.id)
    if municipality_id is not None:
        has = has.where(access.belonging_to(Participation, municipality_id))
    stmt = select(Round).options(joinedload(Round.programme)).where(exists(has))
    rounds = list(db.session.scalars(stmt))
    return sorted(rounds, key=lambda r: (localized(r.programme, "name"), r.period_start, r.id))


def _across_report(scope: ReportScope, generated_at: datetime) -> Report:
    municipality = scope.municipality if scope.kind == ScopeKind.MUNICIPALITY else None
    rounds = _rounds_with_participations(municipality.id if municipality else None)
    by_round = funding_summaries(rounds)
    summaries = [by_round[r.id] for r in rounds]
    if municipality is None:
        main = overview_table(summaries)
        chapters = [
            Section(
                localized(s.round, "name"),
                paragraphs=[localized(s.round.programme, "name"), *_over_budget(s)],
                facts=rule_facts(s),
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
        main = own_overview_table(summaries, municipality)
        chapters = [
            Section(
                localized(s.round, "name"),
                paragraphs=[localized(s.round.programme, "name")],
                facts=rule_facts(s),
                tables=[own_table(s, municipality, _("Tilskud"), across=True)],
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
        period = period_text(min(r.period_start for r in rounds), max(r.period_end for r in rounds))
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
        summary=summary_text(*sums(all_rows), budget),
    )
