"""The house's one road for "figures changed": a blinker signal at the bottom of the house,
so that any domain can send it without knowing who listens (the stored results, the stored
reports), like the domains' own signals (``participations.signals``,
``programmes.signals``, ``municipalities.signals``).

``figures_changed`` is sent (sender: None) after the change is flushed, in the caller's
transaction, naming what changed:

- ``participation_ids``: the participations whose figures, targets, costs, hourly cost or
  benefit owner changed (``benefits``), or whose own words did (``reporting``);
- ``round_ids``: rounds whose parameters changed (``programmes``);
- ``programme_ids``: programmes whose indicators or formulas changed (``programmes``);
- ``numbers``: False when only words changed (a status report): the stored results stay,
  the stored reports follow.

The stored results (``results.refresh``) recompute what is named in the same transaction;
the stored reports (``jobs.tasks``) are rendered again shortly after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from blinker import Namespace

_signals = Namespace()
figures_changed = _signals.signal("figures-changed")


def send_figures_changed(
    participation_ids: Iterable[int] = (),
    *,
    round_ids: Iterable[int] = (),
    programme_ids: Iterable[int] = (),
    numbers: bool = True,
) -> None:
    """Tell whoever listens that these figures changed (see the module)."""
    figures_changed.send(
        None,
        participation_ids=tuple(sorted(set(participation_ids))),
        round_ids=tuple(sorted(set(round_ids))),
        programme_ids=tuple(sorted(set(programme_ids))),
        numbers=numbers,
    )


# ``report_stored``: the worker stored a newly rendered report (``reports.stored``), in the
# transaction that stores it: ``kind`` ("progress" or "funding") and its ``scope``
# (``reports.scope.ReportScope``). ``webhooks`` tells the report's municipality (or, for a
# round's or the national report, the collaboration) that it is ready.
report_stored = _signals.signal("report-stored")
