from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from portal import files
from portal.audit import services as audit
from portal.auth.permissions import can_see_draft_rounds
from portal.db import db
from portal.errors import PortalError
from portal.pagination import link_args
from portal.reports import paging, stored
from portal.reports.catalogue import available_reports
from portal.reports.formats import FORMATS, filename, render_report
from portal.reports.formatting import cell_text
from portal.reports.funding import funding_report
from portal.reports.jobs import AS_JOB, xlsx_as_job
from portal.reports.model import Report
from portal.reports.pdf import TOC_MIN_SECTIONS
from portal.reports.permissions import (
    TEMPLATE_PERMISSIONS,
    can_read_all_reports,
    can_read_report,
    can_use_reports,
    refusal_status,
)
from portal.reports.progress import progress_report
from portal.reports.scope import ReportScope, ScopeKind, resolve_scope

bp = Blueprint("reports", __name__, url_prefix="/rapporter")
bp.add_app_template_filter(cell_text, "report_cell")
for _name, _func in TEMPLATE_PERMISSIONS.items():
    bp.add_app_template_global(_func, _name)


def _allowed_or_403() -> None:
    if not can_use_reports(current_user):
        abort(403)


def requested_scope(round_slug: str | None, args=None) -> ReportScope:
    """The scope the URL names (``?kommune=<code>`` or ``?faellesskab=<id>``; or ``args``,
    e.g. a form), 404 when it does not exist and 403/404 when it is not the user's to have."""
    _allowed_or_403()
    args = request.args if args is None else args
    try:
        scope = resolve_scope(
            round_slug,
            args.get("kommune"),
            args.get("faellesskab"),
            include_drafts=can_see_draft_rounds(current_user),
            region=args.get("region"),
        )
    except PortalError:
        abort(404)
    if not can_read_report(current_user, scope):
        abort(refusal_status(current_user, scope))
    return scope


def _audited(kind: str, key: str, scope: ReportScope) -> None:
    audit.record(
        "report_downloaded",
        actor=current_user,
        report=kind,
        format=key,
        **scope.audit_details(),
    )
    db.session.commit()


def _attachment(data: bytes, mimetype: str, name: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def send_report(report: Callable[[], Report], scope: ReportScope, kind: str):
    """The report (built by ``report()`` when needed) as a page, or as a download
    (``?format=pdf|xlsx|csv``), audited. A PDF is always the stored file (``stored``),
    rendered in the background after a change; while it is pending, the reader is offered
    a job with a progress bar: no request typesets a PDF."""
    key = request.args.get("format", "html")
    if key == "pdf" and scope.kind != ScopeKind.REGION:  # a region's is small: made at once
        return _stored_pdf(kind, scope)
    if key == "html":
        built = report()
        paging.cut(built, request.args, request.endpoint, dict(request.view_args or {}))
        return render_template(
            "reports/page.html",
            report=built,
            job_kind=None,  # the PDF is stored, or pending as a job (``_stored_pdf``)
            downloads=_download_links(),
            toc_min=TOC_MIN_SECTIONS,
        )
    if key not in FORMATS:
        abort(404)
    if key in AS_JOB and kind == "progress" and xlsx_as_job(scope):
        # every municipality's rows: seconds of work, so a job with a progress bar
        return render_template(
            "reports/xlsx_job.html", scope=scope, job_kind=AS_JOB[key].value, key=key
        )
    built = report()
    data, fmt = render_report(built, key)
    _audited(kind, key, scope)
    return _attachment(data, fmt.mimetype, filename(built, fmt))


def _stored_pdf(kind: str, scope: ReportScope):
    locale = str(get_locale())
    viewer = stored.viewer_for(scope, current_user.municipality_id)
    found = stored.find(kind, scope, locale, viewer)
    if found is None:
        return render_template("reports/pending.html", scope=scope, job_kind=f"{kind}_pdf")
    _audited(kind, "pdf", scope)
    return files.send(found.key, mimetype="application/pdf", download_name=found.name)


def _download_links() -> list[tuple[str, str]]:
    # only the report's own filters: nothing url_for reads as an instruction (endpoint,
    # _method, _external …) and nothing that collides with the route's own arguments (slug)
    args = {
        k: v
        for k, v in link_args(request.args).items()
        if k != "format" and k not in (request.view_args or {})
    }
    return [
        (fmt.label, url_for(request.endpoint, **request.view_args, **args, format=fmt.key))
        for fmt in FORMATS.values()
    ]


@bp.route("/")
@login_required
def index():
    _allowed_or_403()
    return render_template("reports/index.html", groups=available_reports(current_user))


@bp.route("/tilskud", defaults={"slug": None})
@bp.route("/tilskud/<slug>")
@login_required
def funding(slug: str | None):
    scope = requested_scope(slug)
    return send_report(lambda: funding_report(scope, viewer=current_user), scope, "funding")


@bp.route("/fremdrift", defaults={"slug": None})
@bp.route("/fremdrift/<slug>")
@login_required
def progress(slug: str | None):
    scope = requested_scope(slug)
    if scope.round is None and scope.kind != ScopeKind.NATIONAL:
        abort(404)  # a municipality's or community's progress report is of one round

    def build() -> Report:
        try:
            return progress_report(
                scope,
                viewer_municipality_id=current_user.municipality_id,
                viewer=current_user,
                page=request.args.get("format", "html") == "html",
                main_only=request.args.get("format") == "csv",  # its main table alone
            )
        except PortalError:
            abort(404)

    return send_report(build, scope, "progress")


@bp.route("/fremdrift/<slug>/kommuner.zip")
@login_required
def progress_zip(slug: str):
    """Every municipality's own progress report of the round, a PDF each: too slow for a
    request, so this page starts it as a job (``portal.jobs``)."""
    _allowed_or_403()
    if not can_read_all_reports(current_user):
        abort(403)
    scope = requested_scope(slug)
    return render_template("jobs/start.html", scope=scope, kind="progress_zip")
