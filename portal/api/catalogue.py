"""Programmes, rounds and their indicator catalogues; the public list of open rounds; a
round's funding for those who may read its amounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import access
from portal.api import pagination, schemas
from portal.api.auth import api_user
from portal.api.blueprint import bp, needs, operation
from portal.api.etags import answer
from portal.api.problems import Problem
from portal.api.tokens import READ
from portal.db import db
from portal.i18n import localized
from portal.participations.funding import funding_summary
from portal.participations.models import Participation
from portal.programmes import services as programmes
from portal.programmes.models import Programme, Round


def round_out(round_: Round) -> schemas.RoundOut:
    return schemas.RoundOut(
        slug=round_.slug,
        name=localized(round_, "name"),
        programme=round_.programme.slug,
        status=round_.status.value,
        opens_at=round_.opens_at,
        deadline_at=round_.deadline_at,
        period_start=round_.period_start,
        period_end=round_.period_end,
    )


@needs(None)
@bp.get(
    "/open-rounds",
    summary="Rounds open for applications (no token needed)",
    operation_id="openRounds",
    **operation(None, schemas.RoundPage, tag="catalogue", found=False),
)
def open_rounds():
    return answer(schemas.RoundPage(items=[round_out(r) for r in programmes.open_rounds()]))


@needs(READ)
@bp.get(
    "/programmes",
    summary="Programmes and the rounds the token may see",
    operation_id="listProgrammes",
    **operation(READ, schemas.ProgrammeList, tag="catalogue", found=False),
)
def list_programmes():
    user = api_user()
    rounds = db.session.scalars(
        access.visible(select(Round).order_by(Round.opens_at, Round.id), user)
    ).all()
    by_programme: dict[int, list[str]] = {}
    for r in rounds:
        by_programme.setdefault(r.programme_id, []).append(r.slug)
    items = [
        schemas.ProgrammeOut(
            slug=p.slug,
            name=localized(p, "name"),
            description=localized(p, "description"),
            rounds=by_programme.get(p.id, []),
        )
        for p in db.session.scalars(
            access.visible(select(Programme).order_by(Programme.slug), user)
        )
    ]
    return answer(schemas.ProgrammeList(items=items))


@needs(READ)
@bp.get(
    "/rounds",
    summary="Rounds the token may see, a page at a time",
    operation_id="listRounds",
    **operation(READ, schemas.RoundPage, tag="catalogue", found=False),
)
def list_rounds(query: schemas.PageQuery):
    after = pagination.decode(query.cursor, "rounds")
    stmt = select(Round).options(joinedload(Round.programme)).order_by(Round.id)
    if after is not None:
        stmt = stmt.where(Round.id > int(after))
    rows = db.session.scalars(access.visible(stmt.limit(query.limit + 1), api_user())).all()
    items, cursor = pagination.page(list(rows), query.limit, "rounds", lambda r: r.id)
    return answer(schemas.RoundPage(items=[round_out(r) for r in items], next_cursor=cursor))


@needs(READ)
@bp.get(
    "/rounds/<slug>",
    summary="A round with its indicator catalogue",
    operation_id="getRound",
    **operation(READ, schemas.RoundDetail, tag="catalogue"),
)
def get_round(path: schemas.RoundPath):
    round_ = access.round_or_404(path.slug, api_user())
    indicators = [
        schemas.IndicatorOut(
            key=i.key,
            name=localized(i, "name"),
            unit=localized(i, "unit"),
            direction=i.direction.value,
            frequency=i.frequency.value,
            block=i.block.value,
        )
        for i in round_.programme.indicators
    ]
    return answer(schemas.RoundDetail(**round_out(round_).model_dump(), indicators=indicators))


@needs(READ)
@bp.get(
    "/rounds/<slug>/funding",
    summary="A round's grants and disbursements, as far as the token may read amounts",
    operation_id="getFunding",
    **operation(READ, schemas.FundingOut, tag="catalogue"),
)
def get_funding(path: schemas.RoundPath):
    user = api_user()
    round_ = access.round_or_404(path.slug, user)
    if not access.can(user, Participation, "amount"):
        raise Problem("forbidden")
    allowed = set(
        db.session.scalars(
            access.visible(
                select(Participation.id).where(Participation.round_id == round_.id),
                user,
                "amount",
                Participation,
            )
        )
    )
    rows = [r for r in funding_summary(round_).rows if r.participation_id in allowed]
    return answer(
        schemas.FundingOut(
            round=round_.slug,
            rows=[
                schemas.FundingRowOut(
                    municipality=schemas.MunicipalityOut(
                        code=int(r.municipality_code or 0), name=r.municipality
                    ),
                    role=r.role.value,
                    grant=r.grant,
                    disbursed=r.disbursed,
                    remaining=r.remaining,
                )
                for r in rows
            ],
            granted=sum(r.grant for r in rows),
            disbursed=sum(r.disbursed for r in rows),
        )
    )
