"""Reporting requirements: what is due, what is late, delivering and reopening a report, and
the narratives for the dashboards and reports.

An item's state as of a day (``today``, a Copenhagen date; the pages use ``local_today()``):

- ``fulfilled`` — baseline and target: every indicator of the programme has a baseline and a
  target for the participation. Computed from the recorded figures whenever it is asked,
  never ticked by hand (a programme without indicators has nothing to deliver);
- ``submitted`` — a status or final report with its narrative submitted;
- ``overdue`` — neither, and the due date has passed;
- ``open`` — neither, not yet due, and it can be delivered now;
- ``upcoming`` — a report whose quarter (or, for the final report, last quarter) has not
  begun.

A submitted report is read-only; a coordinator can reopen it (the text is kept, the
municipality changes it and submits again). Every submission and reopening is audited with
before and after, ``round_id`` and ``application_id``. Services flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from portal import access
from portal.audit import services as audit
from portal.auth.models import User
from portal.benefits.models import Baseline, Target
from portal.benefits.recording.figures import programme_indicators
from portal.db import db, utcnow
from portal.errors import InvalidInput, NotAllowed, RuleViolations, check_version
from portal.i18n import local_date, local_today
from portal.participations.models import Participation
from portal.programmes.models import Indicator
from portal.reporting import follow_up
from portal.reporting.labels import item_label, state_label
from portal.reporting.models import MAX_NARRATIVE, GainsKept, ReportingRequirement, ReportKind
from portal.reporting.permissions import can_reopen_report, can_submit_report, has_own_reports
from portal.reporting.schedule import opens_on
from portal.signals import send_figures_changed
from portal.textcheck import cpr_problems

FULFILLED, SUBMITTED, OVERDUE, OPEN, UPCOMING = (
    "fulfilled",
    "submitted",
    "overdue",
    "open",
    "upcoming",
)
DONE = (FULFILLED, SUBMITTED)
NARRATIVE_FIELDS = ("what_worked", "obstacles", "next_steps")


@dataclass
class MissingFigures:
    """An indicator of the programme that still lacks its baseline, its target, or both."""

    indicator: Indicator
    baseline: bool
    target: bool


@dataclass
class ItemView:
    """An item with its state as of ``today``; for baseline and target also what is
    missing."""

    item: ReportingRequirement
    state: str
    days_left: int  # due_on − today: negative when overdue
    opens_on: date | None
    missing: list[MissingFigures] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.state in DONE

    @property
    def label(self) -> str:
        return item_label(self.item)

    @property
    def state_label(self) -> str:
        return state_label(self.state)


def state_of(item: ReportingRequirement, today: date, missing: list | None = None) -> str:
    """The item's state as of ``today`` (see the module docstring); ``missing`` is what the
    figures lack (baseline and target only)."""
    if item.kind == ReportKind.BASELINE_TARGET:
        if not missing:
            return FULFILLED
    elif item.submitted_at is not None:
        return SUBMITTED
    if item.due_on < today:
        return OVERDUE
    starts = opens_on(item)
    return UPCOMING if starts is not None and starts > today else OPEN


def missing_figures(participations: Iterable[Participation]) -> dict[int, list[MissingFigures]]:
    """For each participation, the indicators without a baseline or a target: three
    queries whatever the number of participations (their rounds loaded or loadable)."""
    participations = list({p.id: p for p in participations}.values())
    if not participations:
        return {}
    ids = [p.id for p in participations]
    indicators = programme_indicators({p.round.programme_id for p in participations})
    baselines = set(
        db.session.execute(
            select(Baseline.participation_id, Baseline.indicator_id).where(
                Baseline.participation_id.in_(ids)
            )
        ).all()
    )
    targets = set(
        db.session.execute(
            select(Target.participation_id, Target.indicator_id).where(
                Target.participation_id.in_(ids)
            )
        ).all()
    )
    result: dict[int, list[MissingFigures]] = {}
    for p in participations:
        result[p.id] = [
            MissingFigures(i, (p.id, i.id) not in baselines, (p.id, i.id) not in targets)
            for i in indicators[p.round.programme_id]
            if (p.id, i.id) not in baselines or (p.id, i.id) not in targets
        ]
    return result


def views_of(items: list[ReportingRequirement], today: date) -> list[ItemView]:
    """The items with their states (the participations and rounds loaded or loadable)."""
    missing = missing_figures(
        i.participation for i in items if i.kind == ReportKind.BASELINE_TARGET
    )
    views = []
    for item in items:
        lacking = (
            missing.get(item.participation_id, [])
            if item.kind == ReportKind.BASELINE_TARGET
            else []
        )
        views.append(
            ItemView(
                item,
                state_of(item, today, lacking),
                (item.due_on - today).days,
                opens_on(item),
                lacking,
            )
        )
    return views


def view_of(item: ReportingRequirement, today: date) -> ItemView:
    return views_of([item], today)[0]


def _items_query():
    return (
        select(ReportingRequirement)
        .join(ReportingRequirement.participation)
        .options(
            joinedload(ReportingRequirement.participation).joinedload(Participation.round),
            joinedload(ReportingRequirement.participation).joinedload(Participation.municipality),
        )
        .order_by(ReportingRequirement.due_on, ReportingRequirement.id)
    )


def items_for(participations: Iterable[Participation], today: date) -> dict[int, list[ItemView]]:
    """Each participation's items with their states, by due date: the dashboards' "what is
    due". The participations come from the scoping helpers. Four queries."""
    ids = [p.id for p in participations]
    result: dict[int, list[ItemView]] = {pid: [] for pid in ids}
    if not ids:
        return result
    items = list(
        db.session.scalars(_items_query().where(ReportingRequirement.participation_id.in_(ids)))
    )
    for view in views_of(items, today):
        result[view.item.participation_id].append(view)
    return result


@lru_cache(maxsize=4096)
def items_version(participation_id: int) -> Select:
    """A key that changes whenever one of the participation's items is made, changed
    (submitted, reopened, moved: every change raises its version) or removed, for cached
    pages: how many there are, their versions' sum and the newest's id (a one-row query,
    built once per participation, to be run with the page's other versions:
    ``db.one_trip``). What an item's state also rests on, the day and the baselines and
    targets, is the caller's to add (the stored results' version follows the figures)."""
    return select(
        func.count(ReportingRequirement.id),
        func.coalesce(func.sum(ReportingRequirement.version), 0),
        func.max(ReportingRequirement.id),
    ).where(ReportingRequirement.participation_id == participation_id)


@dataclass
class ParticipationItems:
    participation: Participation
    items: list[ItemView]

    @property
    def overdue(self) -> list[ItemView]:
        return [v for v in self.items if v.state == OVERDUE]

    @property
    def next_narrative(self) -> ItemView | None:
        """The report to write now: the most urgent overdue or open status or final report."""
        return next(
            (v for v in self.items if v.item.has_narrative and v.state in (OVERDUE, OPEN)),
            None,
        )


def my_items(user: User, today: date) -> list[ParticipationItems]:
    """The user's municipality's participations with their items, newest round first."""
    participations = list(
        db.session.scalars(
            access.visible(select(Participation), user)
            .options(joinedload(Participation.round))
            .order_by(Participation.id.desc())
        )
    )
    by_participation = items_for(participations, today)
    return [ParticipationItems(p, by_participation[p.id]) for p in participations]


def home_items(user: User, today: date | None = None) -> list[ItemView]:
    """ "Det skal I aflevere" on a municipality's home page: the items of the user's
    municipality that are overdue or can be delivered now, most urgent first."""
    if not has_own_reports(user):
        return []
    today = today or local_today()
    result = [
        view
        for group in my_items(user, today)
        for view in group.items
        if view.state in (OVERDUE, OPEN)
    ]
    return sorted(result, key=lambda v: (v.item.due_on, v.item.id))


# Delivering and reopening -------------------------------------------------------------------


@dataclass
class NarrativeData:
    what_worked: str = ""
    obstacles: str = ""
    next_steps: str = ""
    gains_kept: GainsKept | None = None  # the follow-up's answer (required there only)


REQUIRED_MESSAGES = {
    "what_worked": _l("Skriv, hvad der har virket."),
    "obstacles": _l("Skriv, hvilke forhindringer I har mødt."),
    "next_steps": _l("Skriv jeres næste skridt."),
}


def _snapshot(item: ReportingRequirement) -> dict:
    return {
        "kind": item.kind.value,
        "period_start": item.period_start.isoformat(),
        "period_end": item.period_end.isoformat(),
        "due_on": item.due_on.isoformat(),
        "submitted_at": item.submitted_at.isoformat() if item.submitted_at else None,
        **{f: getattr(item, f) for f in NARRATIVE_FIELDS},
        "gains_kept": item.gains_kept.value if item.gains_kept else None,
    }


def _audit(action: str, item: ReportingRequirement, *, actor, before, after) -> None:
    audit.record(
        action,
        actor=actor,
        obj=item,
        **audit.of_participation(item.participation),
        before=before,
        after=after,
    )


def narrative_problems(data: NarrativeData) -> list[tuple[str, str]]:
    """Each field: required, at most ``MAX_NARRATIVE`` characters, no CPR number."""
    problems = []
    for name in NARRATIVE_FIELDS:
        text = getattr(data, name)
        if not text:
            problems.append((name, REQUIRED_MESSAGES[name]))
        elif len(text) > MAX_NARRATIVE:
            problems.append(
                (
                    name,
                    _l(
                        "Højst %(max)d tegn (der er %(n)d).",
                        max=MAX_NARRATIVE,
                        n=len(text),
                    ),
                )
            )
    problems += cpr_problems({n: getattr(data, n) for n in NARRATIVE_FIELDS})
    return problems


def submit_report(
    item: ReportingRequirement,
    data: NarrativeData,
    *,
    actor: User,
    version: int | None = None,
    today: date | None = None,
) -> ReportingRequirement:
    """Submit a status or final report's narrative (what worked, obstacles, next steps).

    Only the municipality's own municipal users; not before the report opens; not twice (a
    coordinator must reopen it first). The three texts are required, at most 4,000
    characters each, and refused when one looks like it holds a CPR number. The follow-up a
    year after also needs its answer (gains kept?) and at least one value after the end
    for each key indicator (``reporting.follow_up``)."""
    today = today or local_today()
    if not item.has_narrative:
        raise InvalidInput(
            _l("Basislinje og målbillede afleveres ved at registrere tallene for hver indikator.")
        )
    if not can_submit_report(actor, item):
        raise NotAllowed(_l("Kun kommunens egne brugere kan aflevere rapporten."))
    check_version(item, version, _l("Rapporten"))
    if item.submitted_at is not None:
        raise NotAllowed(
            _l(
                "Rapporten er allerede afleveret. Koordinatoren kan genåbne den, hvis den skal"
                " rettes."
            )
        )
    starts = opens_on(item)
    if starts is not None and starts > today:
        raise NotAllowed(_l("Rapporten kan først afleveres fra %(date)s.", date=local_date(starts)))
    gains_kept = data.gains_kept
    data = NarrativeData(
        *((getattr(data, f) or "").replace("\r\n", "\n").strip() for f in NARRATIVE_FIELDS)
    )
    problems = narrative_problems(data)
    if item.kind == ReportKind.FOLLOW_UP and gains_kept is None:
        problems.append(("gains_kept", _l("Svar, om gevinsterne er fastholdt.")))
    if item.kind == ReportKind.FOLLOW_UP and (missing := follow_up.missing_problem(item)):
        problems.append(missing)
    if problems:
        raise RuleViolations(problems)
    before = _snapshot(item)
    for name in NARRATIVE_FIELDS:
        setattr(item, name, getattr(data, name))
    if item.kind == ReportKind.FOLLOW_UP:
        item.gains_kept = gains_kept
    item.submitted_at = utcnow()
    item.submitted_by_id = actor.id
    db.session.flush()
    send_figures_changed([item.participation_id], numbers=False)  # the stored reports' words
    _audit("report_submitted", item, actor=actor, before=before, after=_snapshot(item))
    return item


def reopen_report(
    item: ReportingRequirement, *, actor: User, version: int | None = None
) -> ReportingRequirement:
    """A coordinator opens a submitted report again so the municipality can change it and
    submit it anew; the text is kept. Reminders already sent are not sent again."""
    if not can_reopen_report(actor):
        raise NotAllowed(_l("Kun koordinatoren kan genåbne en afleveret rapport."))
    check_version(item, version, _l("Rapporten"))
    if not item.has_narrative or item.submitted_at is None:
        raise NotAllowed(_l("Rapporten er ikke afleveret, så der er intet at genåbne."))
    before = _snapshot(item)
    item.submitted_at = None
    item.reopened_at = utcnow()
    db.session.flush()
    send_figures_changed([item.participation_id], numbers=False)
    _audit("report_reopened", item, actor=actor, before=before, after=_snapshot(item))
    return item
