from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user, login_required

from portal.audit import services as audit
from portal.auth.permissions import can_see_draft_rounds
from portal.db import db
from portal.errors import PortalError
from portal.pagination import link_args
from portal.reports.catalogue import available_reports
from portal.reports.formats import FORMATS, filename, render_report
from portal.reports.formatting import cell_text
from portal.reports.funding import funding_report
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
from portal.reports.progress_municipality import municipality_reports_zip
from portal.reports.scope import ReportScope, resolve_scope

bp = Blueprint("reports", __name__, url_prefix="/rapporter")
bp.add_app_template_filter(cell_text, "report_cell")
for _name, _func in TEMPLATE_PERMISSIONS.items():
    bp.add_app_template_global(_func, _name)


def _allowed_or_403() -> None:
    if not can_use_reports(current_user):
        abort(403)


def requested_scope(round_slug: str | None) -> ReportScope:
    """The scope the URL names (``?kommune=<code>`` or ``?faellesskab=<id>``), 404 when it
    does not exist and 403/404 when it is not the user's to have."""
    _allowed_or_403()
    try:
        scope = resolve_scope(
            round_slug,
            request.args.get("kommune"),
            request.args.get("faellesskab"),
            include_drafts=can_see_draft_rounds(current_user),
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


def send_report(report: Report, scope: ReportScope, kind: str):
    """The report as a page, or as a download (``?format=pdf|xlsx|csv|zip``), audited."""
    key = request.args.get("format", "html")
    if key == "html":
        return render_template(
            "reports/page.html",
            report=report,
            downloads=_download_links(),
            toc_min=TOC_MIN_SECTIONS,
        )
    if key not in FORMATS:
        abort(404)
    data, fmt = render_report(report, key)
    _audited(kind, key, scope)
    return _attachment(data, fmt.mimetype, filename(report, fmt))


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
    return send_report(funding_report(scope), scope, "funding")


@bp.route("/fremdrift", defaults={"slug": None})
@bp.route("/fremdrift/<slug>")
@login_required
def progress(slug: str | None):
    scope = requested_scope(slug)
    try:
        report = progress_report(scope, viewer_municipality_id=current_user.municipality_id)
    except PortalError:  # a municipality without a round
        abort(404)
    return send_report(report, scope, "progress")


@bp.route("/fremdrift/<slug>/kommuner.zip")
@login_required
def progress_zip(slug: str):
    """Every municipality's own progress report of the round, a PDF each (slow)."""
    _allowed_or_403()
    if not can_read_all_reports(current_user):
        abort(403)
    scope = requested_scope(slug)
    data = municipality_reports_zip(scope.round)
    _audited("progress", "pdf-zip", scope)
    return _attachment(data, "application/zip", f"fremdrift-{scope.round.slug}-kommuner.zip")
