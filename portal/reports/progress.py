"""The progress report: for each indicator baseline, target, latest value, progress and
status; charts over time against the target; the benefits (hours, FTE, kroner gross, costs,
net, payback) with the formulas stated once in an appendix; the municipalities' own words.

- **A municipality** (its participation in a round): its indicators, each with its chart
  over time against the target line and its community's and round's medians, its benefits
  month by month, its latest status report.
- **A community** and **a round**: a summary per indicator (a row per municipality, the
  median, the status counts, one distribution chart), the benefits per municipality with
  the median and the total, each municipality's latest status report. Another
  municipality's count of 1–4 reads "< 5" (``progress_tables.shown``).
- **Nationally** (no round): a chapter per running round, as the round's report.

The figures come from ``calculation.evaluate`` (six queries for any number of
participations), the words from ``narratives_for`` (one): a fixed number of queries per
round, whatever the number of municipalities. A municipality's own report, and the ZIP of
every municipality's own report of a round, are ``progress_municipality``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from portal import access
from portal.applications.models import ApplicantRole
from portal.benefits.calculation import (
    CommunityTotals,
    Evaluation,
    ProgrammeModel,
    Totals,
    community_totals,
    evaluate,
    programme_models,
    round_participations,
)
from portal.benefits.calculation.data import LineInfo
from portal.benefits.calculation.progress import Status
from portal.benefits.display import (
    IndicatorComparison,
    compare,
    distribution_svg,
)
from portal.db import db, utcnow
from portal.i18n import local_today, localized
from portal.participations.models import Participation
from portal.pdf import collector_paused
from portal.programmes.models import Round, RoundStatus
from portal.reporting.narratives import Narrative, narratives_for
from portal.reports import progress_benefits as b
from portal.reports import progress_promise as promise
from portal.reports import progress_tables as t
from portal.reports import promised_json
from portal.reports.funding_tables import period_text
from portal.reports.model import Chart, Report, Section, Table, slugify
from portal.reports.progress_comparison import (
    chart_alt,
    comparison_table,
    overview_table,
    status_counts_text,
)
from portal.reports.progress_key_figures import key_figures_table
from portal.reports.progress_method import method_sections
from portal.reports.progress_municipality import (
    PDF_TEMPLATE,
    latest_narratives,
    own_report,
)
from portal.reports.scope import ReportScope, ScopeKind, ScopeNotFound, community_label
from portal.results.read import stored_evaluations


@collector_paused()
def progress_report(
    scope: ReportScope,
    *,
    viewer_municipality_id: int | None = None,
    generated_at: datetime | None = None,
    viewer=None,
    live: bool = False,
    page: bool = False,
    main_only: bool = False,
) -> Report:
    """The progress report of ``scope`` (see the module); access is the caller's check,
    whose figures stand side by side the gate's (``viewer``: see ``round_data``).
    ``viewer_municipality_id``: whose figures are the reader's own (exact, never "< 5").
    A round's and the nation's come from the stored results, or with ``live`` from the
    figures (``round_data``); a municipality's own is always computed from its figures.
    ``page``: for the report's page, which shows its sections only (no main table and no
    key figures: the CSV's and the workbook's, a row per municipality and indicator);
    ``main_only``: for the CSV, the main table alone (no sections)."""
    generated_at = generated_at or utcnow()
    if scope.round is None:
        if scope.kind != ScopeKind.NATIONAL:
            raise ScopeNotFound(_("Fremdriftsrapporten for en kommune gælder ét forløb."))
        return _national_report(viewer_municipality_id, generated_at, live)
    round_ = scope.round
    if scope.kind == ScopeKind.MUNICIPALITY:
        return own_report(round_, scope.municipality.id, generated_at)
    community = scope.community if scope.kind == ScopeKind.COMMUNITY else None
    data = round_data(
        round_,
        viewer_municipality_id,
        community_id=getattr(community, "id", None),
        region=scope.region,
        reader=viewer,
        live=live,
    )
    if community is not None:
        scope_text = community_label(community.name)
        filename = f"fremdrift-{round_.slug}-faellesskab-{slugify(community.name)}"
    elif scope.region is not None:
        scope_text = scope.region
        filename = f"fremdrift-{round_.slug}-{slugify(scope.region)}"
    else:
        scope_text = _("Alle kommuner i forløbet")
        filename = f"fremdrift-{round_.slug}"
    sections = [] if main_only else round_sections(data, nested=False)
    if not main_only:
        sections += method_sections([(round_, data.evaluations, data.lines)], several=True)
    return Report(
        title=_("Fremdrift: %(round)s", round=localized(round_, "name")),
        scope=scope_text,
        period=period_text(round_.period_start, round_.period_end),
        generated_at=generated_at,
        sections=sections,
        filename=filename,
        main_table=None if page else t.main_table(data.evaluations, viewer_municipality_id),
        key_figures=None if page or main_only else _round_key_figures(data, community),
        summary="" if main_only else _cover_text(data.evaluations, data.comparisons),
        pdf_template=PDF_TEMPLATE,
    )


# --- data --------------------------------------------------------------------------------------


@dataclass
class RoundData:
    round: Round
    viewer: int | None
    evaluations: list[Evaluation]
    comparisons: tuple[IndicatorComparison, ...]
    communities: tuple[CommunityTotals, ...]
    narratives: list[Narrative]  # the latest submitted per participation, by municipality
    several_communities: bool  # a round's: each row names its community
    model: ProgrammeModel | None = None  # the programme's indicators and benefit lines
    promised: promise.Promised | None = None  # the round's, from its stored summary

    @property
    def lines(self) -> tuple[LineInfo, ...]:
        return self.evaluations[0].lines if self.evaluations else ()


def _order(evaluations: Sequence[Evaluation], *, by_community: bool) -> list[Evaluation]:
    def key(e: Evaluation):
        m = e.member
        community = (m.community_id is None, m.community_name or "") if by_community else ()
        return (*community, m.role != ApplicantRole.LEAD.value, m.municipality_name)

    return sorted(evaluations, key=key)


def round_data(
    round_: Round,
    viewer: int | None,
    *,
    community_id: int | None = None,
    region: str | None = None,
    reader=None,
    live: bool = False,
) -> RoundData:
    """A round's (or one community's, or one region's) evaluations, comparisons and latest
    narratives: nine queries whatever the number of municipalities. ``reader``: only the
    participations whose figures the reader may see side by side (the gate's ``compare``);
    none (the command line, the stored national report): all. The evaluations are the stored
    results (``results.read.stored_evaluations``: kept in step with the figures in the
    transaction that changes them), or with ``live`` computed from the figures again."""
    participations = round_participations(round_.id, community_id)
    whole = len(participations)
    if region is not None:
        participations = [p for p in participations if p.municipality.region == region]
    if reader is not None:
        participations = side_by_side(participations, reader)
    kept = None
    if not live and community_id is None and len(participations) == whole:
        kept = kept_promised(round_, whole)
    models = programme_models([round_.programme_id])
    if live:
        evaluated = evaluate(participations, models=models)
    else:
        evaluated = stored_evaluations(participations, models=models, benefits=True)
    evaluations = _order(evaluated, by_community=community_id is None)
    return RoundData(
        round_,
        viewer,
        evaluations,
        compare(evaluations, viewer),
        community_totals(evaluations),
        latest_narratives(narratives_for(round_), [p.id for p in participations]),
        community_id is None,
        models[round_.programme_id],
        kept,
    )


def kept_promised(round_: Round, participations: int) -> promise.Promised | None:
    """The round's promises added up as its stored summary holds them, when the summary is
    of the round's current results version and of all ``participations`` (else ``None``:
    worked out per participation, ``progress_promise.promised``)."""
    from portal.dashboards.summary import kept_current

    found = kept_current(round_.id)
    if found is None or found["participations"] != participations:
        return None
    return promised_json.from_json(found["promised"])


def side_by_side(participations: list[Participation], reader) -> list[Participation]:
    """The participations whose figures ``reader`` may see beside each other."""
    ids = [p.id for p in participations]
    stmt = select(Participation.id).where(Participation.id.in_(ids))
    shown = set(db.session.scalars(access.visible(stmt, reader, "compare", Participation)))
    return [p for p in participations if p.id in shown]


# --- several municipalities --------------------------------------------------------------------


def _round_key_figures(data: RoundData, community) -> Table:
    """Per community and the round in all (a community's report: the community alone)."""
    if community is not None:
        return key_figures_table(_("Fællesskab"), [(community.name, data.evaluations)])
    groups: dict[str | None, list[Evaluation]] = {}
    for e in data.evaluations:
        groups.setdefault(e.member.community_name, []).append(e)
    named = sorted((name, group) for name, group in groups.items() if name is not None)
    if None in groups:
        named.append((_("Uden fællesskab"), groups[None]))
    return key_figures_table(_("Fællesskab"), named, total=localized(data.round, "name"))


def _cover_text(evaluations: Sequence[Evaluation], comparisons=()) -> str:
    if not evaluations:
        return _("Ingen kommuner deltager endnu.")
    text = b.totals_sentence(Totals.of(evaluations))
    rows = [r for c in comparisons for r in c.rows]
    if rows:
        # a row is one indicator of one municipality; missing data counts as missing
        text += " " + _(
            "Af %(total)d indikatorer i %(municipalities)d kommuner (hver kommunes indikatorer"
            " tæller hver for sig) er %(n)d på sporet; %(missing)d mangler data.",
            total=len(rows),
            municipalities=len({e.member.municipality_id for e in evaluations}),
            n=sum(r.status == Status.ON_TRACK for r in rows),
            missing=sum(r.status == Status.NO_DATA for r in rows),
        )
    return text


def round_sections(data: RoundData, *, nested: bool, number: int = 1) -> list[Section]:
    """The summary, benefits, indicators and words of a round or community. ``nested``:
    under a chapter named for the round (the national report), everything a level down."""
    round_ = data.round
    # Its sheets in the national workbook: "Gevinster (2)" for the second round, as the
    # appendix numbers them (``method_sections``); "Om rapporten" lists each with its round.
    suffix = f"({number})" if nested else ""
    level = 2 if nested else 1
    evaluations = data.evaluations
    summary = Section(
        localized(round_, "name") if nested else _("Sammenfatning"),
        paragraphs=[
            _cover_text(evaluations, data.comparisons),
            _("Antal mellem 1 og 4 for en anden kommune vises som „< 5“."),
        ],
        facts=[
            (_("Indsats"), localized(round_.programme, "name")),
            (_("Periode"), period_text(round_.period_start, round_.period_end)),
            (_("Kommuner"), str(len(evaluations))),
        ],
        tables=[overview_table(data.comparisons)] if evaluations else [],
        new_page=nested,
    )
    if nested:
        for table in summary.tables:
            table.short_title = t.sheet(table.short_title, suffix)
    if not evaluations:
        return [summary]
    benefits = Section(
        _("Gevinster"),
        paragraphs=[b.totals_sentence(Totals.of(evaluations))],
        tables=[
            b.benefits_table(
                evaluations, with_community=data.several_communities, sheet_suffix=suffix
            )
        ],
        level=level,
    )
    if data.several_communities and any(c.community_id for c in data.communities):
        benefits.tables.append(b.community_benefits_table(data.communities, suffix))
    promised = promise.round_promise_section(
        round_, evaluations, data.model, level=level, suffix=suffix, kept=data.promised
    )
    sections = [summary, benefits, promised]
    if not nested:
        sections.append(
            Section(
                _("Indikatorer"),
                paragraphs=[
                    _(
                        "For hver indikator: kommunernes fremdrift mod målbilledet (lavest"
                        " først, medianen stiplet) og tallene pr. kommune med medianen."
                    )
                ],
            )
        )
    for comparison in data.comparisons:
        svg = distribution_svg(comparison)
        sections.append(
            Section(
                t.indicator_title(comparison.indicator),
                paragraphs=[status_counts_text(comparison)],
                charts=[Chart(_("Fremdrift pr. kommune"), svg, chart_alt(comparison))]
                if svg
                else [],
                tables=[
                    comparison_table(
                        comparison,
                        evaluations,
                        data.viewer,
                        sheet_suffix=suffix,
                    )
                ],
                level=2,
            )
        )
    sections.append(
        Section(
            _("Kommunernes egne ord"),
            paragraphs=[_("Hver kommunes seneste afleverede statusrapport.")],
            tables=[b.narratives_table(data.narratives, suffix)],
            level=level,
            landscape=True,
        )
    )
    return sections


# --- nationally --------------------------------------------------------------------------------


def running_rounds() -> list[Round]:
    """Rounds with participations whose period includes today, by start."""
    today = local_today()
    return list(
        db.session.scalars(
            select(Round)
            .options(joinedload(Round.programme))
            .where(
                Round.status != RoundStatus.DRAFT,
                Round.period_start <= today,
                Round.period_end >= today,
                exists(select(Participation.id).where(Participation.round_id == Round.id)),
            )
            .order_by(Round.period_start, Round.slug)
        )
    )


def _national_report(viewer: int | None, generated_at: datetime, live: bool) -> Report:
    rounds = running_rounds()
    data = [round_data(r, viewer, live=live) for r in rounds]
    overview = Section(
        _("Overblik"),
        paragraphs=[
            _("Forløb, hvis periode er i gang i dag; et kapitel pr. forløb følger."),
        ],
        tables=[b.rounds_table([(d.round, Totals.of(d.evaluations)) for d in data])],
    )
    sections = [overview]
    for number, d in enumerate(data, start=1):
        chapter = round_sections(d, nested=True, number=number)
        for table in (x for section in chapter for x in section.tables):
            table.context = localized(d.round, "name")
        sections += chapter
    if data:
        method = method_sections([(d.round, d.evaluations, d.lines) for d in data], several=True)
        if len(data) > 1:  # a section per round after the rules, numbered as the chapters
            for d, section in zip(data, method[1:], strict=True):
                for table in section.tables:
                    table.context = localized(d.round, "name")
        sections += method
    main = t.main_table([], viewer, with_round="")
    for d in data:
        t.add_main_rows(main, d.evaluations, viewer, localized(d.round, "name"))
    everyone = [e for d in data for e in d.evaluations]
    if rounds:
        period = period_text(min(r.period_start for r in rounds), max(r.period_end for r in rounds))
    else:
        period = "–"
    return Report(
        title=_("Fremdrift: alle igangværende forløb"),
        scope=_("Alle kommuner"),
        period=period,
        generated_at=generated_at,
        sections=sections,
        filename="fremdrift-alle-forloeb",
        main_table=main,
        key_figures=key_figures_table(
            _("Forløb"),
            [(localized(d.round, "name"), d.evaluations) for d in data],
            total=_("Alle forløb"),
        ),
        summary=_cover_text(everyone, [c for d in data for c in d.comparisons])
        if everyone
        else _("Ingen forløb er i gang i dag."),
        pdf_template=PDF_TEMPLATE,
    )
