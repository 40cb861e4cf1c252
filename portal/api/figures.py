"""A participation's figures: read a page at a time, and posted — one or many per request —
through the file import's own rules (``benefits.files.importing.import_frame``): every bad
item with its index and reason and nothing stored, the same figure again updates it,
quality marks and a frozen figure's reason as in a file. ``Idempotency-Key`` makes a retry
safe. Every write is in the audit log with the token's name."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from portal import access
from portal.api import idempotency, pagination, schemas
from portal.api.auth import api_token, api_user
from portal.api.blueprint import bp, needs, operation, problem_response
from portal.api.etags import answer
from portal.api.participations import visible_participation
from portal.api.problems import Problem, document, item_errors
from portal.api.tokens import READ, WRITE_FIGURES
from portal.audit import services as audit
from portal.benefits.files.importing import import_frame
from portal.benefits.models import Baseline, Cost, CostKind, Measurement, Target
from portal.db import db
from portal.errors import NotAllowed, PortalError, RowErrors
from portal.programmes.models import Indicator
from portal.tabular import LINE

KINDS = ("baseline", "target", "measurement", "cost")


def _figures(participation, kind: str | None, since) -> list[tuple[tuple, schemas.FigureOut]]:
    """Every figure of the participation as ``((kind, id), figure)``, in that order."""
    keys = dict(
        db.session.execute(
            select(Indicator.id, Indicator.key).where(
                Indicator.programme_id == participation.round.programme_id
            )
        ).all()
    )
    found = []

    def add(name, rows, day, indicator, value, note):
        if kind not in (None, name):
            return
        for row in rows:
            if since is not None and day(row) < since:
                continue
            quality = getattr(row, "quality", None)
            found.append(
                (
                    (KINDS.index(name), row.id),
                    schemas.FigureOut(
                        kind=name,
                        indicator=indicator(row),
                        date=day(row),
                        value=float(value(row)),
                        note=note(row) or "",
                        quality=quality.value if quality else None,
                    ),
                )
            )

    def of(model):
        return db.session.scalars(
            select(model).where(model.participation_id == participation.id)
        ).all()

    add(
        "baseline",
        of(Baseline),
        lambda r: r.measured_on,
        lambda r: keys[r.indicator_id],
        lambda r: r.value,
        lambda r: r.source_note,
    )
    add(
        "target",
        of(Target),
        lambda r: r.target_date,
        lambda r: keys[r.indicator_id],
        lambda r: r.value,
        lambda r: r.note,
    )
    add(
        "measurement",
        of(Measurement),
        lambda r: r.period,
        lambda r: keys[r.indicator_id],
        lambda r: r.value,
        lambda r: r.note,
    )
    add(
        "cost",
        of(Cost),
        lambda r: r.incurred_on,
        lambda r: f"{CostKind(r.kind).word}:{r.category}",
        lambda r: r.amount,
        lambda r: r.note,
    )
    return sorted(found, key=lambda pair: pair[0])


@needs(READ)
@bp.get(
    "/participations/<int:participation_id>/figures",
    summary="A participation's figures, a page at a time",
    operation_id="listFigures",
    **operation(READ, schemas.FigurePage, tag="figures"),
)
def list_figures(path: schemas.ParticipationPath, query: schemas.FigureQuery):
    participation = visible_participation(path.participation_id)
    after = pagination.decode(query.cursor, "figures")
    rows = _figures(participation, query.kind, query.since)
    if after is not None:
        position = tuple(after) if isinstance(after, list) else ()
        rows = [pair for pair in rows if pair[0] > position]
    page, cursor = pagination.page(
        rows[: query.limit + 1], query.limit, "figures", lambda pair: list(pair[0])
    )
    return answer(schemas.FigurePage(items=[f for _key, f in page], next_cursor=cursor))


def frame_of(items: list[schemas.FigureIn], code: int) -> pd.DataFrame:
    """The items as the rows of a file (texts), each with its index as its ``LINE``."""
    frame = pd.DataFrame(
        {
            "municipality": [str(code)] * len(items),
            "indicator": [i.indicator.strip() for i in items],
            "kind": [i.kind for i in items],
            "date": [i.date.isoformat() for i in items],
            "value": [format(i.value, "f") for i in items],
            "note": [i.note.strip() for i in items],
            "quality": [i.quality or "" for i in items],
            "reason": [i.reason.strip() for i in items],
        },
        dtype=object,
    )
    frame[LINE] = range(len(items))
    return frame


@needs(WRITE_FIGURES)
@bp.post(
    "/participations/<int:participation_id>/figures",
    summary="Post baselines, targets, measurements and costs: all stored, or none",
    description="The rules of the file import: every bad item is listed with its index and "
    "reason and nothing is stored; the same figure again updates it. Send an "
    "`Idempotency-Key` to make a retry safe.",
    operation_id="postFigures",
    **operation(
        WRITE_FIGURES,
        schemas.WriteResult,
        tag="figures",
        read=False,
        **{"409": problem_response("The Idempotency-Key was used for another request")},
    ),
)
def post_figures(
    path: schemas.ParticipationPath, body: schemas.FiguresIn, header: schemas.IdempotencyHeader
):
    user, token = api_user(), api_token()
    participation = visible_participation(path.participation_id)
    if not access.allows(user, participation, "change", model=Measurement):
        raise Problem("forbidden")
    key = header.idempotency_key
    replay = idempotency.kept(token.id, key)
    if replay is not None:
        return replay
    frame = frame_of(body.items, participation.municipality.code)
    try:
        result = import_frame(
            frame, participation.round, actor=user, own_municipality=participation.municipality_id
        )
    except RowErrors as error:
        db.session.rollback()
        status, problem = document("invalid-items", errors=item_errors(error.errors))
        replay = idempotency.keep_and_commit(token.id, key, status, problem)
        if replay is not None:
            return replay
        raise Problem("invalid-items", errors=problem["errors"]) from None
    except NotAllowed:
        db.session.rollback()
        raise Problem("forbidden") from None
    except PortalError as error:
        db.session.rollback()
        raise Problem("bad-request", str(error.message)) from None
    audit.record(
        "api_figures_posted",
        actor=user,
        **audit.of_participation(participation),
        participation_id=participation.id,
        token=token.name,
        token_id=token.id,
        items=len(body.items),
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    out = schemas.WriteResult(
        items=len(body.items),
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    replay = idempotency.keep_and_commit(token.id, key, 200, out.model_dump())
    return replay if replay is not None else answer(out)
