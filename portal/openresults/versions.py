"""The open data's versions by date: what the files held each day, kept for reuse and
citation ("the figures as published on 2026-12-07").

- **Snapshot** (``snapshot``, by the worker every quarter of an hour and by
  ``portal opendata snapshot``): when the published data's version
  (``figures.public_version``, which also turns with the day) differs from the one last
  compared, the files are built; the same content as the newest version (the data sets'
  CSVs hashed) makes no version, only notes the comparison. New content is stored in the
  shared file store under dated keys (``opendata/<day>/<hash>/<file>``: a key names one
  content for ever, as the store wants) — the CSVs, the JSONs and the version's own ZIP —
  and listed in ``OpenDataVersion`` with each file's size, rows and checksum, so listing
  never asks the store to list. One version a day: new content later the same day replaces
  that day's version (its files deleted).
- **Consent withdrawn** (``withdraw_containing``, called in the same transaction as the
  withdrawal): every version that held the municipality's own figures of that round is
  withdrawn at once — its files deleted from the store, gone from the list, the catalogue
  and the downloads (410) — and the row kept as the record. Past versions are not rebuilt
  without it: the figures as they stood that day are not kept anywhere else, and a version
  with only its rows taken out would keep totals over every municipality from which the
  withdrawn figures follow (the total less the others' published ones). The live files stop
  showing it at once anyway (they are built from the consents as they are), and the next
  snapshot makes a version without it. A participation deleted (an approval taken back)
  withdraws its versions the same way (``watch_participations``).
- **Retention** (``prune``): the first available version of every month is kept for ever;
  the others ``OPEN_DATA_KEEP_DAYS`` days (90); the newest is always kept. Withdrawn rows
  go after the same time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import event, func, select

from portal import files
from portal.db import db, utcnow
from portal.i18n import local_today
from portal.openresults import figures, opendata
from portal.openresults.models import OpenDataVersion, OpenDataVersionFile, OpenDataVersionMember
from portal.participations.models import Participation

PREFIX = "opendata/"
MEDIA_TYPES = {
    "csv": opendata.FORMATS["csv"],
    "json": opendata.FORMATS["json"],
    "zip": "application/zip",
}


def available():
    """The versions one may download, newest first (a statement: the page paginates it)."""
    return (
        select(OpenDataVersion)
        .where(OpenDataVersion.withdrawn_at.is_(None))
        .order_by(OpenDataVersion.day.desc(), OpenDataVersion.id.desc())
    )


def newest() -> OpenDataVersion | None:
    return db.session.scalars(available().limit(1)).first()


def of_day(day: date) -> OpenDataVersion | None:
    """The day's version: the available one, else a withdrawn one (answered 410)."""
    stmt = (
        select(OpenDataVersion)
        .where(OpenDataVersion.day == day)
        .order_by(OpenDataVersion.withdrawn_at.is_not(None), OpenDataVersion.id.desc())
    )
    return db.session.scalars(stmt.limit(1)).first()


def stamp() -> str:
    """What the list of versions rests on (a page's or the catalogue's ETag)."""
    row = db.session.execute(
        select(
            func.count(OpenDataVersion.id),
            func.max(OpenDataVersion.id),
            func.max(OpenDataVersion.withdrawn_at),
        )
    ).one()
    return hashlib.sha256(repr(tuple(str(v) for v in row)).encode()).hexdigest()[:12]


def content_hash(made: dict[str, tuple[bytes, int]]) -> str:
    digest = hashlib.sha256()
    for name in opendata.DATASETS:
        digest.update(made[f"{name}.csv"][0])
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Outcome:
    version: OpenDataVersion | None  # the new version, None when nothing was made
    reason: str  # "made", "unchanged" (data version), "same-content", "empty"


def _drop(version: OpenDataVersion) -> None:
    """Remove a version with its files (a withdrawn one's are gone already, and its keys may
    name a later version's files of the same content)."""
    if version.withdrawn_at is None:
        store = files.store()
        for f in version.files:
            store.delete(f.key)
    db.session.delete(version)


def snapshot(*, origin: str = "job", force: bool = False) -> Outcome:
    """Make today's version when the published data changed (see the module). Flushes only;
    the caller commits."""
    seen = figures.public_version()
    latest = newest()
    if latest is not None and latest.data_version == seen and not force:
        return Outcome(None, "unchanged")
    modified = figures.modified_on()
    made = opendata.files(modified)
    content = content_hash(made)
    if latest is None and made[opendata.ZIP_NAME][1] == 0:
        return Outcome(None, "empty")  # nothing published yet: no version of empty files
    if latest is not None and latest.content_hash == content:
        latest.data_version = seen
        db.session.flush()
        return Outcome(None, "same-content")
    today = local_today()
    for same_day in db.session.scalars(available().where(OpenDataVersion.day == today)).all():
        _drop(same_day)
    db.session.flush()
    version = OpenDataVersion(
        day=today, content_hash=content, data_version=seen, modified_on=modified, origin=origin
    )
    store = files.store()
    for name, (data, rows) in made.items():
        key = f"{PREFIX}{today.isoformat()}/{content[:16]}/{name}"
        store.put(key, data)
        version.files.append(
            OpenDataVersionFile(
                name=name,
                key=key,
                size=len(data),
                rows=rows,
                sha256=hashlib.sha256(data).hexdigest(),
            )
        )
    db.session.add(version)
    db.session.flush()
    rounds = [r.id for r in figures.public_rounds()]
    members = {p.id for p in figures.published_participations(rounds)} if rounds else set()
    for participation_id in sorted(members):
        db.session.add(
            OpenDataVersionMember(version_id=version.id, participation_id=participation_id)
        )
    db.session.flush()
    return Outcome(version, "made")


def withdraw_containing(participation_ids, *, flush: bool = True) -> list[OpenDataVersion]:
    """Withdraw every available version that held these participations' own figures: files
    deleted, the row marked (see the module). Flushes only (not from within a flush)."""
    ids = list(participation_ids)
    if not ids:
        return []
    holding = select(OpenDataVersionMember.version_id).where(
        OpenDataVersionMember.participation_id.in_(ids)
    )
    withdrawn = list(db.session.scalars(available().where(OpenDataVersion.id.in_(holding))))
    store, now = files.store(), utcnow()
    for version in withdrawn:
        for f in version.files:
            store.delete(f.key)
        version.withdrawn_at = now
    if flush:
        db.session.flush()
    return withdrawn


def _participations_deleted(session, _context, _instances) -> None:
    """A participation deleted (an approval taken back) takes its consent with it: the
    versions that held its figures are withdrawn as for a withdrawn consent."""
    gone = [o.id for o in session.deleted if isinstance(o, Participation) and o.id]
    if gone:
        withdraw_containing(gone, flush=False)


def watch_participations() -> None:
    """Withdraw the versions of every participation deleted, in the deleting flush."""
    if not event.contains(db.session, "before_flush", _participations_deleted):
        event.listen(db.session, "before_flush", _participations_deleted)


def keep_days() -> int:
    return current_app.config["OPEN_DATA_KEEP_DAYS"]


def to_prune(today: date | None = None) -> list[OpenDataVersion]:
    """The versions retention removes now (``prune`` removes exactly these)."""
    today = today or local_today()
    cutoff = today - timedelta(days=keep_days())
    versions = list(
        db.session.scalars(
            available().order_by(None).order_by(OpenDataVersion.day, OpenDataVersion.id)
        )
    )
    firsts: dict[tuple[int, int], int] = {}
    for v in versions:
        firsts.setdefault((v.day.year, v.day.month), v.id)
    keep = set(firsts.values()) | ({versions[-1].id} if versions else set())
    old = [v for v in versions if v.day < cutoff and v.id not in keep]
    withdrawn = db.session.scalars(
        select(OpenDataVersion).where(
            OpenDataVersion.withdrawn_at.is_not(None), OpenDataVersion.day < cutoff
        )
    )
    return old + list(withdrawn)


def prune(today: date | None = None) -> list[OpenDataVersion]:
    """Apply the retention of versions; the versions removed. Flushes only."""
    gone = to_prune(today)
    for version in gone:
        _drop(version)
    db.session.flush()
    return gone
