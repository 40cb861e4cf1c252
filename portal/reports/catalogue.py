"""What the reports page offers a user: groups of reports (per round, and across rounds),
each a page with its downloads. National users get every round's report and each
community's; a municipality's users get their own and their community's, per round and
across rounds; the progress report beside the funding report, and for national users every
municipality's own progress report of a round in one ZIP."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from portal import access
from portal.auth.models import User
from portal.auth.permissions import can_see_draft_rounds
from portal.db import db
from portal.i18n import localized
from portal.participations.models import Community, Participation
from portal.programmes.models import Round, RoundStatus
from portal.reports.permissions import (
    can_read_all_reports,
    can_read_own_reports,
    can_read_region_reports,
)
from portal.reports.scope import community_label


@dataclass
class ReportLink:
    title: str
    endpoint: str
    args: dict = field(default_factory=dict)
    # A report page with its downloads; False: the link is itself a download (a ZIP).
    page: bool = True


@dataclass
class ReportGroup:
    title: str
    period: tuple | None = None  # (start, end) of a round
    links: list[ReportLink] = field(default_factory=list)


def available_reports(user: User) -> list[ReportGroup]:
    if can_read_all_reports(user):
        return _national(user)
    if can_read_own_reports(user):
        return _own(user)
    if can_read_region_reports(user):
        return _region(user)
    return []


def _national(user: User) -> list[ReportGroup]:
    stmt = (
        select(Round)
        .options(joinedload(Round.programme))
        .where(exists(select(Participation.id).where(Participation.round_id == Round.id)))
        .order_by(Round.period_start.desc(), Round.id)
    )
    if not can_see_draft_rounds(user):
        stmt = stmt.where(Round.status != RoundStatus.DRAFT)
    rounds = list(db.session.scalars(stmt))
    communities: dict[int, list[Community]] = {}
    for community in db.session.scalars(
        select(Community)
        .where(Community.round_id.in_([r.id for r in rounds]))
        .order_by(Community.name)
    ):
        communities.setdefault(community.round_id, []).append(community)
    groups = [
        ReportGroup(
            _("Alle forløb"),
            links=[
                ReportLink(_("Tilskud: alle forløb og kommuner"), "reports.funding"),
                ReportLink(_("Fremdrift: alle igangværende forløb"), "reports.progress"),
            ],
        )
    ]
    for round_ in rounds:
        slug = {"slug": round_.slug}
        links = [
            ReportLink(_("Tilskud: alle kommuner"), "reports.funding", slug),
            ReportLink(_("Fremdrift: alle kommuner"), "reports.progress", slug),
            ReportLink(
                _("Fremdrift: hver kommunes egen rapport (PDF'er i en ZIP-fil)"),
                "reports.progress_zip",
                slug,
                page=False,
            ),
        ]
        for c in communities.get(round_.id, []):
            args = {"slug": round_.slug, "faellesskab": c.id}
            label = community_label(c.name)
            links.append(
                ReportLink(_("Tilskud: %(community)s", community=label), "reports.funding", args)
            )
            links.append(
                ReportLink(_("Fremdrift: %(community)s", community=label), "reports.progress", args)
            )
        groups.append(
            ReportGroup(localized(round_, "name"), (round_.period_start, round_.period_end), links)
        )
    return groups


def _region(user: User) -> list[ReportGroup]:
    """A regional consultant: per round, the region's reports and each of its municipalities'
    own (the participations within their reach)."""
    region = access.reach_of(user).region
    by_round: dict[int, list[Participation]] = {}
    for p in db.session.scalars(
        access.visible(
            select(Participation)
            .join(Round, Round.id == Participation.round_id)
            .options(joinedload(Participation.round), joinedload(Participation.municipality))
            .where(Round.status != RoundStatus.DRAFT)
            .order_by(Round.period_start.desc(), Round.id),
            user,
        )
    ):
        by_round.setdefault(p.round_id, []).append(p)
    groups = []
    for participations in by_round.values():
        round_ = participations[0].round
        args = {"slug": round_.slug, "region": region}
        links = [
            ReportLink(_("Tilskud: %(region)s", region=region), "reports.funding", args),
            ReportLink(_("Fremdrift: %(region)s", region=region), "reports.progress", args),
        ]
        for p in sorted(participations, key=lambda p: p.municipality.name):
            own = {"slug": round_.slug, "kommune": p.municipality.code_display}
            name = p.municipality.name
            links.append(ReportLink(_("Fremdrift: %(name)s", name=name), "reports.progress", own))
        groups.append(
            ReportGroup(localized(round_, "name"), (round_.period_start, round_.period_end), links)
        )
    return groups


def _own(user: User) -> list[ReportGroup]:
    municipality = user.municipality
    code = municipality.code_display
    participations = list(
        db.session.scalars(
            access.visible(
                select(Participation)
                .join(Round, Round.id == Participation.round_id)
                .options(joinedload(Participation.round), joinedload(Participation.community))
                .order_by(Round.period_start.desc(), Round.id),
                user,
            )
        )
    )
    groups = [
        ReportGroup(
            _("Alle forløb"),
            links=[
                ReportLink(
                    _("Tilskud: %(name)s, alle forløb", name=municipality.name),
                    "reports.funding",
                    {"kommune": code},
                )
            ],
        )
    ]
    for p in participations:
        round_ = p.round
        own = {"slug": round_.slug, "kommune": code}
        links = [
            ReportLink(_("Tilskud: %(name)s", name=municipality.name), "reports.funding", own),
            ReportLink(_("Fremdrift: %(name)s", name=municipality.name), "reports.progress", own),
        ]
        if p.community is not None:
            label = community_label(p.community.name)
            args = {"slug": round_.slug, "faellesskab": p.community.id}
            links.append(
                ReportLink(_("Tilskud: %(community)s", community=label), "reports.funding", args)
            )
            links.append(
                ReportLink(_("Fremdrift: %(community)s", community=label), "reports.progress", args)
            )
        groups.append(
            ReportGroup(localized(round_, "name"), (round_.period_start, round_.period_end), links)
        )
    return groups
