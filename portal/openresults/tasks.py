"""The open data's dated versions, made by a worker (one at a time: an expiring lock).

Every quarter of an hour: cheap when nothing changed (one query compares the published
data's version, which also turns with the day — the daily snapshot); the files are built
only when it changed, and a version is made only when their content did. Retention runs
once a night."""

from __future__ import annotations

import logging

from huey import crontab

from portal.db import db
from portal.jobs import leases
from portal.jobs.queue import huey, in_app_context
from portal.openresults import versions

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="*/15"))
@in_app_context
def snapshot_open_data() -> None:
    with leases.periodic_lock("open-data-snapshot") as held:
        if not held:
            return
        outcome = versions.snapshot(origin="job")
        db.session.commit()
    if outcome.version is not None:
        log.info("open data: version %s made", outcome.version.day)


@huey.periodic_task(crontab(minute="50", hour="2"))
@in_app_context
def prune_open_data_versions() -> None:
    with leases.periodic_lock("open-data-snapshot") as held:
        if not held:
            return
        gone = versions.prune()
        db.session.commit()
    log.info("open data: %d old versions removed", len(gone))
