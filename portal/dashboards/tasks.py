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

from portal.dashboards import round_page, summary
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


# After a save: each round's summary stored within seconds, not at the next minute's drawing,
# so the national view's and the indicator pages' readers rarely work it out live (about
# 0.7 s of CPU at 750 municipalities). Scheduled after the commit that changed figures, at
# most once per ``SUMMARY_DELAY`` seconds per process; a run finds every round whose stored
# summary is of an older results version and stores it anew (a current one: one query).
SUMMARY_DELAY = 2
_FLAG = "dashboards_figures_changed"
_scheduled_at = [float("-inf")]


@huey.task()
@huey.lock_task("keep-round-summaries")
@in_app_context
def keep_round_summaries() -> int:
    """Each round's summary of its current results version stored: how many were stale."""
    from portal.results.read import data_version

    stale = 0
    for round_ in db.session.scalars(select(Round).options(joinedload(Round.programme))):
        version = data_version(round_.id)
        if summary.kept_version(round_.id) != version:
            summary.summary(round_, version, keep=True)
            stale += 1
    return stale


def _mark(_sender, **_changes) -> None:
    db.session.info[_FLAG] = True


def _after_commit(session) -> None:
    if not session.info.pop(_FLAG, False):
        return
    now = time.monotonic()
    if now - _scheduled_at[0] < SUMMARY_DELAY:
        return  # one is already on its way: it stores whatever is stale when it runs
    _scheduled_at[0] = now
    try:
        keep_round_summaries.schedule(delay=SUMMARY_DELAY)
    except Exception:  # noqa: BLE001 - the figures are saved; the minute's drawing catches up
        log.exception("the round summaries could not be scheduled")


def _after_soft_rollback(session, _previous) -> None:
    session.info.pop(_FLAG, None)


def watch_figures() -> None:
    """Schedule ``keep_round_summaries`` after every commit that changed a round's figures."""
    from sqlalchemy import event

    from portal.participations.signals import memberships_changed, participations_created
    from portal.signals import figures_changed

    for signal in (figures_changed, participations_created, memberships_changed):
        signal.connect(_mark)
    for name, func in (
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_soft_rollback),
    ):
        if not event.contains(db.session, name, func):
            event.listen(db.session, name, func)
