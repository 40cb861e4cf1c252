"""``portal report funding|progress …``: a report written to a file, the same bytes a
coordinator downloads (no access check: whoever runs the command operates the portal). Each
report is one command on ``report_group`` with ``report_options`` calling ``write_report``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.db import db
from portal.errors import PortalError
from portal.reports.formats import FORMATS


@click.group("report")
def report_group() -> None:
    """Reports as files (PDF, XLSX, CSV)."""


def report_options(command: Callable) -> Callable:
    """--round, --municipality | --community, --format and --output, for every report."""
    for option in reversed(
        [
            click.option(
                "--round", "round_slug", help="Forløbets kortnavn (slug); uden: alle forløb."
            ),
            click.option("--municipality", help="Kommunekode: kommunens egen rapport."),
            click.option("--community", type=int, help="Fællesskabets id: dets rapport."),
            click.option(
                "--format",
                "fmt",
                type=click.Choice(sorted(FORMATS)),
                default="pdf",
                show_default=True,
            ),
            click.option(
                "--output",
                required=True,
                type=click.Path(path_type=Path),
                help="Filen (eller en mappe: rapportens eget filnavn).",
            ),
        ]
    ):
        command = option(command)
    return command


def write_report(
    build: Callable,
    kind: str,
    round_slug: str | None,
    municipality: str | None,
    community: int | None,
    fmt: str,
    output: Path,
) -> None:
    """Resolve the scope, build the report, write it in ``fmt`` and audit the export."""
    from portal.audit import services as audit
    from portal.cli_support import fail
    from portal.reports.formats import filename, render_report
    from portal.reports.scope import resolve_scope

    try:
        scope = resolve_scope(round_slug, municipality, community, include_drafts=True)
        report = build(scope)
    except PortalError as error:
        fail(error)
    data, format_ = render_report(report, fmt)
    path = output / filename(report, format_) if output.is_dir() else output
    path.write_bytes(data)
    audit.record("report_downloaded", report=kind, format=fmt, via="cli", **scope.audit_details())
    db.session.commit()
    click.echo(f"{path} ({len(data):,} bytes)".replace(",", "."))


@report_group.command("funding")
@report_options
@with_appcontext
def funding_command(round_slug, municipality, community, fmt, output) -> None:
    """The funding report of a round (or every round), nationally, for a municipality or
    for a community."""
    from portal.reports.funding import funding_report

    write_report(funding_report, "funding", round_slug, municipality, community, fmt, output)


@report_group.command("progress")
@report_options
@with_appcontext
def progress_command(round_slug, municipality, community, fmt, output) -> None:
    """The progress report of a round (without --round: every running round), nationally,
    for a municipality or for a community."""
    from portal.reports.progress import progress_report

    write_report(progress_report, "progress", round_slug, municipality, community, fmt, output)
