"""Every submission of an application keeps a version: its fields as they read then (goals
and co-applicants by name, so a later rename or a deleted goal does not rewrite the past).
When a reopened application is submitted again, the coordinator and the reviewers see what
changed side by side — prose as a word diff (``difflib``), shown with ``<del>``/``<ins>``,
other values as old → new — and the review is told (``signals.application_resubmitted``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.applications.data import SNAPSHOT_FIELDS
from portal.applications.labels import experience_label, role_label
from portal.applications.models import Application, ApplicationVersion
from portal.applications.signals import application_resubmitted
from portal.db import db

LABELS = {
    "role": _l("Rolle"),
    "experience": _l("Erfaring"),
    "competence_statement": _l("Kompetencer"),
    "capacity_statement": _l("Kapacitet"),
    "goals": _l("Målsætninger"),
    "motivation": _l("Motivation"),
    "project_lead_name": _l("Projektleder"),
    "project_lead_email": _l("Projektleders e-mail"),
    "project_owner_name": _l("Projektejer"),
    "project_owner_title": _l("Projektejers titel"),
    "backing_board": _l("Opbakning i direktionen"),
    "backing_management": _l("Opbakning på chefniveau"),
    "backing_political": _l("Opbakning på politisk niveau"),
    "members": _l("Medansøgere"),
}
PROSE = frozenset({"competence_statement", "capacity_statement", "motivation"})
_TOKENS = re.compile(r"\s+|[^\s]+")


def fields_of(application: Application) -> dict:
    """The application's fields as a version keeps them (plain JSON values)."""
    values = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(application, name)
        values[name] = value.value if hasattr(value, "value") else value
    values["goals"] = [g.text_da for g in sorted(application.goals, key=lambda g: g.position)]
    values["members"] = sorted(m.municipality.name for m in application.members)
    return values


def versions_of(application_id: int) -> list[ApplicationVersion]:
    return list(
        db.session.scalars(
            select(ApplicationVersion)
            .where(ApplicationVersion.application_id == application_id)
            .order_by(ApplicationVersion.number)
        )
    )


def record_version(application: Application, *, actor) -> ApplicationVersion:
    """Keep what was just submitted; a second or later submission tells whoever listens."""
    last = db.session.scalar(
        select(func.max(ApplicationVersion.number)).where(
            ApplicationVersion.application_id == application.id
        )
    )
    version = ApplicationVersion(
        application_id=application.id,
        municipality_id=application.municipality_id,
        number=(last or 0) + 1,
        fields=fields_of(application),
        submitted_at=application.submitted_at,
        submitted_by_id=getattr(actor, "id", None),
    )
    db.session.add(version)
    db.session.flush()
    if last:
        previous = db.session.scalar(
            select(ApplicationVersion).where(
                ApplicationVersion.application_id == application.id,
                ApplicationVersion.number == last,
            )
        )
        application_resubmitted.send(application, version=version, previous=previous)
    return version


# -- what changed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "delete" or "insert"
    text: str


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    prose: bool = False
    segments: list[Segment] = field(default_factory=list)

    @property
    def old_segments(self) -> list[Segment]:
        return [s for s in self.segments if s.op != "insert"]

    @property
    def new_segments(self) -> list[Segment]:
        return [s for s in self.segments if s.op != "delete"]


@dataclass
class VersionChanges:
    older: ApplicationVersion
    newer: ApplicationVersion
    changes: list[FieldChange]


def word_diff(old: str, new: str) -> list[Segment]:
    """The words of ``old`` and ``new`` as kept, deleted and inserted runs (whitespace kept)."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    segments: list[Segment] = []

    def add(op: str, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return segments


def value_text(name: str, value) -> str:
    """A stored value as a reader reads it."""
    if value in (None, "", []):
        return "–"
    if name == "role":
        return role_label(value)
    if name == "experience":
        return experience_label(value)
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def diff_fields(old: dict, new: dict) -> list[FieldChange]:
    """The fields that differ between two versions, in the form's order."""
    changes = []
    for name, label in LABELS.items():
        before, after = old.get(name), new.get(name)
        if before == after or (not before and not after):
            continue
        change = FieldChange(name, str(label), value_text(name, before), value_text(name, after))
        if name in PROSE:
            change.prose = True
            change.segments = word_diff(before or "", after or "")
        changes.append(change)
    return changes


def changes_between(versions: list[ApplicationVersion]) -> list[VersionChanges]:
    """What changed from each version to the next, newest first."""
    pairs = zip(versions, versions[1:], strict=False)
    return [VersionChanges(a, b, diff_fields(a.fields, b.fields)) for a, b in pairs][::-1]


def latest_changes(versions: list[ApplicationVersion]) -> VersionChanges | None:
    """What the last submission changed, or None before a second one."""
    if len(versions) < 2:
        return None
    return changes_between(versions[-2:])[0]
