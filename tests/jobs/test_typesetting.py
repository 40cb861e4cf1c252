"""On SQLite every transaction holds the write lock (BEGIN IMMEDIATE), so a job must not keep
one open through minutes of typesetting: the ZIP reads every figure first, lets the job
commit, and then typesets without a query (WeasyPrint itself is stubbed here)."""

from __future__ import annotations

from sqlalchemy import event

from portal.db import db
from portal.reports import progress_municipality


def test_the_zip_reads_everything_before_it_typesets_and_queries_nothing_while_it_does(
    progress_round, monkeypatch
):
    calls: list[str] = []

    def statement(*_args, **_kwargs):
        calls.append("query")

    def pdf(report):
        calls.append("pdf")
        return report.filename.encode()

    monkeypatch.setattr(progress_municipality, "report_pdf", pdf)
    event.listen(db.engine, "before_cursor_execute", statement)
    try:
        progress_municipality.municipality_reports_zip(
            progress_round.round, on_progress=lambda done, total: calls.append(f"{done}/{total}")
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
    first_pdf = calls.index("pdf")
    total = calls.count("pdf")
    assert total >= 2
    # the caller hears "0 of n" (a job commits there) after the last query, before any PDF
    assert calls[first_pdf - 1] == f"0/{total}"
    assert "query" not in calls[first_pdf:]
    assert calls[-1] == f"{total}/{total}"
