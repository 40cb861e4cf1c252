"""``portal reporting schedule`` and ``portal reporting remind`` (run it daily, e.g. from cron)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext
from flask_babel import ngettext

from portal.db import db
from portal.i18n import local_date


@click.group("reporting")
def reporting_group() -> None:
    """The municipalities' reporting: schedules and reminders."""


def _schedule() -> None:
    from portal.reporting.schedule import ensure_all_schedules

    change = ensure_all_schedules()
    click.echo(
        ngettext(
            "Rapporteringsplaner: %(num)d frist oprettet, %(updated)d flyttet, %(removed)d fjernet.",
            "Rapporteringsplaner: %(num)d frister oprettet, %(updated)d flyttet, "
            "%(removed)d fjernet.",
            change.created,
            updated=change.updated,
            removed=change.removed,
        )
    )


@reporting_group.command("schedule")
@with_appcontext
def schedule_command() -> None:
    """Give every participation its due items (creates what is missing; idempotent)."""
    _schedule()
    db.session.commit()


@reporting_group.command("remind")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Dagen at regne fra (ÅÅÅÅ-MM-DD); standard er i dag.",
)
@with_appcontext
def remind_command(today) -> None:
    """Complete the schedules, then write the reminders due today to the outbox (before
    and after each due date, each at most once); prints what was sent."""
    from portal.i18n import local_today
    from portal.reporting.labels import item_label
    from portal.reporting.reminders import BEFORE, send_reminders

    day: date = today.date() if today else local_today()
    _schedule()
    sent = send_reminders(day)
    db.session.commit()
    for reminder in sent:
        item = reminder.item
        when = "frist snart" if reminder.when == BEFORE else "frist overskredet"
        click.echo(
            f"{when}: {item.participation.municipality.name} – "
            f"{item.participation.round.name_da} – {item_label(item)} "
            f"(frist {local_date(item.due_on)})"
        )
    n = len(sent)
    click.echo(f"{n} {'påmindelse' if n == 1 else 'påmindelser'} lagt i udbakken.")
