"""The whole review of a round as a workbook: one sheet of applications (rank, average,
decision, reason, normalised score, spread per criterion and the flag for discussion), one of
every review (each score and comment, the weighted and the normalised total). Numbers are
numbers, with number formats, so a spreadsheet can sum and sort them (the normalised scores at
full precision, the format rounds); the header row is frozen."""

from __future__ import annotations

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from portal.applications.labels import role_label, status_label
from portal.review.calibration import calibrate
from portal.review.criteria import CRITERIA, round_score
from portal.review.disagreement import disagreements
from portal.review.labels import review_status_label
from portal.review.overview import RoundReview
from portal.review.ranking import rank_numbers
from portal.spreadsheets import workbook_bytes

SCORE_FORMAT = "0.00"
DATE_FORMAT = "dd.mm.yyyy hh:mm"


def _naive(value):
    """openpyxl cannot write aware datetimes: Copenhagen time, without the zone."""
    from portal.i18n import to_local

    return to_local(value).replace(tzinfo=None) if value else None


def _sheet(workbook, title: str, header: list[str], rows: list[list], formats: dict[int, str]):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for column, number_format in formats.items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    sheet.freeze_panes = "A2"
    for index, title_ in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(title_) + 4))
    return sheet


def _exact(value):
    """A Decimal as a number at full precision (the cell's number format rounds)."""
    return None if value is None else float(value)


def review_workbook(review: RoundReview) -> bytes:
    ranks = rank_numbers(review)
    calibration = calibrate(review)
    found = disagreements(review)
    workbook = Workbook()
    workbook.remove(workbook.active)
    applications_header = [
        _("Rang"),
        _("Rolle"),
        _("Kommune"),
        _("Kommunekode"),
        _("Medansøgere"),
        _("Region"),
        _("Status"),
        _("Færdige bedømmelser"),
        _("Tildelte bedømmelser"),
        _("Gennemsnitlig vægtet score"),
        _("Afgørelse"),
        _("Begrundelse"),
        _("Afgjort"),
        _("Normaliseret score"),
        *(_("Spredning: %(criterion)s", criterion=info.label) for info in CRITERIA),
        _("Til drøftelse"),
    ]
    decided = {"approved", "waitlisted", "rejected"}
    application_rows = [
        [
            ranks.get(row.id),
            role_label(row.role),
            row.municipality,
            row.municipality_code,
            ", ".join(c.name for c in row.co_applicants),
            row.region,
            status_label(row.status),
            row.progress.done,
            row.progress.total,
            round_score(row.average),
            status_label(row.status) if row.status.value in decided else "",
            row.decision_reason,
            _naive(row.decided_at),
            _exact(calibration.normalised.get(row.id)),
            *(spread.spread for spread in found[row.id].criteria),
            _("Ja") if found[row.id].flagged else _("Nej"),
        ]
        for row in sorted(review.rows, key=lambda r: (r.role.value, ranks.get(r.id) or 10**9))
    ]
    _sheet(
        workbook,
        _("Ansøgninger"),
        applications_header,
        application_rows,
        {
            1: "0",
            8: "0",
            9: "0",
            10: SCORE_FORMAT,
            13: DATE_FORMAT,
            14: SCORE_FORMAT,
            **{15 + i: "0" for i in range(len(CRITERIA))},
        },
    )
    reviews_header = [_("Kommune"), _("Rolle"), _("Bedømmer"), _("Bedømmers kommune")]
    for info in CRITERIA:
        reviews_header += [
            _("%(criterion)s: score", criterion=info.label),
            _("%(criterion)s: kommentar", criterion=info.label),
        ]
    reviews_header += [
        _("Vægtet score"),
        _("Status"),
        _("Inhabilitet"),
        _("Indsendt"),
        _("Normaliseret vægtet score"),
    ]
    review_rows = []
    for row in review.rows:
        for r in row.reviews:
            line = [row.municipality, role_label(row.role), r.reviewer, r.reviewer_municipality]
            for info in CRITERIA:
                line += [r.scores[info.criterion], r.comments[info.criterion]]
            line += [
                round_score(r.total),
                review_status_label(r.status),
                r.conflict_note,
                _naive(r.submitted_at),
                _exact(calibration.review_totals.get(r.id)),
            ]
            review_rows.append(line)
    score_columns = {5 + 2 * i: "0" for i in range(len(CRITERIA))}
    total_column = 5 + 2 * len(CRITERIA)
    _sheet(
        workbook,
        _("Bedømmelser"),
        reviews_header,
        review_rows,
        {
            **score_columns,
            total_column: SCORE_FORMAT,
            total_column + 3: DATE_FORMAT,
            total_column + 4: SCORE_FORMAT,
        },
    )
    return workbook_bytes(workbook)
