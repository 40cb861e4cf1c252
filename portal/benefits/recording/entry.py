"""What a municipality has to enter: for each indicator the latest figures and the periods
that are due, so the "Indtast tal" pages and the import template can show a short list
instead of every form at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.benefits.calculation.periods import add_months, period_start
from portal.benefits.recording.figures import IndicatorFigures, figures_of
from portal.benefits.recording.rules import period_end
from portal.i18n import local_today
from portal.participations.models import Participation
from portal.programmes.models import Frequency, Round

STEP_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}


@dataclass
class IndicatorDue:
    figures: IndicatorFigures
    due: list[date]  # first days of the periods still without a measurement, oldest first

    @property
    def indicator(self):
        return self.figures.indicator

    @property
    def missing_baseline(self) -> bool:
        return self.figures.baseline is None

    @property
    def missing_target(self) -> bool:
        return self.figures.target is None

    @property
    def anything_due(self) -> bool:
        return bool(self.due) or self.missing_baseline or self.missing_target


def due_periods(figures: IndicatorFigures, round_: Round, today: date) -> list[date]:
    """The periods of the round that have ended by ``today`` and have no measurement yet.

    A period is due once it is over (a month is reported after it ends), and none before the
    baseline's period, since the recording rules refuse a measurement before the baseline."""
    frequency = figures.indicator.frequency
    current = period_start(round_.period_start, frequency)
    if figures.baseline is not None:
        current = max(current, period_start(figures.baseline.measured_on, frequency))
    measured = {m.period for m in figures.measurements}
    due = []
    while current <= round_.period_end and period_end(current, frequency) < today:
        if current not in measured:
            due.append(current)
        current = add_months(current, STEP_MONTHS[frequency])
    return due


def entry_overview(
    participations: list[Participation], today: date | None = None
) -> dict[int, list[IndicatorDue]]:
    """Each participation's indicators (in the programme's order) with what is due, by
    participation id; the figures are read in one go (``figures_of``)."""
    today = today or local_today()
    figures = figures_of(participations)
    return {
        p.id: [IndicatorDue(f, due_periods(f, p.round, today)) for f in figures[p.id].indicators]
        for p in participations
    }
