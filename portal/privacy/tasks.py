"""The retention table applied every night by a worker (one at a time: an expiring lock)."""

from __future__ import annotations

import logging

from huey import crontab

from portal.db import db
from portal.jobs import leases
from portal.jobs.queue import huey, in_app_context
from portal.privacy import retention

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="40", hour="1"))
@in_app_context
def apply_retention() -> None:
    with leases.periodic_lock("retention") as held:
        if not held:
            return
        items, _run = retention.run(dry_run=False, origin="job")
        db.session.commit()
    log.info("retention: %d rows made anonymous", len(items))
