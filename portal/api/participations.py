"""The token's participations, and each one's progress, status and benefits read from the
stored results (``portal.results``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import access
from portal.api import pagination, schemas
from portal.api.auth import api_user
from portal.api.blueprint import bp, needs, operation
from portal.api.etags import answer
from portal.api.tokens import READ
from portal.db import db
from portal.municipalities.models import Municipality
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.results.read import stored_evaluations, stored_totals

OPTIONS = (
    joinedload(Participation.round),
    joinedload(Participation.municipality),
    joinedload(Participation.community),
)


def visible_participation(participation_id: int) -> Participation:
    """The participation, or 404 when the token's creator may not read it."""
    return access.get_visible_or_404(Participation, participation_id, api_user(), options=OPTIONS)


def participation_out(p: Participation) -> schemas.ParticipationOut:
    return schemas.ParticipationOut(
        id=p.id,
        round=p.round.slug,
        municipality=schemas.MunicipalityOut(code=p.municipality.code, name=p.municipality.name),
        role=p.role.value,
        community=p.community.name if p.community is not None else None,
    )


@needs(READ)
@bp.get(
    "/participations",
    summary="The participations the token may read, a page at a time",
    operation_id="listParticipations",
    **operation(READ, schemas.ParticipationPage, tag="participations", found=False),
)
def list_participations(query: schemas.ParticipationQuery):
    after = pagination.decode(query.cursor, "participations")
    stmt = select(Participation).options(*OPTIONS).order_by(Participation.id)
    if after is not None:
        stmt = stmt.where(Participation.id > int(after))
    if query.round:
        stmt = stmt.where(
            Participation.round_id.in_(select(Round.id).where(Round.slug == query.round))
        )
    if query.municipality is not None:
        stmt = stmt.where(
            Participation.municipality_id.in_(
                select(Municipality.id).where(Municipality.code == query.municipality)
            )
        )
    rows = db.session.scalars(access.visible(stmt.limit(query.limit + 1), api_user())).all()
    items, cursor = pagination.page(list(rows), query.limit, "participations", lambda p: p.id)
    return answer(
        schemas.ParticipationPage(items=[participation_out(p) for p in items], next_cursor=cursor)
    )


@needs(READ)
@bp.get(
    "/participations/<int:participation_id>",
    summary="One participation",
    operation_id="getParticipation",
    **operation(READ, schemas.ParticipationOut, tag="participations"),
)
def get_participation(path: schemas.ParticipationPath):
    return answer(participation_out(visible_participation(path.participation_id)))


def _number(value) -> float | None:
    return float(value) if value is not None else None


@needs(READ)
@bp.get(
    "/participations/<int:participation_id>/progress",
    summary="Progress, status and benefits, from the stored results",
    operation_id="getProgress",
    **operation(READ, schemas.ProgressOut, tag="participations"),
)
def get_progress(path: schemas.ParticipationPath):
    participation = visible_participation(path.participation_id)
    (evaluation,) = stored_evaluations([participation])
    indicators = []
    for result in evaluation.indicators:
        progress = result.progress
        indicators.append(
            schemas.IndicatorProgressOut(
                indicator=result.indicator.key,
                status=progress.status.value if progress else None,
                progress=_number(progress.progress) if progress else None,
                baseline=_number(result.baseline.value) if result.baseline else None,
                target=_number(result.target.value) if result.target else None,
                latest=_number(result.series[-1].value) if result.series else None,
                latest_date=result.series[-1].date if result.series else None,
                missing=list(result.missing),
            )
        )
    totals = stored_totals([participation.id]).get(participation.id)
    benefits = (
        schemas.BenefitsOut(
            hours=float(totals.hours),
            fte_12m=float(totals.fte_12m),
            gross=float(totals.gross),
            costs=float(totals.costs),
            net=float(totals.net),
        )
        if totals is not None
        else None
    )
    return answer(
        schemas.ProgressOut(
            participation=participation.id, indicators=indicators, benefits=benefits
        )
    )
