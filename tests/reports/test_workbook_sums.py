"""Every report's workbook holds the exact figures: each numeric column of each sheet sums to
the sheet's total row, as it would when someone sums it in Excel (issue 9: three rows of 10,5
hours must not be stored as 11, 11 and 11 under a total of 32)."""

from __future__ import annotations

import io
import math
from datetime import date

from openpyxl import load_workbook

from portal.auth.models import Role
from portal.db import db
from portal.reports.catalogue import available_reports
from portal.reports.funding import funding_report
from portal.reports.model import Kind, Report, RowKind
from portal.reports.progress import progress_report
from portal.reports.scope import resolve_scope
from portal.reports.xlsx import report_workbook
from tests.dashboards.helpers import cost, measure
from tests.participations.helpers import participation

ODENSE = 461
SUMMED = (Kind.INTEGER, Kind.MONEY, Kind.DECIMAL)  # a percent is a ratio, not a sum


def _reports(app, user) -> list[tuple[str, Report]]:
    """Every report the user's catalogue offers (not the ZIP of PDFs), built as its page
    builds it."""
    builders = {
        "reports.funding": lambda scope: funding_report(scope),
        "reports.progress": lambda scope: progress_report(
            scope, viewer_municipality_id=user.municipality_id
        ),
    }
    reports = []
    for group in available_reports(user):
        for link in group.links:
            if link.page:
                args = link.args
                scope = resolve_scope(
                    args.get("slug"), args.get("kommune"), args.get("faellesskab")
                )
                reports.append((f"{link.endpoint} {args}", builders[link.endpoint](scope)))
    return reports


def _checked_columns(report: Report) -> list[tuple[str, str, float, float]]:
    """(sheet, column, sum of the data rows, total) for each numeric column of each total row
    in the workbook; the data rows are the plain rows since the previous total."""
    book = load_workbook(io.BytesIO(report_workbook(report)))
    checked = []
    for table, sheet in zip(report.tables(), book.worksheets[1:], strict=True):
        cells = list(sheet.iter_rows(min_row=2))
        start = 0
        for n, row in enumerate(table.rows):
            if row.kind != RowKind.TOTAL:
                continue
            data = [cells[i] for i in range(start, n) if table.rows[i].kind == RowKind.ROW]
            start = n + 1
            for index, column in enumerate(table.columns):
                total = cells[n][index]
                if column.kind not in SUMMED or total.data_type != "n" or total.value is None:
                    continue
                if column.label == "Kommuner":  # distinct: one in two rounds is one
                    continue
                values = [r[index].value for r in data if r[index].data_type == "n"]
                values = [v for v in values if v is not None]
                checked.append((sheet.title, column.label, math.fsum(values), float(total.value)))
    return checked


def test_every_reports_columns_sum_to_its_total_row(app, make_user, funding_round, progress_round):
    # Odense's hours are 10,5 a month (21 visits × 30 minutes) and its cost has øre in it
    odense = participation(progress_round.round, ODENSE, community=progress_round.community)
    measure(odense, "screen_visits", [21, 21, 21])
    cost(odense, "1234.56", date(2025, 9, 20))
    db.session.commit()
    checked = []
    with app.test_request_context():
        for user in (make_user(Role.COORDINATOR), make_user(Role.LEADERSHIP, code=101)):
            for name, report in _reports(app, user):
                checked += [(name, *c) for c in _checked_columns(report)]
    assert any(total != round(total) for *_, total in checked)  # there are fractions to lose
    for name, sheet, column, summed, total in checked:
        assert math.isclose(summed, total, rel_tol=1e-12, abs_tol=1e-6), (name, sheet, column)
    sheets = {sheet for _name, sheet, *_ in checked}
    assert {"Gevinstlinjer", "Gevinster", "Kommuner", "Overblik", "Nøgletal"} <= sheets
