"""Every report PDF kept once rendered, so a reader is served a file and no request typesets
one: the national and round progress reports, each municipality's and community's progress
and funding reports, and the round and national funding reports.

Each file lives in the shared file store (``portal.files``, every host reads it) under a key
naming the report, its scope, the reader's language, whose figures are shown exactly (a
community's member sees its own counts; see ``viewer_for``) and the data version of what it
shows (``data_version``): a change of the figures simply gives a new key. The worker renders
the new versions in the background after a change (``prerender_all``, one report at a time,
each committed on its own), deduplicated by the periodic lock and by the key; a reader who
arrives before it finds the report pending and starts it as a job (``portal.jobs``), which
stores it for the next reader."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask_babel import force_locale
from sqlalchemy import func, select

from portal import files
from portal.benefits.models import Baseline, Cost, Measurement, Target
from portal.db import db, reading
from portal.participations.models import Community, Disbursement, Participation
from portal.programmes.models import Programme, Round, RoundStatus
from portal.reporting.models import ReportingRequirement
from portal.reporting.services import local_today
from portal.reports.formats import FORMATS, filename
from portal.reports.funding import funding_report
from portal.reports.pdf import report_pdf
from portal.reports.progress import progress_report
from portal.reports.scope import ReportScope, ScopeKind
from portal.signals import report_stored

KINDS = ("progress", "funding")

# What the report shows of each participation: its figures and its own words (the latest
# status report submitted, "Kommunernes egne ord").
_ROWS = (Baseline, Target, Measurement, Cost, ReportingRequirement)


def round_data_version(round_: Round) -> str:
    """What a round's reports depend on, as a short hash: its figures and reports (count,
    the latest change, the sum of their versions: an edit, an insert and a delete each move
    one), its participations and communities, its disbursements (funding), its parameters
    and programme (formulas), and today's date (status and projection count the days
    elapsed). A municipality's own report rests on the round's medians too, so the round's
    version is every report's of the round."""
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
    parts.append(
        tuple(
            db.session.execute(
                select(func.count(Community.id), func.sum(Community.version)).where(
                    Community.round_id == round_.id
                )
            ).one()
        )
    )
    parts.append(
        tuple(
            db.session.execute(
                select(
                    func.count(Disbursement.id),
                    func.max(Disbursement.id),
                    func.sum(Disbursement.amount),
                    func.max(Disbursement.paid_on),
                )
                .join(Participation, Participation.id == Disbursement.participation_id)
                .where(Participation.round_id == round_.id)
            ).one()
        )
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def national_rounds() -> list[Round]:
    return list(
        db.session.scalars(
            select(Round).where(Round.status != RoundStatus.DRAFT).order_by(Round.id)
        )
    )


def data_version(scope: ReportScope) -> str:
    """The version of a report of one round, or of every round (``scope.round`` None)."""
    if scope.round is not None:
        return round_data_version(scope.round)
    joined = ",".join(round_data_version(r) for r in national_rounds())
    return hashlib.sha256(joined.encode()).hexdigest()[:20]


def viewer_for(scope: ReportScope, municipality_id: int | None) -> int | None:
    """Whose counts the stored report shows exactly: a community's report read by one of its
    members shows that member's own; every other report reads the same for all its readers
    (a municipality's own report is exact for itself; national and round ones suppress
    every small count)."""
    if scope.kind != ScopeKind.COMMUNITY or municipality_id is None:
        return None
    members = select(Participation.municipality_id).where(
        Participation.community_id == scope.community.id
    )
    return municipality_id if municipality_id in set(db.session.scalars(members)) else None


@dataclass(frozen=True)
class StoredReport:
    key: str  # the PDF in ``portal.files``
    name: str  # the file name it is downloaded under


def _key(kind: str, scope: ReportScope, locale: str, viewer: int | None, version: str) -> str:
    if scope.kind == ScopeKind.REGION:  # never stored: it must not share the round's key
        raise ValueError("a region's report is not stored")
    parts = [kind, scope.round.slug if scope.round is not None else "alle"]
    if scope.kind == ScopeKind.MUNICIPALITY:
        parts.append(f"k{scope.municipality.id}")
    elif scope.kind == ScopeKind.COMMUNITY:
        parts.append(f"f{scope.community.id}")
    if viewer is not None:
        parts.append(f"v{viewer}{_audience(scope, viewer)}")
    return "reports/" + "-".join([*parts, locale, version]) + ".pdf"


def _audience(scope: ReportScope, viewer: int) -> str:
    """What the member may see of the community's other members under the gate's policies
    today (``amount``, ``note``, ``compare``), as a short digest: a report kept for one
    audience is never served to another after the policy table changes."""
    from portal import access

    reader = member_reader(viewer)
    members = select(Participation.id).where(Participation.community_id == scope.community.id)
    payments = (
        select(Disbursement.id)
        .join(Participation)
        .where(Participation.community_id == scope.community.id)
    )
    seen = [
        sorted(db.session.scalars(access.visible(members, reader, "amount", Participation))),
        sorted(db.session.scalars(access.visible(members, reader, "compare", Participation))),
        sorted(db.session.scalars(access.visible(payments, reader, "amount", Disbursement))),
        sorted(db.session.scalars(access.visible(payments, reader, "note", Disbursement))),
    ]
    return "a" + hashlib.sha256(repr(seen).encode()).hexdigest()[:8]


def _name_key(key: str) -> str:
    return key.removesuffix(".pdf") + ".name"


def find(
    kind: str, scope: ReportScope, locale: str, viewer: int | None = None, version: str = ""
) -> StoredReport | None:
    """The stored PDF of the scope's current data, or None while its rendering is pending."""
    key = _key(kind, scope, locale, viewer, version or data_version(scope))
    store = files.store()
    if not store.exists(key):
        return None
    return StoredReport(key, files.read(_name_key(key)).decode())


def member_reader(municipality_id: int | None):
    """The reader a stored report is drawn for: a community's member (its municipality's
    project lead, whose audience the gate's policies name: fellow members' amounts and
    figures, never their notes), or none — the readers of every municipality."""
    if municipality_id is None:
        return None
    from portal.auth.models import Role, User

    return User(role=Role.MUNICIPAL, municipality_id=municipality_id, active=True)


def build(kind: str, scope: ReportScope, viewer: int | None = None):
    reader = member_reader(viewer)
    if kind == "funding":
        return funding_report(scope, viewer=reader)
    return progress_report(scope, viewer_municipality_id=viewer, viewer=reader)


def render_and_store(
    kind: str,
    scope: ReportScope,
    locale: str,
    viewer: int | None = None,
    version: str = "",
    *,
    announce: bool = False,
) -> tuple[StoredReport, bytes | None]:
    """The stored PDF of the scope's current data, rendered now when missing (by a job or
    the worker, never a request), and its bytes when they were just made. Commits: what the
    caller holds first, then the figures are read in a reading transaction that ends before
    the typesetting (none is held through it: on SQLite that would lock out every save),
    and the file is stored and committed."""
    version = version or data_version(scope)
    found = find(kind, scope, locale, viewer, version)
    if found is not None:
        return found, None
    key = _key(kind, scope, locale, viewer, version)
    db.session.commit()
    with force_locale(locale):
        with reading():
            report = build(kind, scope, viewer)
        db.session.commit()
        name = filename(report, FORMATS["pdf"])
        data = report_pdf(report)
    store = files.store()
    store.put(_name_key(key), name.encode())
    store.put(key, data)  # the PDF last: a reader who finds it finds its name too
    if announce:  # the worker's background rendering (``portal.signals.report_stored``)
        report_stored.send(None, kind=kind, scope=scope, viewer=viewer)
    db.session.commit()
    return StoredReport(key, name), data


def read(found: StoredReport) -> bytes:
    return files.read(found.key)


def _every_report(rounds: list[Round]) -> Iterator[tuple[str, ReportScope, int | None, str]]:
    """(kind, scope, viewer, version) of every report kept, the national ones first."""
    versions = {r.id: round_data_version(r) for r in rounds}
    national = hashlib.sha256(",".join(versions.values()).encode()).hexdigest()[:20]
    for kind in KINDS:
        yield kind, ReportScope(), None, national
    for round_ in rounds:
        version = versions[round_.id]
        for kind in KINDS:
            yield kind, ReportScope(round=round_), None, version
        participations = db.session.scalars(
            select(Participation).where(Participation.round_id == round_.id)
        ).all()
        for participation in sorted(participations, key=lambda p: p.municipality.name):
            scope = ReportScope(round=round_, municipality=participation.municipality)
            for kind in KINDS:
                yield kind, scope, None, version
        communities = db.session.scalars(
            select(Community).where(Community.round_id == round_.id).order_by(Community.id)
        ).all()
        for community in communities:
            scope = ReportScope(round=round_, community=community)
            members = [p.municipality_id for p in participations if p.community_id == community.id]
            for viewer in (None, *members):
                for kind in KINDS:
                    yield kind, scope, viewer, version


def prerender_all(locale: str = "da") -> int:
    """Render every kept report whose data changed, one at a time (each committed on its
    own, so no transaction outlives one report and a save never waits on typesetting);
    how many were rendered."""
    made = 0
    for kind, scope, viewer, version in list(_every_report(national_rounds())):
        _, data = render_and_store(kind, scope, locale, viewer, version, announce=True)
        made += data is not None
    return made


def municipality_zip(
    round_: Round, locale: str, *, on_progress: Callable[[int, int], None] | None = None
) -> bytes:
    """Every municipality's own progress PDF of the round in one ZIP, from the stored files
    (one still pending is rendered and stored now); ``on_progress(done, total)`` after each."""
    version = round_data_version(round_)
    participations = db.session.scalars(
        select(Participation).where(Participation.round_id == round_.id)
    ).all()
    municipalities = sorted((p.municipality for p in participations), key=lambda m: m.name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, municipality in enumerate(municipalities, start=1):
            scope = ReportScope(round=round_, municipality=municipality)
            found, data = render_and_store("progress", scope, locale, None, version)
            info = zipfile.ZipInfo(found.name, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, data if data is not None else read(found), zipfile.ZIP_DEFLATED)
            if on_progress is not None:
                on_progress(n, len(municipalities))
    return buffer.getvalue()
