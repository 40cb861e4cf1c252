"""Collaborations already running: registering the municipalities of a round from a CSV file.

Columns ``municipality,role`` and optionally ``community,grant``:

- ``municipality``: the official code (compared as an integer, so ``0101`` is ``101``) or
  the name;
- ``role``: ``lead`` or ``participant`` (``skaleringsleder`` / ``deltager`` also do);
- ``community``: a name, created in the round when new; empty for no community;
- ``grant``: whole kroner (``100.000`` is fine); empty for the round's rule. A given grant
  becomes an override with the reason "Fastsat ved import".

All or nothing: every bad row is listed with its line and reason. Importing again updates the
participations (one per municipality and round) instead of adding more; a row's empty grant
hands back to the round's rule only a grant that an import set (a coordinator's own override
with its own reason stays).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.applications.models import ApplicantRole
from portal.audit import services as audit
from portal.db import db
from portal.errors import RowErrors
from portal.i18n import money
from portal.municipalities.models import Municipality
from portal.participations.communities import MAX_NAME
from portal.participations.grants import IMPORT_REASON, MAX_AMOUNT, recompute_grants
from portal.participations.models import (
    Community,
    Disbursement,
    Participation,
    ParticipationSource,
)
from portal.participations.signals import memberships_changed, participations_created
from portal.programmes.models import Round
from portal.tabular import parse_whole_number, read_csv_rows

REQUIRED_COLUMNS = ("municipality", "role")
OPTIONAL_COLUMNS = ("community", "grant")
ROLES = {
    "lead": ApplicantRole.LEAD,
    "skaleringsleder": ApplicantRole.LEAD,
    "participant": ApplicantRole.PARTICIPANT,
    "deltager": ApplicantRole.PARTICIPANT,
    "deltagerkommune": ApplicantRole.PARTICIPANT,
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    communities_created: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        text = ngettext(
            "%(num)d kommune læst: %(created)d oprettet, %(updated)d ændret, %(unchanged)d uændret.",
            "%(num)d kommuner læst: %(created)d oprettet, %(updated)d ændret, %(unchanged)d uændret.",
            self.total,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
        )
        if self.communities_created:
            text += " " + _(
                "Nye fællesskaber: %(names)s.", names=", ".join(self.communities_created)
            )
        return text


@dataclass
class _Row:
    line: int
    municipality: Municipality
    role: ApplicantRole
    community: str  # "" for none
    grant: int | None


class _Register:
    """The municipality register, looked up by code or by name."""

    def __init__(self) -> None:
        self.by_code: dict[int, list[Municipality]] = {}
        self.by_name: dict[str, list[Municipality]] = {}
        for m in db.session.scalars(select(Municipality)):
            self.by_code.setdefault(m.code, []).append(m)
            for name in {m.name.casefold(), m.full_name.casefold()}:
                self.by_name.setdefault(name, []).append(m)

    def find(self, text: str) -> tuple[Municipality | None, str | None]:
        if not text:
            return None, _("kommune mangler")
        if text.isascii() and text.isdigit() and len(text) <= 4:
            found = self.by_code.get(int(text), [])
        else:
            found = self.by_name.get(text.casefold(), [])
        if not found:
            return None, _("ukendt kommune '%(text)s'", text=text)
        if len(found) > 1:
            return None, _(
                "'%(text)s' passer på flere kommuner (%(names)s); skriv koden",
                text=text,
                names=", ".join(f"{m.name} ({m.country})" for m in found),
            )
        return found[0], None


def _parse(rows, register: _Register) -> tuple[list[_Row], list[tuple[int, str]]]:
    parsed, errors = [], []
    seen: dict[int, int] = {}
    for row in rows:
        values = row.values
        reasons = []
        municipality, problem = register.find(values["municipality"])
        if problem:
            reasons.append(problem)
        elif municipality.id in seen:
            reasons.append(
                _(
                    "%(name)s står også i linje %(line)d",
                    name=municipality.name,
                    line=seen[municipality.id],
                )
            )
        else:
            seen[municipality.id] = row.line
        role = ROLES.get(values["role"].lower())
        if role is None:
            reasons.append(
                _("rollen '%(role)s' er hverken lead eller participant", role=values["role"])
            )
        community = " ".join(values.get("community", "").split())
        if len(community) > MAX_NAME:
            reasons.append(_("fællesskabets navn er længere end %(max)d tegn", max=MAX_NAME))
        grant = None
        text = values.get("grant", "").removesuffix("kr.").strip()
        if text:
            try:
                grant = parse_whole_number(text)
            except ValueError:
                reasons.append(_("tilskuddet '%(grant)s' er ikke et helt antal kroner", grant=text))
            else:
                if grant > MAX_AMOUNT:
                    reasons.append(_("tilskuddet '%(grant)s' er for stort", grant=text))
        if reasons:
            errors.append((row.line, "; ".join(reasons)))
        else:
            parsed.append(_Row(row.line, municipality, role, community, grant))
    return parsed, errors


def _check_communities(
    round_: Round, rows: list[_Row], existing: dict[int, Participation]
) -> list[tuple[int, str]]:
    """One lead per community and at most the round's maximum of participants, counting the
    members the file leaves where they are."""
    in_file = {r.municipality.id for r in rows}
    leads: dict[str, str] = {}  # community (casefolded) → who leads it
    lead_lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    for p in existing.values():
        if p.community is None or p.municipality_id in in_file:
            continue
        key = p.community.name.casefold()
        if p.role == ApplicantRole.LEAD:
            leads[key] = p.municipality.name
        else:
            counts[key] = counts.get(key, 0) + 1
    errors = []
    for row in rows:
        if not row.community:
            continue
        key = row.community.casefold()
        if row.role == ApplicantRole.LEAD:
            if key in leads:
                where = (
                    _("linje %(line)d", line=lead_lines[key])
                    if key in lead_lines
                    else _("forløbet")
                )
                errors.append(
                    (
                        row.line,
                        _(
                            "fællesskabet '%(community)s' har allerede skaleringslederen"
                            " %(lead)s (%(where)s); et fællesskab har én skaleringsleder",
                            community=row.community,
                            lead=leads[key],
                            where=where,
                        ),
                    )
                )
            else:
                leads[key] = row.municipality.name
                lead_lines[key] = row.line
            continue
        counts[key] = counts.get(key, 0) + 1
        if counts[key] > round_.community_max:
            errors.append(
                (
                    row.line,
                    _(
                        "fællesskabet '%(community)s' får %(count)d deltagerkommuner, men"
                        " forløbet tillader højst %(max)d (skaleringslederen tælles ikke med)",
                        community=row.community,
                        count=counts[key],
                        max=round_.community_max,
                    ),
                )
            )
    return errors


def _check_disbursed(rows: list[_Row], existing: dict[int, Participation]) -> list:
    ids = [existing[r.municipality.id].id for r in rows if r.municipality.id in existing]
    paid: dict[int, int] = {}
    for d in db.session.scalars(select(Disbursement).where(Disbursement.participation_id.in_(ids))):
        paid[d.participation_id] = paid.get(d.participation_id, 0) + d.amount
    errors = []
    for row in rows:
        current = existing.get(row.municipality.id)
        if current is None or row.grant is None:
            continue
        if row.grant < paid.get(current.id, 0):
            errors.append(
                (
                    row.line,
                    _(
                        "tilskuddet %(grant)s er mindre end de %(paid)s, der allerede er"
                        " udbetalt til %(name)s",
                        grant=money(row.grant),
                        paid=money(paid[current.id]),
                        name=row.municipality.name,
                    ),
                )
            )
    return errors


def import_participants(data: bytes | str, round_: Round, *, actor) -> ImportResult:
    """Register (or update) the municipalities of ``round_`` from a CSV file, all or
    nothing; then recompute the round's grants. One audit line with the counts."""
    rows = read_csv_rows(data, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    parsed, errors = _parse(rows, _Register())
    existing = {
        p.municipality_id: p
        for p in db.session.scalars(
            select(Participation)
            .options(
                selectinload(Participation.community), selectinload(Participation.municipality)
            )
            .where(Participation.round_id == round_.id)
        )
    }
    errors += _check_communities(round_, parsed, existing)
    errors += _check_disbursed(parsed, existing)
    if errors:
        raise RowErrors(sorted(errors))

    communities = {
        c.name.casefold(): c
        for c in db.session.scalars(select(Community).where(Community.round_id == round_.id))
    }
    result = ImportResult()
    created: list[Participation] = []
    before = {
        m: (p.role, p.community_id, p.grant_override, p.grant_override_reason)
        for m, p in existing.items()
    }
    for row in parsed:
        community = None
        if row.community:
            community = communities.get(row.community.casefold())
            if community is None:
                community = Community(round=round_, name=row.community)
                db.session.add(community)
                communities[row.community.casefold()] = community
                result.communities_created.append(row.community)
        current = existing.get(row.municipality.id)
        if current is None:
            participation = Participation(
                round=round_,
                municipality_id=row.municipality.id,
                role=row.role,
                source=ParticipationSource.IMPORT,
                community=community,
            )
            _set_grant(participation, row.grant)
            db.session.add(participation)
            created.append(participation)
            result.created += 1
            continue
        current.role = row.role
        current.community = community
        _set_grant(current, row.grant)
    db.session.flush()
    if created:
        participations_created.send(round_, participations=created)
    moved = [p for m, p in existing.items() if p.community_id != before[m][1]]
    if moved:
        memberships_changed.send(round_, participations=moved)
    for row in parsed:
        current = existing.get(row.municipality.id)
        if current is None:
            continue
        after = (
            current.role,
            current.community_id,
            current.grant_override,
            current.grant_override_reason,
        )
        if after != before[row.municipality.id]:
            result.updated += 1
        else:
            result.unchanged += 1
    recompute_grants(round_, actor=actor)
    audit.record(
        "participants_imported",
        actor=actor,
        round_id=round_.id,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        communities_created=result.communities_created,
    )
    return result


def _set_grant(participation: Participation, grant: int | None) -> None:
    if grant is not None:
        participation.grant_override = grant
        participation.grant_override_reason = IMPORT_REASON
    elif participation.grant_override is not None and (
        participation.grant_override_reason == IMPORT_REASON
    ):
        participation.grant_override = None
        participation.grant_override_reason = ""
