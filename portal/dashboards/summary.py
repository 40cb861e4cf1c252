"""A round's stored summary (``results.models.RoundSummary``): what the national view of a
large round and every dashboard's medians need, in a few numbers per indicator and per
community, so reading them costs one row whatever the round's size (issue 19 item 7).

``summarise(round_)`` works the numbers out live, exactly as the live view does (the same
``stored_evaluations``, ``compare``, ``round_medians`` and ``community_totals``); ``summary``
reads the kept row when it is of the round's results version and of the day (the statuses)
and otherwise works it out and keeps it: once per version and day, by the national view's
first reader or by the worker (``round_page.draw``); ``kept_medians`` reads the medians of a
kept row of the version, of whatever day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.benefits.calculation import (
    CommunityTotals,
    IndicatorInfo,
    Totals,
    programme_models,
    round_participations,
)
from portal.benefits.calculation.progress import Status
from portal.benefits.display import Median, compare
from portal.db import db
from portal.i18n import local_today
from portal.programmes.models import Round
from portal.results.models import RoundSummary
from portal.results.read import community_totals, stored_evaluations, stored_totals, sum_totals

HUNDRED = Decimal(100)
# Progress in bands of ten percentage points, with one below nought and one at the target
# or beyond: the distribution of a large round, drawn as a dozen bars.
BANDS = tuple(range(0, 100, 10))


def band(progress: Decimal) -> int:
    """The band of a progress (0: below nought, 1–10: each tenth, 11: the target reached)."""
    per_cent = progress * HUNDRED
    if per_cent < 0:
        return 0
    if per_cent >= 100:
        return len(BANDS) + 1
    return int(per_cent // 10) + 1


def band_labels() -> tuple[str, ...]:
    return ("< 0 %", *(f"{b}–{b + 10} %" for b in BANDS), "≥ 100 %")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _median_json(m: Median) -> list:
    return [_text(m.latest), _text(m.progress), m.count, m.progress_count]


def _median(found: list) -> Median:
    return Median(_decimal(found[0]), _decimal(found[1]), found[2], found[3])


def _totals_json(t: Totals) -> dict:
    return {
        "participations": t.participations,
        "hours": str(t.hours),
        "fte_12m": str(t.fte_12m),
        "gross": str(t.gross),
        "costs": str(t.costs),
        "net": str(t.net),
        "flagged": t.flagged,
        "municipality_ids": sorted(t.municipality_ids),
        "marked": t.marked,
    }


def _totals(found: dict) -> Totals:
    return Totals(
        found["participations"],
        Decimal(found["hours"]),
        Decimal(found["fte_12m"]),
        Decimal(found["gross"]),
        Decimal(found["costs"]),
        Decimal(found["net"]),
        found["flagged"],
        frozenset(found["municipality_ids"]),
        found["marked"],
    )


def summarise(round_: Round, today: date | None = None, *, promised: bool = True) -> dict:
    """The round's summary worked out from its stored rows (as JSON: Decimals as text).
    ``promised``: with the round's business cases added up (the worker's, which keeps it;
    a reader who works the summary out for a view needs none)."""
    from portal.dashboards.services import _ordered, _round_medians
    from portal.reports.promised_json import round_promised

    models = programme_models([round_.programme_id], lines=promised)
    participations = round_participations(round_.id)
    evaluations = _ordered(
        stored_evaluations(participations, models=models, today=today, benefits=promised)
    )
    totals = stored_totals(e.member.participation_id for e in evaluations)
    indicators = []
    for c in compare(evaluations, None):
        bands = [0] * (len(BANDS) + 2)
        for row in c.rows:
            if row.progress is not None:
                bands[band(row.progress)] += 1
        indicators.append(
            {
                "id": c.indicator.id,
                "rows": len(c.rows),
                "median": _median_json(c.median),
                "statuses": [[s.value, n] for s, n in c.status_counts],
                "bands": bands,
            }
        )
    return {
        "participations": len(evaluations),
        "indicators": indicators,
        "totals": _totals_json(sum_totals(evaluations, totals)),
        "communities": [
            {"id": c.community_id, "name": c.name, "totals": _totals_json(c.totals)}
            for c in community_totals(evaluations, totals)
        ],
        "medians": [
            [indicator_id, community_id, *_median_json(m)]
            for (indicator_id, community_id), m in _round_medians(round_.id).items()
        ],
    } | (
        # the round's business cases added up, for its progress report (``reports.progress``)
        {"promised": round_promised(round_, evaluations, models[round_.programme_id])}
        if promised
        else {}
    )


def summary(round_: Round, version: str, *, keep: bool = False) -> dict:
    """The round's summary of its results ``version`` (``results.read.version_text``)
    judged today: as kept, or worked out — and with ``keep`` kept (the worker, every minute
    after a change: a GET never writes)."""
    today = local_today()
    kept = _kept(round_.id)
    if kept is not None and kept[0] == version and kept[1] == today and _current(kept[2]):
        return kept[2]
    found = summarise(round_, promised=keep)
    if keep:
        _keep(round_.id, version, today, found, exists=kept is not None)
    return found


def kept_medians(round_id: int, version: str) -> dict[tuple, Median] | None:
    """The medians of the kept summary when it is of ``version`` (of whatever day: the
    calendar does not move a median); ``None`` otherwise. Not worked out here: after a save
    each dashboard works out the medians alone (``services.round_medians``), far less than
    the whole summary, which the national view's reader or the worker keeps."""
    kept = _kept(round_id)
    return medians(kept[2]) if kept is not None and kept[0] == version else None


def _current(found: dict) -> bool:
    """Of this code's shape (a summary kept before the promises were added is not)."""
    return "promised" in found


def kept_version(round_id: int) -> str | None:
    """The results version of the kept summary (``None``: none kept, or of an older shape)."""
    kept = _kept(round_id)
    return kept[0] if kept is not None and _current(kept[2]) else None


def kept_current(round_id: int) -> dict | None:
    """The kept summary when it is of the round's current results version (of whatever
    day), else ``None``: one query, the version and the kept row together."""
    from portal.results.read import data_version_query, version_text

    versions = data_version_query(round_id).subquery()
    row = db.session.execute(
        select(versions, RoundSummary.results_version, RoundSummary.summary)
        .select_from(versions)
        .outerjoin(RoundSummary, RoundSummary.round_id == round_id)
    ).one()
    current = version_text(round_id, tuple(row[:4]))
    kept, found = row[4], row[5]
    return found if kept == current and found is not None and _current(found) else None


def _kept(round_id: int):
    return db.session.execute(
        select(RoundSummary.results_version, RoundSummary.judged_on, RoundSummary.summary).where(
            RoundSummary.round_id == round_id
        )
    ).first()


def _keep(round_id: int, version: str, today: date, found: dict, *, exists: bool) -> None:
    """Kept in a transaction of its own (a reader's request holds no other change); two
    readers working it out at once: the second's insert gives way."""
    try:
        with db.session.begin_nested():
            if exists:
                row = db.session.get(RoundSummary, round_id)
                row.results_version, row.judged_on, row.summary = version, today, found
            else:
                db.session.add(RoundSummary(round_id=round_id, results_version=version, judged_on=today, summary=found))  # fmt: skip
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def medians(found: dict) -> dict[tuple, Median]:
    """``services.round_medians``' answer from a summary."""
    return {(i, c): _median(rest) for i, c, *rest in found["medians"]}


@dataclass(frozen=True)
class IndicatorSummary:
    """An indicator of a large round as its national view shows it."""

    indicator: IndicatorInfo
    count: int  # municipalities with a row
    median: Median
    status_counts: tuple[tuple[Status, int], ...]
    bands: tuple[tuple[str, int], ...]  # (label, municipalities) per band of progress


@dataclass(frozen=True)
class RoundSummaryView:
    participations: int
    indicators: tuple[IndicatorSummary, ...]
    totals: Totals
    communities: tuple[CommunityTotals, ...]


def _indicators(round_: Round, found: dict) -> tuple[IndicatorSummary, ...]:
    infos = {
        i.id: i
        for i in programme_models([round_.programme_id], lines=False)[
            round_.programme_id
        ].indicators
    }
    labels = band_labels()
    return tuple(
        IndicatorSummary(
            infos[i["id"]],
            i["rows"],
            _median(i["median"]),
            tuple((Status(s), n) for s, n in i["statuses"]),
            tuple(zip(labels, i["bands"], strict=True)),
        )
        for i in found["indicators"]
        if i["id"] in infos
    )


def indicator(round_: Round, found: dict, indicator_id: int) -> IndicatorSummary | None:
    """One indicator of the round from a summary (``None``: not of its programme, or the
    round has no municipality)."""
    return next((i for i in _indicators(round_, found) if i.indicator.id == indicator_id), None)


def view(round_: Round, found: dict) -> RoundSummaryView:
    """The national view's figures from a summary (and the programme's indicators)."""
    return RoundSummaryView(
        found["participations"],
        _indicators(round_, found),
        *communities(found),
    )


def communities(found: dict) -> tuple[Totals, tuple[CommunityTotals, ...]]:
    """The round's totals and each community's (the unplaced last) from a summary."""
    return _totals(found["totals"]), tuple(
        CommunityTotals(c["id"], c["name"], _totals(c["totals"])) for c in found["communities"]
    )
