"""The outbox's periodic work, registered with the worker (``portal.jobs.queue``): the
messages waiting are sent every minute (a cron line before)."""

from __future__ import annotations

from huey import crontab

from portal.db import db
from portal.jobs.queue import huey, in_app_context
from portal.notifications.outbox import deliver_outbox as deliver


@huey.periodic_task(crontab(minute="*"))
@in_app_context
def deliver_outbox() -> None:
    deliver(after_each=lambda _message, _outcome: db.session.commit())
    db.session.commit()
