"""Whose figures a report holds: a round or every round, for all municipalities, one
region's municipalities (a round's), one municipality or one community. Resolved the same way for the pages and the CLI; who may
have which scope is ``permissions``' answer."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import access
from portal.db import db, valid_id
from portal.errors import InvalidInput, PortalError
from portal.municipalities.models import Municipality
from portal.participations.models import Community, Participation
from portal.programmes.models import RoundStatus
from portal.programmes.services import get_round_by_slug


class ScopeKind(enum.StrEnum):
    NATIONAL = "national"
    REGION = "region"
    MUNICIPALITY = "municipality"
    COMMUNITY = "community"


class ScopeNotFound(PortalError):
    """No such round, municipality (in the round) or community (of the round)."""


@dataclass(frozen=True)
class ReportScope:
    round: object | None = None  # a Round; None: every round
    municipality: Municipality | None = None
    community: Community | None = None
    region: str | None = None  # the municipalities of one region (of a round)

    @property
    def kind(self) -> ScopeKind:
        if self.community is not None:
            return ScopeKind.COMMUNITY
        if self.municipality is not None:
            return ScopeKind.MUNICIPALITY
        if self.region is not None:
            return ScopeKind.REGION
        return ScopeKind.NATIONAL

    def audit_details(self) -> dict:
        """Where a download of this scope goes in the audit log."""
        return {
            "round_id": getattr(self.round, "id", None),
            "municipality_id": getattr(self.municipality, "id", None),
            "scope": self.kind.value,
            "community_id": getattr(self.community, "id", None),
            **({"region": self.region} if self.region is not None else {}),
        }


def community_label(name: str) -> str:
    """ "Fællesskab Midt" for a community named "Midt"; a name that already says so as it is."""
    if name.lower().startswith(("fællesskab", "community")):
        return name
    return str(_l("Fællesskab %(name)s", name=name))


def municipality_by_code(code) -> Municipality | None:
    """A municipality by its official code ("751" or "0751"); a Danish one first when
    another country's register has the same number."""
    text = str(code or "").strip()
    if not (text.isascii() and text.isdigit()) or not valid_id(int(text)):
        return None
    return db.session.scalar(
        select(Municipality).where(Municipality.code == int(text)).order_by(Municipality.country)
    )


def resolve_scope(
    round_slug: str | None = None,
    municipality_code=None,
    community_id=None,
    *,
    include_drafts: bool = True,
    region: str | None = None,
) -> ReportScope:
    """The scope named by a round's slug and either a municipality's code, a community's id
    or a region. A community without a round gives its own round; a municipality in a round
    must take part in it; a region is of a round and must be in the register. Raises
    ``ScopeNotFound`` (a page answers 404)."""
    named = [v for v in (municipality_code, community_id, region) if v not in (None, "")]
    if len(named) > 1:
        raise InvalidInput(_l("Vælg enten en kommune eller et fællesskab, ikke begge."))
    round_ = None
    if round_slug:
        round_ = get_round_by_slug(round_slug, include_drafts=include_drafts)
        if round_ is None:
            raise ScopeNotFound(
                _l("Der findes intet forløb med kortnavnet '%(slug)s'.", slug=round_slug)
            )
    if community_id not in (None, ""):
        community = _community(community_id)
        if community is None or (round_ is not None and community.round_id != round_.id):
            raise ScopeNotFound(_l("Der findes intet sådant fællesskab i forløbet."))
        if round_ is None:
            round_ = community.round
            if round_.status == RoundStatus.DRAFT and not include_drafts:
                raise ScopeNotFound(_l("Der findes intet sådant fællesskab i forløbet."))
        return ReportScope(round=round_, community=community)
    if municipality_code not in (None, ""):
        municipality = municipality_by_code(municipality_code)
        if municipality is None:
            raise ScopeNotFound(
                _l("Der findes ingen kommune med koden %(code)s.", code=municipality_code)
            )
        if round_ is not None and not takes_part(municipality.id, round_.id):
            raise ScopeNotFound(_l("%(name)s deltager ikke i forløbet.", name=municipality.name))
        return ReportScope(round=round_, municipality=municipality)
    if region not in (None, ""):
        known = db.session.scalar(
            select(Municipality.id).where(Municipality.region == region).limit(1)
        )
        if round_ is None or known is None:
            raise ScopeNotFound(_l("Der findes ingen sådan region."))
        return ReportScope(round=round_, region=region)
    return ReportScope(round=round_)


def _community(ident) -> Community | None:
    text = str(ident).strip()
    if not (text.isascii() and text.isdigit()) or not valid_id(int(text)):
        return None
    return db.session.get(Community, int(text))


def takes_part(municipality_id: int, round_id: int) -> bool:
    return (
        db.session.scalar(
            select(Participation.id).where(
                access.belonging_to(Participation, municipality_id),
                Participation.round_id == round_id,
            )
        )
        is not None
    )
