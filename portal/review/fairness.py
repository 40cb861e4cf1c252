"""The ranked list as the coordinator sees it, with fairness beside it: ordered by the raw
average or by the normalised score (``portal.review.calibration``), each application's
disagreement flag (``portal.review.disagreement``), where the capacity line would fall in the
other order, and the filter "Kun markerede" (which hides rows, never re-ranks them).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.review import calibration as calibrating
from portal.review import disagreement as disagreeing
from portal.review.overview import RoundReview
from portal.review.ranking import Capacity, Ranked, RankedList, ranked_lists, raw_score

RAW, NORMALISED = "raw", "normalised"
SORTS = (RAW, NORMALISED)


@dataclass
class Shown:
    entry: Ranked
    line_below: bool  # the capacity line is drawn under this row
    other_fits: bool | None  # fits in the other order (None: no score there)


@dataclass
class ShownList:
    ranked: RankedList
    rows: list[Shown]
    line_on_top: bool  # no shown row is above the line
    everyone_fits: bool

    @property
    def role(self):
        return self.ranked.role


@dataclass
class FairRanking:
    sort: str
    only_flagged: bool
    lists: list[ShownList]
    calibration: calibrating.Calibration
    disagreements: dict[int, disagreeing.Disagreement]

    @property
    def flagged(self) -> int:
        return len(disagreeing.flagged_ids(self.disagreements))

    @property
    def moved(self) -> int:
        """Applications on the other side of the line in the other order."""
        return sum(
            1
            for shown in self.lists
            for s in shown.rows
            if s.other_fits is not None and s.other_fits != s.entry.fits
        )


def shown_list(ranked: RankedList, other: RankedList, visible: set[int] | None) -> ShownList:
    other_fits = {e.row.id: e.fits for e in other.entries if e.rank is not None}
    indexed = [
        (i, e) for i, e in enumerate(ranked.entries) if visible is None or e.row.id in visible
    ]
    line = ranked.line_after
    rows = []
    for position, (i, entry) in enumerate(indexed):
        following = indexed[position + 1][0] if position + 1 < len(indexed) else None
        below = i <= line and (following is None or following > line)
        rows.append(Shown(entry, below, other_fits.get(entry.row.id)))
    return ShownList(
        ranked,
        rows,
        line_on_top=bool(indexed) and indexed[0][0] > line,
        everyone_fits=line == len(ranked.entries) - 1,
    )


def fair_ranking(
    review: RoundReview, cap: Capacity, sort: str | None, only_flagged: bool
) -> FairRanking:
    sort = sort if sort in SORTS else RAW
    calibration = calibrating.calibrate(review)
    found = disagreeing.disagreements(review)
    raw = ranked_lists(review, cap, raw_score)
    normalised = ranked_lists(review, cap, calibration.score)
    chosen, other = (normalised, raw) if sort == NORMALISED else (raw, normalised)
    visible = disagreeing.flagged_ids(found) if only_flagged else None
    return FairRanking(
        sort=sort,
        only_flagged=only_flagged,
        lists=[shown_list(c, o, visible) for c, o in zip(chosen, other, strict=True)],
        calibration=calibration,
        disagreements=found,
    )
