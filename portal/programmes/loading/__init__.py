"""Programme definition files (TOML): checked whole, then created or updated by slug.

A file is refused with every problem, each with its line and what it is about, before
anything is written; the rules for rounds are the ones the edit pages use
(``portal.programmes.rules``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.audit import services as audit
from portal.db import db
from portal.errors import RowErrors
from portal.programmes import services as programme_services
from portal.programmes.loading.checks import check_programme_file
from portal.programmes.loading.values import Checked
from portal.programmes.models import BenefitLine, Indicator, Programme, Round
from portal.programmes.signals import round_period_changed

# The package sits one level deeper than the module it replaced: portal/data/programmes.
SHIPPED_PROGRAMMES = Path(__file__).resolve().parent.parent.parent / "data" / "programmes"


@dataclass
class LoadResult:
    programme: Programme
    created: bool
    rounds_created: int = 0
    rounds_updated: int = 0
    indicators: int = 0
    benefits: int = 0

    def summary(self) -> str:
        # Counts after what they count, so one reads as well as many ("1 nye" did not)
        counts = {
            "slug": self.programme.slug,
            "indicators": self.indicators,
            "lines": self.benefits,
            "created": self.rounds_created,
            "updated": self.rounds_updated,
        }
        if self.created:
            return _(
                "Indsatsen '%(slug)s' er oprettet. Indikatorer: %(indicators)d."
                " Gevinstlinjer: %(lines)d. Forløb: %(created)d oprettet, %(updated)d opdateret.",
                **counts,
            )
        return _(
            "Indsatsen '%(slug)s' er opdateret. Indikatorer: %(indicators)d."
            " Gevinstlinjer: %(lines)d. Forløb: %(created)d oprettet, %(updated)d opdateret.",
            **counts,
        )


def _sync_by_key(existing: list, wanted: list[dict], make, key: str = "key") -> list:
    """Update rows matched by ``key``, add new ones, drop the rest; keep the file's order."""
    by_key = {getattr(row, key): row for row in existing}
    result = []
    for position, values in enumerate(wanted):
        row = by_key.get(values[key]) or make()
        for name, value in values.items():
            setattr(row, name, value)
        row.position = position
        result.append(row)
    return result


def load_programme_file(text: str | bytes, *, actor=None) -> LoadResult:
    """Create or update a programme and its rounds from a definition file, all or nothing."""
    return store_programme(check_programme_file(text), actor=actor)


def store_programme(checked: Checked, *, actor=None) -> LoadResult:
    """Write a checked file: the programme by slug, its goals, catalogue, benefit lines and
    rounds (rounds not in the file are kept)."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == checked.slug))
    created = programme is None
    if created:
        programme = Programme(slug=checked.slug)
        db.session.add(programme)
    programme.name_da, programme.name_en = checked.name["da"], checked.name["en"]
    programme.description_da = checked.description["da"]
    programme.description_en = checked.description["en"]

    programme_services.set_goals(programme, [(g["da"], g["en"]) for g in checked.goals])
    kept = {item["key"] for item in checked.indicators}
    dropped = [i.key for i in programme.indicators if i.key not in kept]
    programme.indicators = _sync_by_key(programme.indicators, checked.indicators, Indicator)
    programme.benefits = _sync_by_key(programme.benefits, checked.benefits, BenefitLine)

    result = LoadResult(
        programme, created, indicators=len(checked.indicators), benefits=len(checked.benefits)
    )
    existing_rounds = {r.slug: r for r in programme.rounds}
    moved: list[Round] = []
    for round_data in checked.rounds:
        round_ = existing_rounds.get(round_data.slug)
        if round_ is None:
            programme.rounds.append(Round(**vars(round_data)))
            result.rounds_created += 1
        else:
            if (round_.period_start, round_.period_end) != (
                round_data.period_start,
                round_data.period_end,
            ):
                moved.append(round_)
            for name, value in vars(round_data).items():
                setattr(round_, name, value)
            result.rounds_updated += 1
    try:
        db.session.flush()
    except IntegrityError as exc:  # a dropped indicator has figures (a RESTRICT foreign key)
        raise RowErrors(
            [
                (
                    1,
                    "filen udelader indikator "
                    + ", ".join(f"'{key}'" for key in dropped)
                    + ", men der er registreret tal for den; behold den i filen",
                )
            ]
        ) from exc
    for round_ in moved:
        round_period_changed.send(round_)
    audit.record(
        "programme_loaded",
        actor=actor,
        obj=programme,
        slug=programme.slug,
        created=created,
        rounds_created=result.rounds_created,
        rounds_updated=result.rounds_updated,
    )
    if not created:  # formulas, indicators or round parameters may have changed
        programme_services.refresh_results(programme=programme)
    return result


def load_programme_path(path: Path, *, actor=None) -> LoadResult:
    return load_programme_file(path.read_bytes(), actor=actor)


def load_shipped_programmes(actor=None) -> list[LoadResult]:
    """The shipped programmes that are not in the database yet.

    Existing ones are left alone, so ``portal seed`` (run by every ``make run``) never undoes
    a coordinator's edits; ``portal programme load FILE`` is the way to update from a file.
    """
    present = set(db.session.scalars(select(Programme.slug)))
    results = []
    for path in sorted(SHIPPED_PROGRAMMES.glob("*.toml")):
        checked = check_programme_file(path.read_bytes())
        if checked.slug not in present:
            results.append(store_programme(checked, actor=actor))
    return results
