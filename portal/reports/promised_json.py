"""A round's promises added up (``progress_promise.Promised``) as JSON for the round's
stored summary (``dashboards.summary``): the worker works out every participation's business
case once per results version, and the round's progress page reads the sums (issue 19: at
750 municipalities the business cases cost about a second of CPU per request)."""

from __future__ import annotations

from decimal import Decimal

from portal.benefits.calculation.scenarios import Scenario
from portal.reports.progress_promise import Promised

COUNTS = ("lowered", "raised", "rebaselined", "marked", "municipalities", "without_target")


def to_json(p: Promised) -> dict:
    return {
        "sums": {s.value: [str(v) for v in p.scenario_sums(s)] for s in Scenario},
        "realised_gross": str(p.realised_gross),
        "expected_gross": {s.value: str(v) for s, v in p.expected_gross.items()},
        "shown": sorted(s.value for s in p.shown),
        **{name: getattr(p, name) for name in COUNTS},
    }


def from_json(found: dict) -> Promised:
    return Promised(
        {},
        Decimal(found["realised_gross"]),
        {Scenario(s): Decimal(v) for s, v in found["expected_gross"].items()},
        *(found[name] for name in COUNTS[:5]),
        {Scenario(s) for s in found["shown"]},
        found["without_target"],
        {Scenario(s): tuple(Decimal(v) for v in sums) for s, sums in found["sums"].items()},
    )


def round_promised(round_, evaluations, model) -> dict:
    """The round's promises as JSON, worked out from ``evaluations`` (with benefits)."""
    from portal.reports.progress_promise import promised

    return to_json(promised(round_, evaluations, model))
