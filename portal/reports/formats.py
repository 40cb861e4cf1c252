"""The download formats, the same for every report, the pages and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from portal.reports.csv import report_csv, report_csv_zip
from portal.reports.model import Report
from portal.reports.pdf import report_pdf
from portal.reports.xlsx import report_workbook


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    extension: str
    mimetype: str
    render: Callable[[Report], bytes]


FORMATS = {
    f.key: f
    for f in (
        Format("pdf", "PDF", "pdf", "application/pdf", report_pdf),
        Format(
            "xlsx",
            "XLSX",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            report_workbook,
        ),
        Format("csv", "CSV", "csv", "text/csv", report_csv),
        Format("zip", "CSV (ZIP)", "zip", "application/zip", report_csv_zip),
    )
}


def render_report(report: Report, key: str) -> tuple[bytes, Format]:
    """The report's bytes in format ``key`` (``KeyError`` for an unknown one)."""
    fmt = FORMATS[key]
    return fmt.render(report), fmt


def filename(report: Report, fmt: Format) -> str:
    return f"{report.filename}.{fmt.extension}"
