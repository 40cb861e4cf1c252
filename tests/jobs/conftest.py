"""The report rounds of ``tests.reports`` (jobs make those reports), and WeasyPrint left
out where the point is the job, not the PDF."""

from __future__ import annotations

import pytest

from portal.reports import progress_municipality
from tests.reports.conftest import funding_round, progress_round  # noqa: F401


@pytest.fixture
def no_pdfs(monkeypatch):
    """The ZIP's PDFs as their file names."""
    monkeypatch.setattr(
        progress_municipality, "report_pdf", lambda report: report.filename.encode()
    )
