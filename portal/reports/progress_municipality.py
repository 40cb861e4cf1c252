"""A municipality's own progress report (its participation in a round): its indicators,
each over time against its target and against its community's and its round's medians;
its benefits month by month; its latest status report; the formulas. And every
municipality's own report of a round as PDFs in one ZIP, from one evaluation."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import access
from portal.applications.labels import role_label
from portal.applications.models import ApplicantRole
from portal.benefits.calculation import (
    Evaluation,
    ProgrammeModel,
    Totals,
    evaluate,
    programme_models,
    round_participations,
)
from portal.benefits.calculation.progress import Status
from portal.benefits.display import Benchmark, indicator_svg, median_of
from portal.benefits.recording import freeze
from portal.db import db, reading, utcnow
from portal.i18n import localized
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.reporting.narratives import Narrative, narratives_for
from portal.reports import progress_benefits as b
from portal.reports import progress_promise as promise
from portal.reports import progress_tables as t
from portal.reports.funding_tables import period_text
from portal.reports.model import Chart, Report, Section, slugify
from portal.reports.pdf import report_pdf
from portal.reports.progress_follow_up import year_after_section
from portal.reports.progress_key_figures import key_figures_table
from portal.reports.progress_method import method_sections
from portal.reports.scope import ScopeNotFound
from portal.results.read import stored_evaluations

PDF_TEMPLATE = "reports/pdf/progress.html"


def latest_narratives(narratives: Sequence[Narrative], participation_ids) -> list[Narrative]:
    """Each participation's latest submitted report (``narratives_for`` orders them by
    municipality and period), by municipality."""
    wanted = set(participation_ids)
    latest: dict[int, Narrative] = {}
    for n in narratives:
        if n.participation_id in wanted:
            latest[n.participation_id] = n
    return sorted(latest.values(), key=lambda n: n.municipality)


def benchmarks(own: Evaluation, peers: Sequence[Evaluation]) -> tuple[Benchmark, ...]:
    """Each of the municipality's indicators against its community's and its round's
    medians (as ``municipality_dashboard`` compares them)."""
    community_id = own.member.community_id
    members = [e for e in peers if e.member.community_id == community_id]

    def results(evaluations, key):
        return [r for e in evaluations if (r := e.indicator(key)) is not None]

    return tuple(
        Benchmark(
            r,
            median_of(results(members, r.indicator.key)) if community_id else None,
            median_of(results(peers, r.indicator.key)),
        )
        for r in own.indicators
    )


def own_report(round_: Round, municipality_id: int, generated_at: datetime) -> Report:
    """Its own figures in full (six queries), the round's stored results for the medians
    (two more) and its latest status report (one)."""
    participation = db.session.scalar(
        select(Participation)
        .options(
            joinedload(Participation.round).joinedload(Round.programme),
            joinedload(Participation.municipality),
            joinedload(Participation.community),
        )
        .where(
            Participation.round_id == round_.id,
            access.belonging_to(Participation, municipality_id),
        )
    )
    if participation is None:
        raise ScopeNotFound(_("Kommunen deltager ikke i forløbet."))
    models = programme_models([round_.programme_id])
    own = evaluate([participation], models=models)[0]
    peers = stored_evaluations(round_participations(round_.id), models=models)
    narratives = latest_narratives(narratives_for(participation), [participation.id])
    return municipality_report(
        round_,
        participation,
        own,
        benchmarks(own, peers),
        narratives,
        generated_at,
        model=models[round_.programme_id],
    )


def municipality_report(
    round_: Round,
    participation: Participation,
    evaluation: Evaluation,
    compared: Sequence[Benchmark],
    narratives: Sequence[Narrative],
    generated_at: datetime,
    *,
    model: ProgrammeModel | None = None,
) -> Report:
    """A municipality's own report from its evaluation: one query (the versions of its
    target picture), two more without the programme's ``model``."""
    m = evaluation.member
    facts = [
        (_("Rolle"), role_label(ApplicantRole(m.role))),
        (_("Fællesskab"), m.community_name or _("Ikke placeret")),
    ]
    if participation.benefit_owner_name:
        owner = participation.benefit_owner_name
        if participation.benefit_owner_title:
            owner += f", {participation.benefit_owner_title}"
        facts.append((_("Gevinstejer"), owner))
    summary = Section(
        _("Sammenfatning"),
        paragraphs=[_own_cover_text(evaluation)],
        facts=facts,
        tables=[t.own_indicator_table(evaluation), promise.quality_table(evaluation)],
    )
    if model is None:
        model = programme_models([round_.programme_id])[round_.programme_id]
    histories = freeze.histories([participation.id]).get(participation.id, {})
    benefits = Section(
        _("Gevinster"),
        facts=b.benefit_facts(evaluation),
        tables=[b.line_table(evaluation), b.monthly_table(evaluation)],
    )
    benefits.tables[-1].note = b.flags_note(evaluation)
    sections = [
        summary,
        promise.picture_section(evaluation, histories, participation.picture_approved_at),
        benefits,
        promise.scenario_section(round_, evaluation, model),
        *filter(None, [year_after_section(round_, evaluation, model)]),
        Section(
            _("Indikatorer"),
            paragraphs=[
                _(
                    "Hver indikator over tid mod målbilledet (den stiplede linje fra"
                    " basislinjen til målbilledet) og sammenlignet med medianerne."
                )
            ],
        ),
    ]
    for benchmark in compared:
        r = benchmark.own
        sections.append(
            Section(
                t.indicator_title(r.indicator),
                paragraphs=t.indicator_paragraphs(r),
                facts=t.indicator_facts(r),
                charts=[Chart(_("Målinger mod målbilledet"), indicator_svg(r), t.series_alt(r))],
                tables=[t.benchmark_table(benchmark, m.municipality_name)],
                level=2,
            )
        )
    words = Section(_("Kommunens egne ord"))
    if narratives:
        words.facts = b.narrative_facts(narratives[-1])
    else:
        words.paragraphs = [_("Kommunen har ikke afleveret en statusrapport endnu.")]
    sections.append(words)
    sections += method_sections([(round_, [evaluation], evaluation.lines)], several=False)
    municipality = participation.municipality
    return Report(
        title=_("Fremdrift: %(round)s", round=localized(round_, "name")),
        scope=municipality.full_name,
        period=period_text(round_.period_start, round_.period_end),
        generated_at=generated_at,
        sections=sections,
        filename=(
            f"fremdrift-{round_.slug}-{municipality.code_display}-{slugify(municipality.name)}"
        ),
        main_table=t.main_table([evaluation], m.municipality_id),
        key_figures=key_figures_table(_("Kommune"), [(m.municipality_name, [evaluation])]),
        summary=_own_cover_text(evaluation),
        pdf_template=PDF_TEMPLATE,
    )


def _own_cover_text(evaluation: Evaluation) -> str:
    text = b.totals_sentence(Totals.of([evaluation]))
    results = evaluation.indicators
    if results:
        on_track = sum(r.status == Status.ON_TRACK for r in results)
        text += " " + _(
            "%(n)d af %(total)d indikatorer er på sporet.", n=on_track, total=len(results)
        )
    return text


def municipality_reports_zip(
    round_: Round,
    *,
    generated_at: datetime | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Every municipality's own progress report of the round as a PDF, in one ZIP: one
    evaluation of the round (eight queries), then a PDF each (slow: WeasyPrint).
    ``on_progress(done, total)`` after each PDF (a job's progress bar)."""
    generated_at = generated_at or utcnow()
    with reading():
        participations = round_participations(round_.id)
        models = programme_models([round_.programme_id])
        evaluations = evaluate(participations, models=models)
        narratives = narratives_for(round_)
        reports = [
            municipality_report(
                round_,
                participation,
                evaluation,
                benchmarks(evaluation, evaluations),
                latest_narratives(narratives, [participation.id]),
                generated_at,
                model=models[round_.programme_id],
            )
            for participation, evaluation in zip(participations, evaluations, strict=True)
        ]
    # Every figure is read (in a reading transaction: on SQLite it locks nobody out) before
    # the first PDF is typeset, and the caller ends that transaction here (a job commits its
    # progress), so none is held through minutes of typesetting.
    if on_progress is not None:
        on_progress(0, len(reports))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, report in enumerate(reports, start=1):
            info = zipfile.ZipInfo(f"{report.filename}.pdf", date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, report_pdf(report), compress_type=zipfile.ZIP_DEFLATED)
            if on_progress is not None:
                on_progress(n, len(reports))
    return buffer.getvalue()
