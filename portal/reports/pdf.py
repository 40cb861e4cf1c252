"""A report as a PDF for a board meeting: the report's template (``reports/pdf/base.html``
or one that extends it) rendered to HTML, then typeset by WeasyPrint through the portal's
one safe renderer (``portal.pdf``: nothing fetched from outside, fonts embedded, tagged)."""

from __future__ import annotations

from flask import render_template

from portal.pdf import render_pdf
from portal.reports.model import Report

# A table of contents from this many sections on (a short report goes straight on).
TOC_MIN_SECTIONS = 4


def report_html(report: Report) -> str:
    return render_template(
        report.pdf_template,
        report=report,
        show_toc=len(report.sections) >= TOC_MIN_SECTIONS,
    )


def report_pdf(report: Report) -> bytes:
    return render_pdf(report_html(report))
