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


def test_a_single_pdf_moves_the_bar_when_its_figures_are_read_and_then_typesets(
    progress_round, make_user, monkeypatch
):
    """A round's progress PDF in two steps: 0 of 2, the figures read, 1 of 2 committed, then
    the typesetting (stubbed) without a query, then done."""
    from portal.auth.models import Role
    from portal.jobs import services
    from portal.jobs.models import JobKind, JobStatus
    from portal.reports import stored
    from portal.reports.scope import ReportScope

    seen: list[str] = []

    def statement(*_args, **_kwargs):
        seen.append("query")

    def typeset(report):
        seen.append(f"typeset at {job.done}/{job.total}")  # as the job committed them
        return b"%PDF-"

    monkeypatch.setattr(stored, "report_pdf", typeset)
    coordinator = make_user(Role.COORDINATOR)
    job = services.start_job(
        JobKind.PROGRESS_PDF, ReportScope(round=progress_round.round), actor=coordinator
    )
    db.session.commit()
    event.listen(db.engine, "before_cursor_execute", statement)
    try:
        services.run_job(job.id)
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
    at = next(i for i, s in enumerate(seen) if s.startswith("typeset"))
    assert seen[at] == "typeset at 1/2"
    assert seen[:at].count("query") > 5  # the figures were read before it
    assert job.status == JobStatus.DONE and (job.done, job.total) == (2, 2)
