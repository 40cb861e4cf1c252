"""What the public reads of a round, as plain values: the collaboration's headline figures,
each indicator across the round, each community's totals, and the figures of each
municipality that agreed to publish them.

Read from the stored results and the round's stored summary (``dashboards.summary``), never
evaluated live. The aggregates cover every municipality of the round with the reports'
disclosure (``benefits.calculation.disclosure``): a total or median of fewer than three
municipalities is withheld, and so is one whose unpublished part is (``withheld``); a municipality's own figures are shown only where the gate lets
the public read them (``access.PUBLIC``, the ``public`` action: its leadership's consent),
as another municipality sees them in the reports (``reports.progress_tables.shown``: counts
of 1–4 as "< 5", a target as it is)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload

from portal import access
from portal.benefits.calculation import Evaluation, Totals
from portal.benefits.calculation.arithmetic import payback_month
from portal.benefits.calculation.disclosure import too_few
from portal.benefits.calculation.progress import Status
from portal.dashboards.summary import IndicatorSummary, summary, view
from portal.db import db
from portal.i18n import local_today
from portal.openresults.models import PublicationConsent
from portal.participations.models import Participation
from portal.programmes.models import Indicator, Programme, Round
from portal.results.models import MonthResult, ParticipationResult
from portal.results.read import data_version, stored_evaluations, stored_totals

# Raised when what the public pages and files show changes shape (an ETag of an old shape
# must not answer for a new one).
SHAPE = 1


@dataclass(frozen=True)
class Headline:
    """The collaboration's figures: ``totals`` and ``payback`` are ``None`` when withheld
    (fewer than three municipalities)."""

    municipalities: int
    on_track: int | None  # municipality × indicator statuses on track, of ``judged``
    judged: int | None
    totals: Totals | None
    payback: date | None


@dataclass(frozen=True)
class CommunityFigures:
    name: str | None  # None: not placed in a community
    municipalities: int
    totals: Totals | None  # None: withheld


@dataclass(frozen=True)
class MunicipalityFigures:
    """A municipality's own results of the round, published by its leadership."""

    evaluation: Evaluation
    totals: Totals
    payback: date | None


@dataclass(frozen=True)
class PublicRound:
    round: Round
    headline: Headline
    indicators: tuple[IndicatorSummary, ...]
    withheld_indicators: frozenset[int]  # their medians and status counts are not shown
    methods: dict[int, Indicator]  # the catalogue's method and source per indicator id
    communities: tuple[CommunityFigures, ...]
    published: tuple[MunicipalityFigures, ...]


def _public(stmt, model):
    return access.visible(stmt, access.PUBLIC, "public", model)


def public_rounds() -> list[Round]:
    """The rounds the public reads results of: out of draft, with a municipality taking
    part; newest first."""
    stmt = (
        select(Round)
        .options(joinedload(Round.programme))
        .where(exists().where(Participation.round_id == Round.id))
        .order_by(Round.period_start.desc(), Round.slug)
    )
    return list(db.session.scalars(_public(stmt, Round)).unique())


def public_round(slug: str) -> Round | None:
    return next((r for r in public_rounds() if r.slug == slug), None)


def published_participations(round_ids) -> list[Participation]:
    """The participations of these rounds the public may read (their leadership agreed),
    with their municipality, community and round: one query."""
    stmt = (
        select(Participation)
        .options(
            joinedload(Participation.round).joinedload(Round.programme),
            joinedload(Participation.municipality),
            joinedload(Participation.community),
        )
        .where(Participation.round_id.in_(list(round_ids)))
        .order_by(Participation.round_id, Participation.id)
    )
    return list(db.session.scalars(_public(stmt, Participation)).unique())


def round_payback(round_id: int, participation_ids=None) -> date | None:
    """The month the round's (or these participations') cumulative net turns, from the
    stored months (``arithmetic.payback_month``, the reports' rule for a group)."""
    stmt = select(MonthResult.month, func.sum(MonthResult.net)).where(
        MonthResult.round_id == round_id
    )
    if participation_ids is not None:
        stmt = stmt.where(MonthResult.participation_id.in_(list(participation_ids)))
    return payback_month(db.session.execute(stmt.group_by(MonthResult.month)).all())


def withheld(everyone: int, published: int) -> bool:
    """Whether the public may not see an aggregate over ``everyone`` municipalities of which
    ``published`` show their own figures: one of fewer than three (the reports' rule,
    ``disclosure.too_few``), or one whose unpublished part is of fewer than three — taking
    the published municipalities' own figures from it would give the others' (the same
    rule applied to what is left)."""
    hidden = everyone - published
    return too_few(everyone) or (hidden > 0 and too_few(hidden))


def _headline(found, round_id: int, published: int, hidden_indicators) -> Headline:
    totals = found.totals
    hold = withheld(totals.municipalities, published)
    statuses = [
        (status, n)
        for i in found.indicators
        if i.indicator.id not in hidden_indicators
        for status, n in i.status_counts
    ]
    judged = sum(n for status, n in statuses if status != Status.NO_DATA)
    return Headline(
        totals.municipalities,
        None if hold else sum(n for status, n in statuses if status == Status.ON_TRACK),
        None if hold else judged,
        None if hold else totals,
        None if hold else round_payback(round_id),
    )


def paybacks(participation_ids) -> dict[int, date | None]:
    ids = list(participation_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(ParticipationResult.participation_id, ParticipationResult.payback).where(
                ParticipationResult.participation_id.in_(ids)
            )
        ).all()
    )


def published_figures(participations: list[Participation]) -> tuple[MunicipalityFigures, ...]:
    evaluations = stored_evaluations(participations)
    ids = [p.id for p in participations]
    totals, back = stored_totals(ids), paybacks(ids)
    shown = [
        MunicipalityFigures(
            e,
            totals.get(e.member.participation_id, Totals(1)),
            back.get(e.member.participation_id),
        )
        for e in evaluations
    ]
    return tuple(sorted(shown, key=lambda m: m.evaluation.member.municipality_name))


def public_round_figures(round_: Round) -> PublicRound:
    found = view(round_, summary(round_, data_version(round_.id)))
    methods = {
        i.id: i
        for i in db.session.scalars(
            select(Indicator).where(Indicator.programme_id == round_.programme_id)
        )
    }
    published = published_figures(published_participations([round_.id]))
    shown = {m.evaluation.member.municipality_id for m in published}
    communities = tuple(
        CommunityFigures(
            c.name,
            c.totals.municipalities,
            None
            if withheld(c.totals.municipalities, len(c.totals.municipality_ids & shown))
            else c.totals,
        )
        for c in found.communities
    )
    # every municipality of the round has a row of each indicator (``summary``'s count)
    hidden = frozenset(i.indicator.id for i in found.indicators if withheld(i.count, len(shown)))
    return PublicRound(
        round_,
        _headline(found, round_.id, len(shown), hidden),
        found.indicators,
        hidden,
        methods,
        communities,
        published,
    )


def public_version() -> str:
    """What every public page and file rests on, in one query: the stored results and the
    participations of every round, the consents, the rounds' and programmes' changes, and
    the day (a status is judged on it)."""
    columns = [
        select(func.count(Participation.id)).scalar_subquery(),
        select(func.coalesce(func.sum(ParticipationResult.data_version), 0)).scalar_subquery(),
        select(func.max(ParticipationResult.refreshed_at)).scalar_subquery(),
        select(func.max(Participation.updated_at)).scalar_subquery(),
        select(func.count(PublicationConsent.participation_id)).scalar_subquery(),
        select(func.max(PublicationConsent.changed_at)).scalar_subquery(),
        select(func.max(Round.updated_at)).scalar_subquery(),
        select(func.max(Programme.updated_at)).scalar_subquery(),
    ]
    row = db.session.execute(select(*columns)).one()
    text = repr((SHAPE, tuple(str(v) for v in row), local_today().isoformat()))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def modified_on() -> date:
    """The day the published data last changed (the catalogue's ``dct:modified``): the
    latest refresh of a published participation's results or change of a consent."""
    published = select(PublicationConsent.participation_id).where(
        PublicationConsent.published.is_(True)
    )
    latest = db.session.execute(
        select(
            select(func.max(ParticipationResult.refreshed_at))
            .where(ParticipationResult.participation_id.in_(published))
            .scalar_subquery(),
            select(func.max(PublicationConsent.changed_at)).scalar_subquery(),
        )
    ).one()
    days = [v.date() for v in latest if v is not None]
    return max(days) if days else local_today()


def first_published_on() -> date | None:
    """The day a municipality first agreed to publish (the catalogue's ``dct:issued``)."""
    first = db.session.scalar(
        select(func.min(PublicationConsent.changed_at)).where(
            PublicationConsent.published.is_(True)
        )
    )
    return first.date() if first is not None else None
