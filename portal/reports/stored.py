"""National and round progress PDFs kept once rendered, so an unchanged report is served at
once: each file is named by the data version of what it shows (``round_data_version``),
the reader's language and the report, and a change of the figures simply gives a new
name. A background task (``portal.jobs.tasks``) renders the new version when the figures
change; a request that finds no file renders it once and keeps it."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, get_locale
from sqlalchemy import func, select

from portal.benefits.models import Baseline, Cost, Measurement, Target
from portal.db import db
from portal.participations.models import Participation
from portal.programmes.models import Programme, Round, RoundStatus
from portal.reporting.models import ReportingRequirement
from portal.reporting.services import local_today
from portal.reports.formats import FORMATS, filename
from portal.reports.pdf import report_pdf
from portal.reports.progress import progress_report
from portal.reports.scope import ReportScope, ScopeKind

# What the report shows of each participation: its figures and its own words (the latest
# status report submitted, "Kommunernes egne ord").
_ROWS = (Baseline, Target, Measurement, Cost, ReportingRequirement)


def round_data_version(round_: Round) -> str:
    """What a round's progress report depends on, as a short hash: its figures and reports
    (count, the latest change, the sum of their versions: an edit, an insert and a delete
    each move one), its participations (communities), its parameters and programme (formulas), and
    today's date (status and projection count the days elapsed). Kept small so a stored
    data version (issue "National scale") can replace it in one place."""
    parts: list = [round_.id, round_.updated_at, local_today()]
    parts.append(
        db.session.scalar(select(Programme.updated_at).where(Programme.id == round_.programme_id))
    )
    for model in (Participation, *_ROWS):
        query = select(func.count(model.id), func.max(model.updated_at), func.sum(model.version))
        if model is Participation:
            query = query.where(Participation.round_id == round_.id)
        else:
            query = query.join(Participation, Participation.id == model.participation_id).where(
                Participation.round_id == round_.id
            )
        parts.append(tuple(db.session.execute(query).one()))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def national_rounds() -> list[Round]:
    return list(
        db.session.scalars(
            select(Round).where(Round.status != RoundStatus.DRAFT).order_by(Round.id)
        )
    )


def data_version(scope: ReportScope) -> str:
    """The version of a national (every round) or a round's report."""
    if scope.round is not None:
        return round_data_version(scope.round)
    joined = ",".join(round_data_version(r) for r in national_rounds())
    return hashlib.sha256(joined.encode()).hexdigest()[:20]


def is_stored_kind(scope: ReportScope) -> bool:
    """Only the national and round reports are kept: they read the same for everyone who
    may have them (a municipality's own figures are exact only for itself)."""
    return scope.kind == ScopeKind.NATIONAL


def _folder() -> Path:
    path = Path(current_app.config["JOBS_FOLDER"]) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_path(scope: ReportScope, locale: str, version: str | None = None) -> Path:
    which = scope.round.slug if scope.round is not None else "alle"
    version = version or data_version(scope)
    return _folder() / f"fremdrift-{which}-{locale}-{version}.pdf"


def _write(path: Path, data: bytes) -> None:
    """Write whole or not at all (a reader never sees half a PDF)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def render_and_store(scope: ReportScope, locale: str) -> tuple[Path, str]:
    """The stored PDF of the scope's current data (rendered now when missing) and the name
    it is downloaded under (kept beside it, so serving it builds nothing)."""
    path = stored_path(scope, locale)
    name = path.with_suffix(".name")
    if not path.exists():
        with force_locale(locale):
            report = progress_report(scope)
            _write(name, filename(report, FORMATS["pdf"]).encode())
            _write(path, report_pdf(report))
    return path, name.read_text()


def stored_pdf(scope: ReportScope) -> tuple[Path, str] | None:
    """The stored PDF of an unchanged national or round report in the reader's language,
    or None when it is not a kept kind."""
    if not is_stored_kind(scope):
        return None
    return render_and_store(scope, str(get_locale()))


def prerender_all(locale: str = "da") -> int:
    """Render every national and round progress PDF whose data changed; how many were."""
    scopes = [ReportScope()] + [ReportScope(round=r) for r in national_rounds()]
    made = 0
    for scope in scopes:
        if not stored_path(scope, locale).exists():
            render_and_store(scope, locale)
            made += 1
    return made
