"""A suggested composition of the communities, explained placement by placement.

The unassigned approved participants are spread across the round's leads (a lead without a
community gets one, named after its municipality):

- never past the round's maximum;
- co-applicants of one joint application stay together, and with their lead when the lead
  applied jointly with them (or with the community where one of them already is): these
  are placed first;
- then the biggest first (most municipalities, then most inhabitants), each into the community
  with the fewest members, ties broken by the fewest from the same region, then by the
  smallest total population: so the communities mix region and size. Where a municipality's
  population is missing (none is shipped: the register takes FOLK1A), size is not weighed
  at all and the communities mix region alone, which the page says.

The coordinator sees the proposal and accepts it as a whole; it is recomputed on accept and
refused when it differs from what was shown (someone moved or approved a municipality).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.db import db
from portal.errors import Conflict, NotAllowed
from portal.municipalities.services import population_credit
from portal.participations.communities import (
    assign,
    create_community,
    is_lead,
    lead_of,
    participants_of,
    round_communities,
    unassigned_participations,
)
from portal.participations.models import Community, Participation
from portal.programmes.models import Round


@dataclass
class Target:
    """A community a participant may go to: an existing one, or a new one for a lead."""

    key: str  # "c<community id>" or "n<lead participation id>", stable for the fingerprint
    name: str
    lead: Participation | None
    members: list[Participation]  # participants, placed or proposed
    community: Community | None = None  # None: created on accept

    @property
    def everyone(self) -> list[Participation]:
        return [self.lead, *self.members] if self.lead else list(self.members)

    def same_region(self, regions: set[str]) -> int:
        return sum(1 for p in self.everyone if p.municipality.region in regions)

    @property
    def population(self) -> int:
        return sum(p.municipality.population or 0 for p in self.everyone)


@dataclass
class Placement:
    participation: Participation
    target: Target
    reason: str


@dataclass
class Unplaced:
    participation: Participation
    reason: str


@dataclass
class Suggestion:
    round: Round
    new_communities: list[Target] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    # Whether every municipality in it has a population: only then is size weighed; with
    # one missing the communities are mixed by region alone, and the page says so.
    weighs_size: bool = True
    population_credit: str | None = None

    @property
    def empty(self) -> bool:
        return not self.placements and not self.new_communities

    @property
    def warnings(self) -> list[str]:
        """Communities that would still be under the round's minimum."""
        minimum = self.round.community_min
        return [
            _(
                "%(community)s får %(count)d deltagerkommuner, færre end forløbets mindste"
                " antal på %(min)d.",
                community=t.name,
                count=len(t.members),
                min=minimum,
            )
            for t in self.targets
            if len(t.members) < minimum
        ]

    @property
    def fingerprint(self) -> str:
        """What was shown: compared on accept, so a changed proposal is never applied."""
        parts = [f"new:{t.key}:{t.name}" for t in self.new_communities]
        parts += [f"place:{p.participation.id}:{p.target.key}" for p in self.placements]
        parts += [f"none:{u.participation.id}" for u in self.unplaced]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


def _names(participations: list[Participation]) -> str:
    names = [p.municipality.name for p in participations]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s og %(last)s", first=", ".join(names[:-1]), last=names[-1])


def _unique_name(wanted: str, taken: set[str]) -> str:
    name, n = wanted, 2
    while name.casefold() in taken:
        name, n = f"{wanted} {n}", n + 1
    taken.add(name.casefold())
    return name


def _targets(round_: Round, unassigned: list[Participation]) -> tuple[list[Target], list[Target]]:
    """The communities with a lead, and a new one for each lead without a community."""
    communities = round_communities(round_)
    taken = {c.name.casefold() for c in communities}
    existing = [
        Target(f"c{c.id}", c.name, lead_of(c), participants_of(c), community=c)
        for c in communities
        if lead_of(c) is not None
    ]
    new = [
        Target(
            f"n{lead.id}",
            _unique_name(_("Fællesskab %(name)s", name=lead.municipality.name), taken),
            lead,
            [],
        )
        for lead in unassigned
        if is_lead(lead)
    ]
    return existing + new, new


def _groups(participants: list[Participation], weigh_size: bool) -> list[list[Participation]]:
    """The participants by joint application (a participant alone is a group of one), the
    biggest first: most municipalities, then most inhabitants (when known), then by name."""
    groups: dict[object, list[Participation]] = {}
    for p in participants:
        groups.setdefault(p.application_id or ("alone", p.id), []).append(p)
    return sorted(
        groups.values(),
        key=lambda g: (
            -len(g),
            -sum(p.municipality.population or 0 for p in g) if weigh_size else 0,
            g[0].municipality.name,
        ),
    )


def _anchor(group: list[Participation], targets: list[Target]) -> Target | None:
    """Where the group's joint application already is: its lead, or a co-applicant."""
    application_id = group[0].application_id
    if application_id is None:
        return None
    return next(
        (t for t in targets if any(p.application_id == application_id for p in t.everyone)),
        None,
    )


def _why_chosen(
    chosen: Target, runner_up: Target | None, regions: set[str], weigh_size: bool
) -> str:
    if runner_up is None:
        return _("det eneste fællesskab med plads")
    if len(chosen.members) != len(runner_up.members):
        return _("færrest medlemmer")
    if chosen.same_region(regions) != runner_up.same_region(regions):
        return _("færrest fra samme region")
    if weigh_size and chosen.population != runner_up.population:
        return _("mindst samlet befolkning")
    return _("først i alfabetisk rækkefølge")


def _region_text(target: Target, regions: set[str]) -> str:
    region_names = " / ".join(sorted(regions))
    same = target.same_region(regions)
    if same == 0:
        return _("ingen andre fra %(region)s", region=region_names)
    return ngettext(
        "%(num)d anden fra %(region)s", "%(num)d andre fra %(region)s", same, region=region_names
    )


def _explain(
    target: Target,
    group: list[Participation],
    participation: Participation,
    maximum: int,
    why: str,
    regions: set[str],
) -> str:
    where = _(
        "%(used)d af %(max)d pladser brugt, %(region)s, %(why)s",
        used=len(target.members),
        max=maximum,
        region=_region_text(target, regions),
        why=why,
    )
    others = [p for p in group if p is not participation]
    if others:
        return _(
            "Placeret i %(community)s sammen med %(others)s (fælles ansøgning): %(where)s.",
            community=target.name,
            others=_names(others),
            where=where,
        )
    return _("Placeret i %(community)s: %(where)s.", community=target.name, where=where)


def _explain_anchored(
    target: Target, group: list[Participation], participation: Participation, maximum: int
) -> str:
    partners = [
        p
        for p in target.everyone
        if p.application_id == participation.application_id and p is not participation
    ] + [p for p in group if p is not participation]
    return _(
        "Placeret i %(community)s sammen med %(partners)s, som kommunen søgte sammen med:"
        " %(used)d af %(max)d pladser brugt.",
        community=target.name,
        partners=_names(partners),
        used=len(target.members),
        max=maximum,
    )


def _no_room(group: list[Participation], targets: list[Target], maximum: int) -> str:
    if not targets:
        return _("Der er ingen skaleringsleder i forløbet at placere kommunen hos.")
    if len(group) > 1 and any(len(t.members) < maximum for t in targets):
        return _(
            "Den fælles ansøgning med %(names)s skal placeres samlet, men intet fællesskab"
            " har %(count)d ledige pladser (højst %(max)d deltagerkommuner pr. fællesskab).",
            names=_names(group),
            count=len(group),
            max=maximum,
        )
    return _(
        "Alle fællesskaber er fulde (højst %(max)d deltagerkommuner pr. fællesskab).",
        max=maximum,
    )


def suggest(round_: Round) -> Suggestion:
    """A proposed placement of the round's unassigned participants; nothing is changed."""
    maximum = round_.community_max
    unassigned = unassigned_participations(round_)
    targets, new = _targets(round_, unassigned)
    everyone = {p.municipality for t in targets for p in t.everyone}
    everyone |= {p.municipality for p in unassigned}
    weigh = bool(everyone) and all(m.population is not None for m in everyone)
    suggestion = Suggestion(
        round_,
        new_communities=new,
        targets=targets,
        weighs_size=weigh,
        population_credit=population_credit(everyone) if weigh else None,
    )
    participants = [p for p in unassigned if not is_lead(p)]
    groups = [(g, _anchor(g, targets)) for g in _groups(participants, weigh)]
    # Those whose place is given by their joint application go first: the others fill around.
    groups.sort(key=lambda item: item[1] is None)
    for group, anchor in groups:
        if anchor is not None:
            if len(anchor.members) + len(group) > maximum:
                for p in group:
                    suggestion.unplaced.append(
                        Unplaced(
                            p,
                            _(
                                "Kommunen søgte sammen med kommuner i %(community)s, men der"
                                " er kun %(free)d ledige pladser til de %(count)d kommuner fra"
                                " den fælles ansøgning (højst %(max)d).",
                                community=anchor.name,
                                free=max(maximum - len(anchor.members), 0),
                                count=len(group),
                                max=maximum,
                            ),
                        )
                    )
                continue
            for p in group:
                reason = _explain_anchored(anchor, group, p, maximum)
                suggestion.placements.append(Placement(p, anchor, reason))
            anchor.members.extend(group)
            continue
        regions = {p.municipality.region for p in group}
        candidates = sorted(
            (t for t in targets if len(t.members) + len(group) <= maximum),
            key=lambda t: (
                len(t.members),
                t.same_region(regions),
                t.population if weigh else 0,
                t.name,
            ),
        )
        if not candidates:
            reason = _no_room(group, targets, maximum)
            suggestion.unplaced.extend(Unplaced(p, reason) for p in group)
            continue
        chosen = candidates[0]
        runner_up = candidates[1] if len(candidates) > 1 else None
        why = _why_chosen(chosen, runner_up, regions, weigh)
        for p in group:
            suggestion.placements.append(
                Placement(p, chosen, _explain(chosen, group, p, maximum, why, regions))
            )
        chosen.members.extend(group)
    return suggestion


def accept_suggestion(round_: Round, fingerprint: str, *, actor) -> Suggestion:
    """Carry out the suggestion the coordinator saw, in the caller's one transaction.

    Recomputed here from the database; refused (``Conflict``) when it is not the one shown,
    and when there is nothing to do."""
    suggestion = suggest(round_)
    if suggestion.fingerprint != fingerprint:
        raise Conflict(
            _l(
                "Forslaget er ændret, siden du så det (en kommune er flyttet, godkendt eller"
                " fjernet). Se det nye forslag igennem, før du accepterer det."
            )
        )
    if suggestion.empty:
        raise NotAllowed(_l("Der er ingen kommuner at placere."))
    for target in suggestion.new_communities:
        target.community = create_community(round_, target.name, actor=actor, lead=target.lead)
    for placement in suggestion.placements:
        assign(placement.participation, placement.target.community, actor=actor)
    db.session.flush()
    return suggestion
