"""The follow-up a year after the end, in the progress reports: the benefit realised at the
end beside the benefit a year later (``benefits.follow_up``), for one municipality and for
each municipality of a round, with the follow-up's answer on whether the gains were kept."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import select

from portal.benefits.calculation import Evaluation, follow_up
from portal.db import db
from portal.i18n import local_date, local_today
from portal.programmes.models import Round
from portal.reporting.labels import gains_kept_label
from portal.reporting.models import ReportingRequirement, ReportKind
from portal.reports.model import Column, Kind, Section, Table
from portal.reports.progress_tables import percent_text, rounded, sheet


def follow_up_answers(participation_ids) -> dict:
    """Each participation's answer in its submitted follow-up a year after the end: one
    query."""
    if not participation_ids:
        return {}
    return dict(
        db.session.execute(
            select(ReportingRequirement.participation_id, ReportingRequirement.gains_kept).where(
                ReportingRequirement.participation_id.in_(participation_ids),
                ReportingRequirement.kind == ReportKind.FOLLOW_UP,
                ReportingRequirement.submitted_at.is_not(None),
            )
        ).all()
    )


def _columns(first: list[Column]) -> list[Column]:
    return [
        *first,
        Column(_("Brutto pr. år ved afslutningen"), Kind.MONEY),
        Column(_("Brutto pr. år et år efter"), Kind.MONEY),
        Column(_("Måneder målt efter"), Kind.INTEGER),
        Column(_("Andel fastholdt"), Kind.PERCENT, 0),
    ]


def _values(result: follow_up.YearAfter | None) -> list:
    if result is None:
        return [None, None, 0, None]
    return [
        result.end_gross,
        result.after_gross,
        result.after_months,
        rounded(result.kept_share, 4),
    ]


def follow_up_table(
    round_: Round, evaluations: Sequence[Evaluation], model, suffix: str = ""
) -> Table:
    """Per municipality with a follow-up answer or figures after the end: the answer and
    the benefit at the end beside the benefit a year after. Two queries."""
    ids = [e.member.participation_id for e in evaluations]
    answers = follow_up_answers(ids)
    values = follow_up.follow_up_values(ids)
    table = Table(
        _("Gevinster fastholdt et år efter"),
        _columns([Column(_("Kommune")), Column(_("Fastholdt"))]),
        short_title=sheet(_("Fastholdt"), suffix),
        note=_(
            "Brutto pr. år: ved afslutningen forløbets sidste 12 målte måneder, et år efter"
            " de måneder, kommunen har målt efter slutningen, begge omregnet til et år."
        ),
        empty_text=_("Ingen kommuner har afleveret gevinstopfølgningen et år efter endnu."),
        paged=True,
    )
    for e in sorted(evaluations, key=lambda e: e.member.municipality_name):
        pid = e.member.participation_id
        if pid not in answers and pid not in values:
            continue
        result = follow_up.year_after(round_, e, model, values.get(pid, {}))
        table.add(e.member.municipality_name, gains_kept_label(answers.get(pid)), *_values(result))
    return table


def year_after_section(round_: Round, evaluation: Evaluation, model) -> Section | None:
    """A municipality's benefit at the end beside the benefit a year later; ``None`` while
    the collaboration runs and nothing is recorded after it."""
    pid = evaluation.member.participation_id
    values = follow_up.follow_up_values([pid]).get(pid, {})
    if round_.period_end >= local_today() and not values:
        return None
    result = follow_up.year_after(round_, evaluation, model, values)
    start, end = follow_up.window(round_.period_end)
    table = Table(
        _("Gevinst ved afslutningen og et år efter"),
        [
            Column(_("Tidspunkt")),
            Column(_("Måneder"), Kind.INTEGER),
            Column(_("Timer pr. år"), Kind.DECIMAL, 0),
            Column(_("Brutto pr. år"), Kind.MONEY),
        ],
        short_title=_("Et år efter"),
    )
    if result is not None:
        table.add(_("Ved afslutningen"), result.end_months, result.end_hours, result.end_gross)
        table.add(_("Et år efter"), result.after_months, result.after_hours, result.after_gross)
    paragraphs = [
        _(
            "Gevinstopfølgningen et år efter dækker %(start)s–%(end)s. Tallene efter"
            " slutningen tæller ikke med i forløbets egen periode.",
            start=local_date(start),
            end=local_date(end),
        )
    ]
    if result is not None and result.kept_share is not None:
        paragraphs.append(
            _(
                "Et år efter er %(share)s af gevinsten ved afslutningen fastholdt.",
                share=percent_text(result.kept_share),
            )
        )
    elif not values:
        paragraphs.append(_("Kommunen har ikke registreret tal efter slutningen endnu."))
    answer = follow_up_answers([pid]).get(pid)
    facts = [(_("Fastholdt"), gains_kept_label(answer))] if answer else []
    return Section(_("Et år efter"), paragraphs=paragraphs, facts=facts, tables=[table])
