"""The worker draws each municipality's own dashboard sections (and each round's national view,
``round_page.draw``) after their figures change,
before its reader comes (``sections.draw``): every minute it asks each participation for the
version of what its sections show and draws those whose kept sections are of an older one.
Asking costs a query and a file's first line per participation (about a millisecond); a
change is drawn within the minute, and a reader who comes sooner draws it for itself."""

from __future__ import annotations

import logging
import time

from flask import current_app
from huey import crontab
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.dashboards import round_page
from portal.dashboards.sections import draw
from portal.dashboards.versions import LOADS
from portal.db import db
from portal.jobs.queue import huey, in_app_context
from portal.participations.models import Participation
from portal.programmes.models import Round

log = logging.getLogger(__name__)


@huey.task()
@huey.lock_task("draw-dashboards")
@in_app_context
def draw_dashboards(round_id: int | None = None) -> int:
    """Every participation's (or one round's) own sections drawn where they changed."""
    started = time.monotonic()
    query = (
        select(Participation)
        .options(*LOADS, joinedload(Participation.round).joinedload(Round.programme))
        .order_by(Participation.id)
    )
    if round_id is not None:
        query = query.where(Participation.round_id == round_id)
    rounds = select(Round).options(joinedload(Round.programme)).order_by(Round.id)
    if round_id is not None:
        rounds = rounds.where(Round.id == round_id)
    with current_app.test_request_context("/"):  # links are made with url_for
        drawn = draw(db.session.scalars(query).unique())
        # the rounds' national views (and so their stored summaries) after their figures
        views = round_page.draw(db.session.scalars(rounds).unique())
    if drawn or views:
        log.info(
            "%d dashboards and %d national views drawn in %.1f s",
            drawn,
            views,
            time.monotonic() - started,
        )
    return drawn


@huey.periodic_task(crontab(minute="*"))
def draw_dashboards_periodically() -> None:
    draw_dashboards()
